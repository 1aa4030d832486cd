"""What every row of the admins' dashboard shows, whatever its kind, and the close form's input.

A row is a mentoring request (:mod:`blocks.reports.dashboard`) or a meeting request
(:mod:`blocks.reports.meeting_rows`); both say how long it has waited or how it ended the same way.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement

from blocks.ids import Field
from blocks.kit import confirm
from blocks.text import age, escape, plural, quote, truncate
from mentoring.asks.followups import MAX_CLOSE_REASON_LENGTH

EXCERPT_LENGTH = 140
REASON_SHOWN = 120

# Remind now sends a DM at once, whatever the hour where the person is: ask first.
REMIND_CONFIRM = confirm(
    "Send a reminder now?",
    "They get a direct message right away, whatever the time is where they are.",
    "Send reminder",
)


def excerpt(message: str) -> str:
    """A message as one short escaped quote line."""
    return quote(truncate(" ".join(message.split()), EXCERPT_LENGTH))


def waiting_line(
    created_at: datetime, reminders: int, last_reminded_at: datetime | None, now: datetime
) -> str:
    """ "Waiting 3 days · 1 reminder (last 5 hours ago)" for a pending item."""
    line = f"Waiting {age(created_at, now)} · {plural(reminders, 'reminder')}"
    if last_reminded_at is not None:
        line += f" (last {age(last_reminded_at, now)} ago)"
    return line


def outcome_line(
    word: str,
    created_at: datetime,
    answered_at: datetime | None,
    now: datetime,
    reason: str | None,
) -> str:
    """ "*Declined* after 2 days · sent 3 days ago · _reason_" for an item no longer pending."""
    line = f"*{word}*"
    if answered_at is not None:
        line += f" after {age(created_at, answered_at)}"
    line += f" · sent {age(created_at, now)} ago"
    if reason:
        line += f" · _{escape(truncate(reason, REASON_SHOWN))}_"
    return line


def failed_line(count: int, noun: str) -> str:
    return f":warning: {plural(count, 'notification')} about this {noun} could not be delivered"


def reason_input(label: str, placeholder: str) -> InputBlock:
    """The close form's reason, which the mentee reads (same limit as the domain's)."""
    return InputBlock(
        block_id=Field.REASON,
        label=label,
        element=PlainTextInputElement(
            action_id=Field.REASON,
            multiline=True,
            max_length=MAX_CLOSE_REASON_LENGTH,
            placeholder=placeholder,
        ),
    )
