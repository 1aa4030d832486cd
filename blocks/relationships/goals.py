"""A pair's goals: the form, and how they show in the group DM, on Home and on profiles."""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from blocks.kit import actions, button, context, modal, section
from blocks.relationships.ids import GOAL_FIELDS, RelAction, RelView
from blocks.text import escape
from mentoring.core.wording import Words
from mentoring.relationships.goals import MAX_GOAL_LENGTH, GoalView


def goal_lines(goals: Sequence[GoalView]) -> str:
    """The goals as a short list: done ones ticked."""
    return "\n".join(
        f"{':white_check_mark:' if g.done else ':dart:'} {escape(g.text)}" for g in goals
    )


def goals_blocks(
    relationship_id: int, goals: Sequence[GoalView], words: Words, *, live: bool
) -> list[Block]:
    """The goals with their buttons (``live``: the relationship is still active)."""
    if not goals:
        if not live:
            return []
        return [
            section(
                f"*Your goals*\nAgree on 1-3 goals for your time together: what should the "
                f"{words.mentee} be able to do, know or decide by the end?"
            ),
            actions(button("Write our goals", RelAction.EDIT_GOALS, str(relationship_id))),
        ]
    if not live:
        return [section("*Your goals*\n" + goal_lines(goals))]
    # One section per goal, its "Mark done" the section's own button: action_ids must be
    # unique within a block, so several goals' buttons cannot share one actions block.
    blocks: list[Block] = [section("*Your goals*")]
    for g in goals:
        blocks.append(
            section(
                goal_lines([g]),
                accessory=None if g.done else button("Mark done", RelAction.GOAL_DONE, str(g.id)),
            )
        )
    blocks.append(actions(button("Edit goals", RelAction.EDIT_GOALS, str(relationship_id))))
    return blocks


def goals_modal(relationship_id: int, goals: Sequence[GoalView], other_name: str) -> View:
    """Write or rewrite the 1-3 goals (either of the pair may)."""
    by_position = {g.position: g.text for g in goals}
    inputs = [
        InputBlock(
            block_id=field,
            label=f"Goal {position}",
            optional=position > 1,
            element=PlainTextInputElement(
                action_id=field,
                max_length=MAX_GOAL_LENGTH,
                initial_value=by_position.get(position) or None,
            ),
        )
        for position, field in enumerate(GOAL_FIELDS, start=1)
    ]
    return modal(
        "Our goals",
        RelView.GOALS,
        [
            section(
                f"Goals you and *{escape(other_name)}* agree on. Both of you see them, on your "
                "Home tabs and in your group DM; either can mark one done."
            ),
            *inputs,
            context("A goal you change starts again as not done."),
        ],
        submit="Save",
        private_metadata=json.dumps({"relationship": relationship_id}),
    )
