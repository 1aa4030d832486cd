"""What every kind of ask shows alike: the decline form (a reason, a note, maybe more)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from blocks.ids import Field
from blocks.kit import modal, option, section
from mentoring.asks.moves import MAX_NOTE_LENGTH


def decline_modal(
    title: str,
    callback_id: str,
    lead: str,
    *,
    reasons: Sequence[str],
    note_placeholder: str,
    private_metadata: str,
    more: Sequence[Block] = (),
) -> View:
    """Decline with one of ``reasons`` and an optional note (``more`` inputs after them).

    ``lead`` says what is declined and who will read the reason (mrkdwn, escaped by the caller).
    """
    return modal(
        title,
        callback_id,
        [
            section(lead),
            InputBlock(
                block_id=Field.REASON,
                label="Reason",
                element=StaticSelectElement(
                    action_id=Field.REASON,
                    placeholder="Choose a reason",
                    options=[option(r, r) for r in reasons],
                ),
            ),
            InputBlock(
                block_id=Field.NOTE,
                label="Note",
                optional=True,
                element=PlainTextInputElement(
                    action_id=Field.NOTE,
                    multiline=True,
                    max_length=MAX_NOTE_LENGTH,
                    placeholder=note_placeholder,
                ),
            ),
            *more,
        ],
        submit="Decline",
        private_metadata=private_metadata,
    )
