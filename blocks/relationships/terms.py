"""The question before a term ends: extend, or finish on the date."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block

from blocks.kit import actions, button, context, section
from blocks.relationships.ids import RelAction
from blocks.text import mention, slack_date
from mentoring.core.views import MemberView, RelationshipView


def term_value(relationship_id: int, ends: datetime) -> str:
    """A term button's value: the relationship, and the end date it was drawn with."""
    return f"{relationship_id}:{int(ends.timestamp())}"


def term_card(
    rel: RelationshipView,
    mentor: MemberView,
    mentee: MemberView,
    *,
    extension_days: int,
    asked_for: datetime | None,
) -> tuple[str, list[Block]]:
    """Both are asked about the end date ``asked_for``; once decided (or ended), the card says
    what happened."""
    ends = rel.term_ends_at
    if ends is None:
        return "Your mentoring term", [section("This mentoring relationship has no end date.")]
    text = f"Your mentoring is due to finish on {ends:%b %d, %Y}"
    blocks: list[Block] = [
        section(
            f":calendar: {mention(mentor.slack_user_id)} and {mention(mentee.slack_user_id)}, "
            f"your mentoring is due to finish on *{slack_date(asked_for or ends)}*. Would you "
            "like more time?"
        )
    ]
    if rel.status != "active":
        blocks.append(context(":lock: This mentoring relationship has ended."))
    elif rel.term_decision == "finish":
        blocks.append(context(f":checkered_flag: You'll finish on {slack_date(ends)}."))
    elif asked_for is not None and asked_for != ends:
        blocks.append(context(f":arrows_clockwise: Extended: now until {slack_date(ends)}."))
    else:
        value = term_value(rel.id, ends)
        blocks.append(
            actions(
                button(
                    f"Extend by {extension_days} days",
                    RelAction.TERM_EXTEND,
                    value,
                    style="primary",
                ),
                button(f"Finish on {ends:%b %d}", RelAction.TERM_FINISH, value),
            )
        )
        blocks.append(context("Either of you can answer. No answer: it finishes on the date."))
    return text, blocks
