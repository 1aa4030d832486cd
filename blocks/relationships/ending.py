"""Ending a mentoring relationship."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from blocks.ids import Field
from blocks.ids import View as ViewId
from blocks.kit import modal, section
from blocks.text import escape
from mentoring.relationships.lifecycle import MAX_REASON_LENGTH

FINISH = "finish"
ABANDON = "abandon"


def end_modal(*, relationship_id: int, other_name: str, mode: str) -> View:
    """Finish (completed) or end early (with a reason) a relationship."""
    finishing = mode == FINISH
    intro = (
        f"Mark your mentoring with *{escape(other_name)}* as completed. They'll be told, and the "
        "slot frees up."
        if finishing
        else f"End your mentoring with *{escape(other_name)}* early. They'll be told, with your "
        "reason."
    )
    return modal(
        "Finish mentoring" if finishing else "End mentoring early",
        ViewId.END_RELATIONSHIP,
        [
            section(intro),
            InputBlock(
                block_id=Field.NOTE if finishing else Field.REASON,
                label="A closing note (optional)" if finishing else "Why is it ending?",
                optional=finishing,
                element=PlainTextInputElement(
                    action_id=Field.NOTE if finishing else Field.REASON,
                    multiline=True,
                    max_length=MAX_REASON_LENGTH,
                ),
            ),
        ],
        submit="Finish" if finishing else "End mentoring",
        private_metadata=json.dumps({"relationship": relationship_id, "mode": mode}),
    )
