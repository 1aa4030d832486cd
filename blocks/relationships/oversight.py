"""``/mentor-admin relationships``: the pairs at risk (why, since when) with Nudge and End, and
the terms ending soon."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from blocks.kit import actions, button, context, divider, header, modal, section
from blocks.relationships.ids import RelAction, RelField, RelView
from blocks.text import escape, plural, slack_date
from mentoring.asks.followups import MAX_CLOSE_REASON_LENGTH
from mentoring.core.wording import Words
from mentoring.relationships.at_risk import reason_words
from mentoring.relationships.oversight import Oversight, PairLine


def _pair(line: PairLine) -> str:
    return f"*{escape(line.mentor.display_name)}* & *{escape(line.mentee.display_name)}*"


def oversight_modal(data: Oversight, words: Words, note: str | None = None) -> View:
    """Pairs at risk first (longest first), then terms ending within 30 days."""
    blocks: list[Block] = []
    if note:
        blocks.append(section(f":white_check_mark: {escape(note)}"))
    blocks += [
        context(
            f"{plural(data.active, 'active pair')} · {data.at_risk_count} at risk · "
            f"{data.ending_count} ending within 30 days"
        ),
        header("At risk"),
    ]
    if not data.at_risk:
        blocks.append(context("No pair is at risk right now."))
    for line in data.at_risk:
        rel = line.relationship
        since = slack_date(rel.at_risk_since) if rel.at_risk_since else "recently"
        blocks.append(
            section(f"{_pair(line)} · {reason_words(rel.at_risk_reason)} · since {since}")
        )
        blocks.append(
            actions(
                button("Nudge", RelAction.ADMIN_NUDGE, str(rel.id)),
                button(
                    "End relationship",
                    RelAction.ADMIN_END,
                    str(rel.id),
                    style="danger",
                ),
                block_id=f"risk-{rel.id}",
            )
        )
    if data.at_risk_count > len(data.at_risk):
        blocks.append(context(f"And {data.at_risk_count - len(data.at_risk)} more."))
    blocks += [divider(), header("Ending soon")]
    lines = [
        f"• {_pair(line)} · {slack_date(line.relationship.term_ends_at)}"
        + (" · finish confirmed" if line.relationship.term_decision == "finish" else "")
        for line in data.ending_soon
        if line.relationship.term_ends_at is not None
    ]
    blocks.append(section("\n".join(lines)) if lines else context("No term ends within 30 days."))
    if data.ending_count > len(data.ending_soon):
        blocks.append(context(f"And {data.ending_count - len(data.ending_soon)} more."))
    blocks.append(
        context(
            f"A nudge is a friendly direct message to both. Ending a relationship tells the "
            f"{words.mentor} and {words.mentee} your reason and asks each for feedback."
        )
    )
    return modal("Relationships", RelView.OVERSIGHT, blocks, close="Close")


def admin_end_modal(relationship_id: int, mentor: str, mentee: str) -> View:
    """The reason an admin gives for ending a relationship (both read it)."""
    return modal(
        "End relationship",
        RelView.ADMIN_END,
        [
            section(
                f"End the mentoring of *{escape(mentor)}* and *{escape(mentee)}*. Both are "
                "told, with your reason, and asked for feedback."
            ),
            InputBlock(
                block_id=RelField.REASON,
                label="Reason (both will read it)",
                element=PlainTextInputElement(
                    action_id=RelField.REASON,
                    multiline=True,
                    max_length=MAX_CLOSE_REASON_LENGTH,
                ),
            ),
        ],
        submit="End relationship",
        private_metadata=json.dumps({"relationship": relationship_id}),
    )
