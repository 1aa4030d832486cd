"""Everything that shows a request: the request modal, the answerer's card, the decline modal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
)
from slack_sdk.models.views import View

from blocks.asks import decline
from blocks.directory import dm_link
from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.kit import (
    actions,
    button,
    context,
    header,
    message_input,
    modal,
    section,
    sent_modal,
)
from blocks.profiles import profile_button
from blocks.text import age, escape, mention, quote
from mentoring.core.views import MemberView, RequestView
from mentoring.core.wording import Words
from store.enums import RequestKind, RequestStatus


@dataclass(frozen=True, slots=True)
class RequestCard:
    """What the person who answers a request sees about it."""

    request: RequestView
    mentee: MemberView
    mentor: MemberView
    reasons: tuple[str, ...] = ()
    score: int | None = None


def request_modal(
    *, mentor: MemberView, min_length: int, max_length: int, words: Words, draft: str = ""
) -> View:
    """Ask a mentor, with a personal message."""
    blocks: list[Block] = [
        section(f"You're asking *{escape(mentor.display_name)}* to be your {words.mentor}."),
    ]
    if mentor.title or mentor.expertise:
        blocks.append(
            context(escape(" · ".join(filter(None, [mentor.title, ", ".join(mentor.expertise)]))))
        )
    blocks.append(
        message_input(
            f"Why this {words.mentor}, and what you hope to learn.",
            "Hi! I'd love your help with…",
            min_length=min_length,
            max_length=max_length,
            draft=draft,
        )
    )
    return modal(
        "Send a request",
        ViewId.REQUEST,
        blocks,
        submit="Send request",
        private_metadata=json.dumps({"mentor": mentor.slack_user_id}),
    )


def request_sent_modal(*, mentor: MemberView, words: Words) -> View:
    """Shown in place of the request modal once the request is saved."""
    return sent_modal(
        "Request sent",
        ViewId.REQUEST,
        f"Your request is on its way to *{escape(mentor.display_name)}*. You'll get a direct "
        "message as soon as they answer.",
        f"You can withdraw it from the app's Home tab while it waits for the {words.mentor}.",
    )


_STATUS_EMOJI = {
    RequestStatus.ACCEPTED: ":white_check_mark:",
    RequestStatus.DECLINED: ":no_entry_sign:",
    RequestStatus.WITHDRAWN: ":leftwards_arrow_with_hook:",
    RequestStatus.EXPIRED: ":hourglass:",
    RequestStatus.CLOSED_BY_ADMIN: ":lock:",
    RequestStatus.CANCELLED: ":lock:",
}
_STATUS_WORDS = {
    RequestStatus.ACCEPTED: "Accepted",
    RequestStatus.DECLINED: "Declined",
    RequestStatus.WITHDRAWN: "Withdrawn by the sender",
    RequestStatus.EXPIRED: "Closed automatically after waiting too long",
    RequestStatus.CLOSED_BY_ADMIN: "Closed by a program admin",
    RequestStatus.CANCELLED: "Cancelled: they found a match elsewhere",
}
# An offer's card is the mentee's, about the mentor's offer: it says so in its own words.
_OFFER_STATUS_WORDS = {
    **_STATUS_WORDS,
    RequestStatus.CLOSED_BY_ADMIN: "Withdrawn by a program admin",
    RequestStatus.CANCELLED: "Closed now that you have {a_mentor}",
}


def outcome_words(req: RequestView, words: Words) -> str:
    """How a request that no longer waits ended, in plain words for whoever answers it."""
    table = _OFFER_STATUS_WORDS if req.kind is RequestKind.MENTOR_OFFER else _STATUS_WORDS
    return table[req.status].format(a_mentor=words.a_mentor)


def request_card(
    card: RequestCard,
    *,
    team_id: str,
    now: datetime,
    words: Words,
    reminder: bool = False,
    outcome: str | None = None,
) -> list[Block]:
    """The answerer's message about a request; live buttons only while it is pending.

    ``outcome``: plain words saying how it ended, when the notice knows more than the status
    (an offer cancelled because its mentor has no open slot left).
    """
    req, mentee, mentor = card.request, card.mentee, card.mentor
    offer = req.kind is RequestKind.MENTOR_OFFER
    sender = mentor if offer else mentee
    if reminder:
        title = f"Reminder: {sender.display_name} is waiting for your answer"
    elif offer:
        title = f"{sender.display_name} offers to be your {words.mentor}"
    else:
        title = f"{sender.display_name} would like you as their {words.mentor}"
    blocks: list[Block] = [header(title), section(profile_summary(sender, words))]
    blocks.append(section(f"*Their message*\n{quote(req.message)}"))
    if card.reasons:
        score = f"{card.score}% match: " if card.score is not None else ""
        blocks.append(context(score + escape("; ".join(card.reasons))))
    if req.status is RequestStatus.PENDING:
        blocks.append(
            context(f"Sent {age(req.created_at, now)} ago · {mention(sender.slack_user_id)}")
        )
        blocks.append(
            actions(
                button("Accept", Action.ACCEPT, str(req.id), style="primary"),
                button("Decline", Action.DECLINE, str(req.id)),
                profile_button(sender.slack_user_id),
                button(
                    "Message",
                    Action.MESSAGE_MENTOR,
                    sender.slack_user_id,
                    url=dm_link(team_id, sender.slack_user_id),
                ),
            )
        )
    else:
        if outcome is None and req.status is RequestStatus.CANCELLED and req.close_reason:
            outcome = f"Closed: {req.close_reason}"  # someone left Slack: the reason says who
        line = f"{_STATUS_EMOJI[req.status]} {escape(outcome or outcome_words(req, words))}"
        if req.status is RequestStatus.DECLINED and req.decline_reason:
            line += f": {escape(req.decline_reason)}"
        if req.status is RequestStatus.CLOSED_BY_ADMIN and req.close_reason:
            line += f": {escape(req.close_reason)}"
        blocks.append(context(line))
    return blocks


def profile_summary(member: MemberView, words: Words) -> str:
    """A few escaped lines about a person for cards and introductions."""
    lines = [f"*{escape(member.display_name)}* ({mention(member.slack_user_id)})"]
    about = " · ".join(filter(None, [member.title, member.functional_area, member.location]))
    if about:
        lines.append(escape(about))
    if member.is_mentor and member.expertise:
        lines.append("Can help with: " + escape(", ".join(member.expertise)))
    if member.is_mentee and member.interests:
        lines.append("Wants to learn: " + escape(", ".join(member.interests)))
    if member.goals:
        lines.append("Goals: " + escape(member.goals[:300]))
    return "\n".join(lines)


def decline_modal(
    *,
    request_id: int,
    mentee: MemberView,
    reasons: Sequence[str],
    is_mentor: bool,
    words: Words,
    offer: bool = False,
) -> View:
    """Decline with one of the program's reasons, a note, and optionally a pause.

    ``mentee`` is whoever sent it (the mentor, for an ``offer``).
    """
    pause = InputBlock(
        block_id=Field.PAUSE_UNTIL,
        label="Pause new requests until",
        optional=True,
        hint=f"No new requests reach you until then; your current {words.mentees} stay.",
        element=DatePickerElement(action_id=Field.PAUSE_UNTIL, placeholder="Pick a date"),
    )
    noun = "offer" if offer else "request"
    return decline.decline_modal(
        f"Decline {noun}",
        ViewId.DECLINE,
        f"Declining *{escape(mentee.display_name)}*'s {noun}. They and the program admins will "
        "see the reason and your note.",
        reasons=reasons,
        note_placeholder="A kind word or a suggestion of someone else to ask",
        private_metadata=json.dumps({"request": request_id}),
        more=[pause] if is_mentor else [],
    )


def answered_modal(text: str) -> View:
    """A one-line confirmation that replaces a submitted modal."""
    return modal("Done", ViewId.DECLINE, [section(text)], close="Close")
