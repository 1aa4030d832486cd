"""The check-in card in a pair's group DM, and the "we need help" form."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    InputBlock,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from blocks.kit import button, context, modal, option, section
from blocks.relationships.ids import RelAction, RelField, RelView
from blocks.text import escape, mention, slack_date
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.relationships.checkins import MAX_NOTE_LENGTH, Answer, CheckInView

ANSWER_WORDS = {
    Answer.YES: ":white_check_mark: yes, we met",
    Answer.NOT_YET: ":hourglass_flowing_sand: not yet",
    Answer.HELP: ":sos: asked for help",
}
RATINGS = {1: "1 · not well", 2: "2", 3: "3 · fine", 4: "4", 5: "5 · great"}


def checkin_text(mentor: MemberView, mentee: MemberView, checkin: CheckInView) -> str:
    """The fallback text of a check-in (also what notifications show)."""
    return f"Check-in for {mentor.display_name} and {mentee.display_name}: have you met?"


def checkin_card(
    checkin: CheckInView,
    *,
    mentor: MemberView,
    mentee: MemberView,
    words: Words,
    active: bool,
) -> list[Block]:
    """The question, who answered what, and buttons while it is open and someone has not."""
    blocks: list[Block] = [
        section(
            f":wave: {mention(mentor.slack_user_id)} and {mention(mentee.slack_user_id)}, "
            f"*have you met since {slack_date(checkin.since)}?* Each of you, please answer."
        ),
        context(
            f"{escape(mentor.display_name)} ({words.mentor}): "
            f"{_said(checkin.mentor_answer, checkin.mentor_rated)}",
            f"{escape(mentee.display_name)} ({words.mentee}): "
            f"{_said(checkin.mentee_answer, checkin.mentee_rated)}",
        ),
    ]
    open_ = active and checkin.closed_at is None
    if open_ and not checkin.complete:
        value = str(checkin.id)
        blocks.append(
            ActionsBlock(
                elements=[
                    button("Yes", RelAction.CHECKIN_YES, value, style="primary"),
                    button("Not yet", RelAction.CHECKIN_NOT_YET, value),
                    button("We need help", RelAction.CHECKIN_HELP, value, style="danger"),
                    StaticSelectElement(
                        action_id=RelAction.CHECKIN_RATE,
                        placeholder="How is it going? (1-5)",
                        options=[
                            option(label, f"{checkin.id}:{n}") for n, label in RATINGS.items()
                        ],
                    ),
                ]
            )
        )
        blocks.append(context("How it is going stays between you and the program's admins."))
    elif open_:
        blocks.append(context(":raised_hands: Thank you both!"))
    elif not active:
        blocks.append(context(":lock: Closed: this mentoring relationship has ended."))
    else:
        blocks.append(context(":lock: Closed: a newer check-in was sent."))
    return blocks


def _said(answer: Answer | None, rated: bool) -> str:
    said = ANSWER_WORDS[answer] if answer else "not answered yet"
    return said + (" · shared how it is going" if rated else "")


def help_modal(checkin_id: int, words: Words) -> View:
    """What do you need help with? The program's admins read it at once."""
    return modal(
        "We need help",
        RelView.CHECKIN_HELP,
        [
            section(
                "Tell the program's admins what is getting in the way. Only they read this; "
                f"your {words.mentor} or {words.mentee} sees only that you asked for help."
            ),
            InputBlock(
                block_id=RelField.NOTE,
                label="What do you need help with?",
                element=PlainTextInputElement(
                    action_id=RelField.NOTE, multiline=True, max_length=MAX_NOTE_LENGTH
                ),
            ),
        ],
        submit="Ask for help",
        private_metadata=json.dumps({"checkin": checkin_id}),
    )
