"""Mentor offers: browsing mentees who are looking, the offer form, and the answers."""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.kit import (
    actions,
    button,
    context,
    divider,
    message_input,
    modal,
    option,
    section,
    sent_modal,
)
from blocks.requests.cards import profile_summary
from blocks.text import escape, plural, quote
from mentoring.core.views import MemberView, RequestView
from mentoring.core.wording import Words
from mentoring.offers.browsing import MenteeMatch, MenteePage

ANY_AREA = "*"  # the filter's "every area" choice
ANY_AREA_LABEL = "Any functional area"


def mentees_modal(
    *, page: MenteePage | None, functional_areas: Sequence[str], area: str | None, words: Words
) -> View:
    """Mentees still looking, best fit first, each with an Offer button.

    With ``page=None`` the modal shows the filter and a line saying the ranking is running: it
    opens at once, and the mentees replace that line a moment later.
    """
    chosen = area if area in functional_areas else None
    areas = [option(ANY_AREA_LABEL, ANY_AREA), *(option(a, a) for a in functional_areas[:99])]
    blocks: list[Block] = [
        # Slack re-runs the browse as soon as the choice changes (dispatch_action); Filter
        # does the same for clients that only submit.
        InputBlock(
            block_id=Field.FUNCTIONAL_AREA,
            label="Functional area",
            optional=True,
            dispatch_action=True,
            element=StaticSelectElement(
                action_id=Action.OFFERS_FILTER,
                placeholder="Any functional area",
                options=areas,
                initial_option=option(chosen, chosen) if chosen else areas[0],
            ),
        ),
    ]
    if page is None:
        blocks += [
            divider(),
            context(
                f":hourglass_flowing_sand: Finding the {words.mentees} still looking for "
                f"{words.a_mentor}…"
            ),
        ]
        return _browse_modal(blocks, page=1, area=chosen)
    blocks += [
        context(
            f"You have {plural(page.open_slots, 'open slot')} not yet promised in an offer."
            if page.open_slots
            else ":warning: Every slot you have is taken or promised in an offer: finish a "
            "relationship, withdraw an offer or raise your capacity before offering more."
        ),
        divider(),
    ]
    if not page.results:
        blocks.append(
            section(f":mag: No {words.mentees} are looking for {words.a_mentor} here right now.")
        )
    else:
        first = (page.page - 1) * page.page_size + 1
        blocks.append(
            context(
                f"Showing {first}-{first + len(page.results) - 1} of "
                f"{plural(page.total, words.mentee, words.mentees)} still looking, best fit first."
            )
        )
        for match in page.results:
            blocks += _mentee(match, words)
        pager = []
        if page.page > 1:
            pager.append(button("← Previous", Action.OFFERS_PAGE, str(page.page - 1)))
        if page.has_more:
            pager.append(button("Next →", Action.OFFERS_PAGE, str(page.page + 1)))
        if pager:
            blocks.append(actions(*pager))
    return _browse_modal(blocks, page=page.page, area=chosen)


def browse_refused_modal(message: str) -> View:
    """In place of the browse: why it can't be shown (``message`` is plain, escaped here)."""
    return modal("Offer your help", ViewId.OFFERS, [section(escape(message))], close="OK")


def _browse_modal(blocks: list[Block], *, page: int, area: str | None) -> View:
    return modal(
        "Offer your help",
        ViewId.OFFERS,
        blocks,
        submit="Filter",
        close="Done",
        private_metadata=json.dumps({"page": page, "area": area}),
    )


def _mentee(match: MenteeMatch, words: Words) -> list[Block]:
    m = match.mentee
    reasons = "; ".join(f.label for f in match.score.factors if f.points and not f.availability)
    text = (
        profile_summary(m, words)
        + f"\n*{match.score.total}% match*"
        + (f": {escape(reasons)}" if reasons else "")
    )
    if match.waiting:
        return [section(text), context("A request or offer between you is waiting already.")]
    return [
        section(text),
        actions(
            button(
                f"Offer to be their {words.mentor}",
                Action.OFFER_MENTEE,
                m.slack_user_id,
                style="primary",
            )
        ),
    ]


