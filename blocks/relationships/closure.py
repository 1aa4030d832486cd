"""The closure survey: the DM that asks for it, and its form."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from blocks.kit import actions, button, context, modal, option, section
from blocks.relationships.checkins import RATINGS
from blocks.relationships.ids import RelAction, RelField, RelView
from blocks.text import escape
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.relationships.closure import MAX_NOTE_LENGTH, OUTCOME_WORDS, FeedbackView


def feedback_card(
    feedback: FeedbackView, other: MemberView, *, reminder: bool, ratings_public: bool
) -> tuple[str, list[Block]]:
    """Ask for feedback (with the button), or thank them once they gave it."""
    name = escape(other.display_name)
    if feedback.answered_at is not None:
        text = f"Thank you for your feedback on your mentoring with {other.display_name}."
        return text, [
            section(f":pray: Thank you for your feedback on your mentoring with *{name}*.")
        ]
    text = (
        f"Reminder: how did your mentoring with {other.display_name} go?"
        if reminder
        else f"How did your mentoring with {other.display_name} go?"
    )
    lead = "Reminder: a" if reminder else "A"
    who_sees = (
        "The program's admins read it; your rating also shows on profiles."
        if ratings_public
        else "Only the program's admins read it."
    )
    return text, [
        section(
            f":bar_chart: Your mentoring with *{name}* has ended. {lead} minute of feedback "
            "helps the program: were your goals met, and how would you rate it?"
        ),
        actions(
            button(
                "Share feedback", RelAction.FEEDBACK, str(feedback.relationship_id), style="primary"
            )
        ),
        context(who_sees),
    ]


def feedback_modal(
    relationship_id: int, other_name: str, words: Words, *, ratings_public: bool
) -> View:
    """Outcome, rating and an optional note."""
    outcomes = [option(label, value.value) for value, label in OUTCOME_WORDS.items()]
    ratings = [option(label, str(n)) for n, label in RATINGS.items()]
    who_sees = (
        f"Admins read everything; a {words.mentee}'s rating of their {words.mentor} also shows "
        "on that profile."
        if ratings_public
        else "Only the program's admins read this."
    )
    return modal(
        "Mentoring feedback",
        RelView.FEEDBACK,
        [
            section(f"Your mentoring with *{escape(other_name)}*."),
            InputBlock(
                block_id=RelField.OUTCOME,
                label="Were your goals met?",
                element=StaticSelectElement(action_id=RelField.OUTCOME, options=outcomes),
            ),
            InputBlock(
                block_id=RelField.RATING,
                label="How would you rate it?",
                element=StaticSelectElement(action_id=RelField.RATING, options=ratings),
            ),
            InputBlock(
                block_id=RelField.NOTE,
                label="Anything else? (optional)",
                optional=True,
                element=PlainTextInputElement(
                    action_id=RelField.NOTE, multiline=True, max_length=MAX_NOTE_LENGTH
                ),
            ),
            context(who_sees),
        ],
        submit="Send",
        private_metadata=json.dumps({"relationship": relationship_id}),
    )
