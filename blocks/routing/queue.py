"""The admins' matching queue as the rest of the admin side mentions it.

The dashboard, the digest and escalations count admin-routed submissions once each and point
into ``/mentor-admin queue`` (with an **Open queue** button), and a new submission is announced
to the program admins. Preferences never appear as requests someone could remind or close.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block, ButtonElement

from blocks.ids import Action
from blocks.kit import button, context, section
from blocks.text import age, escape, plural, quote
from mentoring.core.wording import Words
from mentoring.routing.queue import QueueSummary
from mentoring.routing.submissions import Submission, SubmissionStatus

QUEUE_COMMAND = "`/mentor-admin queue`"
MESSAGE_EXCERPT = 600


def open_queue_button(submission_id: int | None = None) -> ButtonElement:
    """Into ``/mentor-admin queue``; on a submission's notice it names that submission (so its
    redraw, once the submission is decided, is known to leave no button about it)."""
    return button(
        "Open queue", Action.OPEN_QUEUE, str(submission_id) if submission_id is not None else None
    )


def waiting_text(summary: QueueSummary, now: datetime) -> str:
    """``3 submissions waiting to be matched, the oldest for 5 days`` (plain words)."""
    text = f"{plural(summary.waiting, 'submission')} waiting to be matched"
    if summary.oldest is not None and summary.waiting:
        text += (
            f", the oldest for {age(summary.oldest, now)}"
            if summary.waiting > 1
            else f", for {age(summary.oldest, now)}"
        )
    return text


def dashboard_queue_section(summary: QueueSummary, *, now: datetime) -> Block:
    """The requests dashboard's line about the queue, under the request counts."""
    if summary.waiting:
        line = f":inbox_tray: {waiting_text(summary, now)}: {QUEUE_COMMAND}"
    else:
        line = f":inbox_tray: No submissions waiting to be matched ({QUEUE_COMMAND})."
    if summary.failed_deliveries:
        line += (
            f"\n:warning: {plural(summary.failed_deliveries, 'notification')} about "
            "submissions could not be delivered."
        )
    return section(line, accessory=open_queue_button() if summary.waiting else None)


def digest_queue_section(
    summary: QueueSummary, closing_soon: int, *, now: datetime, warning_days: int
) -> Block:
    """The weekly digest's paragraph about the queue (only sent when something waits)."""
    line = f"*Matching queue*\n{waiting_text(summary, now)}"
    if closing_soon:
        line += f" · {closing_soon} closing automatically within {plural(warning_days, 'day')}"
    line += f".\nAssign or close them from {QUEUE_COMMAND}."
    return section(line, accessory=open_queue_button())


def escalation_queue_section(summary: QueueSummary, *, now: datetime) -> Block:
    """An escalation's paragraph about submissions that waited too long for an admin."""
    return section(
        f":inbox_tray: *{waiting_text(summary, now)}*. Assign or close them from {QUEUE_COMMAND}.",
        accessory=open_queue_button(),
    )


# How a submission that no longer waits ended, as its admin notice says it once redrawn.
_SETTLED = {
    SubmissionStatus.ASSIGNED: (":white_check_mark:", "Matched"),
    SubmissionStatus.CLOSED: (":lock:", "Closed by a program admin"),
    SubmissionStatus.WITHDRAWN: (":leftwards_arrow_with_hook:", "Withdrawn by the {mentee}"),
    SubmissionStatus.EXPIRED: (":hourglass:", "Closed automatically after waiting too long"),
    SubmissionStatus.CANCELLED: (":lock:", "Closed: the {mentee} found a match another way"),
}


def submission_notice(
    submission: Submission, queue: QueueSummary, *, now: datetime, words: Words
) -> tuple[str, list[Block]]:
    """Tell a program admin that a mentee sent their preferences and waits in the queue.

    Once the submission no longer waits, the same message is redrawn saying how it ended,
    without the button into the queue.
    """
    mentee = submission.mentee.display_name
    chosen = "\n".join(
        f"{p.rank}. *{escape(p.mentor.display_name)}* · {p.score.total}% match · "
        + (
            f"{p.open_slots} of {p.mentor.mentor_capacity} slots open"
            if p.open_slots
            else "no open slot"
        )
        for p in submission.preferences
    )
    count = plural(len(submission.preferences), words.mentor, words.mentors)
    if submission.status is not SubmissionStatus.PENDING:
        emoji, outcome = _SETTLED[submission.status]
        outcome = outcome.format(mentee=words.mentee)
        if submission.assigned is not None:
            outcome += f" with {submission.assigned.display_name}"
        if submission.close_reason:
            outcome += f": {submission.close_reason}"
        return f"{mentee}'s preferences: {outcome}", [
            section(f":inbox_tray: *{escape(mentee)}* chose {count}.\n{chosen}"),
            section(quote(submission.message, MESSAGE_EXCERPT)),
            context(f"{emoji} {escape(outcome)}"),
        ]
    text = f"{mentee} is waiting to be matched with {words.a_mentor}."
    blocks: list[Block] = [
        section(
            f":inbox_tray: *{escape(mentee)}* chose {count} and is waiting to be matched."
            f"\n{chosen}",
            accessory=open_queue_button(submission.id),
        ),
        section(quote(submission.message, MESSAGE_EXCERPT)),
        context(
            f"In the queue now: {waiting_text(queue, now)}. Assign one of their choices or "
            f"close their preferences from {QUEUE_COMMAND}; the {words.mentors} they chose are "
            "not told."
        ),
    ]
    return text, blocks