def offer_modal(*, mentee: MemberView, min_length: int, max_length: int, words: Words) -> View:
    """Offer to be someone's mentor, with a personal message."""
    return modal(
        "Send an offer",
        ViewId.OFFER,
        [
            section(
                f"You're offering to be *{escape(mentee.display_name)}*'s {words.mentor}. "
                "They can accept or decline."
            ),
            message_input(
                f"Why you'd like to be their {words.mentor} and how you could help.",
                "Hi! I saw you'd like help with…",
                min_length=min_length,
                max_length=max_length,
            ),
        ],
        submit="Send offer",
        private_metadata=json.dumps({"mentee": mentee.slack_user_id}),
    )


def offer_sent_modal(*, mentee: MemberView) -> View:
    return sent_modal(
        "Offer sent",
        ViewId.OFFER,
        f"Your offer is on its way to *{escape(mentee.display_name)}*. You'll get a direct "
        "message as soon as they answer.",
        "You can withdraw it from the app's Home tab while it waits.",
    )


def offer_accepted_notice(
    mentee: MemberView, conversation_id: str | None
) -> tuple[str, list[Block]]:
    """To the mentor whose offer was accepted."""
    text = f"{mentee.display_name} accepted your offer!"
    where = (
        f"Say hello in your shared conversation: <#{conversation_id}>."
        if conversation_id
        else "Reach out to them in a direct message."
    )
    return text, [section(f":tada: *{escape(mentee.display_name)}* accepted your offer! {where}")]


def offer_declined_notice(req: RequestView, mentee: MemberView) -> tuple[str, list[Block]]:
    """To the mentor whose offer was declined, with the mentee's reason and note."""
    text = f"{mentee.display_name} declined your offer."
    body = f":wave: *{escape(mentee.display_name)}* declined your offer."
    if req.decline_reason:
        body += f"\n*Reason:* {escape(req.decline_reason)}"
    blocks: list[Block] = [section(body)]
    if req.decline_note:
        blocks.append(section(f"*Their note*\n{quote(req.decline_note)}"))
    blocks.append(context("Thank you for offering: someone else may be glad of it."))
    return text, blocks


def offer_closed_notice(
    req: RequestView, mentee: MemberView, words: Words
) -> tuple[str, list[Block]]:
    """To the mentor whose offer a program admin closed, with the admin's reason."""
    text = f"Your offer to {mentee.display_name} was closed by a program admin."
    body = f":lock: Your offer to *{escape(mentee.display_name)}* was closed by a program admin."
    if req.close_reason:
        body += f"\n*Reason:* {escape(req.close_reason)}"
    return text, [
        section(body),
        context(
            f"The slot you promised is free again: type `/find-mentor mentees` to see other "
            f"{words.mentees} still looking."
        ),
    ]


def no_room_words(mentor: MemberView, words: Words) -> str:
    """Why an offer was cancelled when its mentor had no room left, for the mentee's card."""
    if not mentor.is_mentor:
        return f"Withdrawn: {mentor.display_name} is no longer {words.a_mentor} in this program"
    return f"Withdrawn: {mentor.display_name} has no open slot for a new {words.mentee} any more"


def offer_cancelled_notice(
    mentee: MemberView, mentor: MemberView, words: Words
) -> tuple[str, list[Block]]:
    """To the mentor whose offer was cancelled because they have no room left for it."""
    name = escape(mentee.display_name)
    if not mentor.is_mentor:
        text = f"Your offer to {mentee.display_name} was withdrawn."
        body = (
            f":leftwards_arrow_with_hook: Your offer to *{name}* was withdrawn because you're no "
            f"longer {words.a_mentor} in this program. They were told."
        )
        return text, [section(body)]
    text = f"Your offer to {mentee.display_name} was withdrawn: your slots are all taken."
    body = (
        f":leftwards_arrow_with_hook: Your offer to *{name}* was withdrawn: every {words.mentee} "
        "slot you have is taken now, so it could no longer be kept. They were told."
    )
    return text, [
        section(body),
        context("To offer again, finish a relationship or raise your capacity in your profile."),
    ]
