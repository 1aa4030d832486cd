"""Direct messages that tell people what happened to a request or a relationship."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block

from blocks.ids import Action
from blocks.kit import button, context, section
from blocks.requests.cards import profile_summary
from blocks.text import escape, mention, quote
from mentoring.core.views import MemberView, RequestView
from mentoring.core.wording import Words
from mentoring.directory.search import MentorMatch


def _alternatives(matches: Sequence[MentorMatch], words: Words) -> list[Block]:
    if not matches:
        return [context(f"Type `/find-mentor` to look for another {words.mentor}.")]
    blocks: list[Block] = [section(f"*Other {words.mentors} you could ask*")]
    for m in matches:
        reasons = "; ".join(m.score.reasons[:2])
        blocks.append(
            section(
                f"*{escape(m.mentor.display_name)}* · {m.score.total}% match"
                + (f"\n{escape(reasons)}" if reasons else ""),
                accessory=button("Request", Action.REQUEST_MENTOR, m.mentor.slack_user_id),
            )
        )
    return blocks


def declined_notice(
    req: RequestView, answerer: MemberView, alternatives: Sequence[MentorMatch], words: Words
) -> tuple[str, list[Block]]:
    text = f"{answerer.display_name} can't take your request right now."
    body = f":wave: *{escape(answerer.display_name)}* can't take your request right now."
    if req.decline_reason:
        body += f"\n*Reason:* {escape(req.decline_reason)}"
    blocks: list[Block] = [section(body)]
    if req.decline_note:
        blocks.append(section(f"*Their note*\n{quote(req.decline_note)}"))
    blocks.extend(_alternatives(alternatives, words))
    return text, blocks


def expired_notice_for_mentee(
    mentor: MemberView, alternatives: Sequence[MentorMatch], words: Words
) -> tuple[str, list[Block]]:
    text = f"Your request to {mentor.display_name} was closed after waiting too long."
    blocks: list[Block] = [
        section(
            f":hourglass: Your request to *{escape(mentor.display_name)}* has been waiting a long "
            f"time, so we closed it to free you up. It's not about you: {words.mentors} get busy. "
            "Here are others who could help."
        ),
        *_alternatives(alternatives, words),
    ]
    return text, blocks


def closed_notice_for_mentee(
    req: RequestView, mentor: MemberView, words: Words
) -> tuple[str, list[Block]]:
    text = f"A program admin closed your request to {mentor.display_name}."
    blocks: list[Block] = [
        section(
            f":lock: A program admin closed your request to *{escape(mentor.display_name)}*."
            + (f"\n*Reason:* {escape(req.close_reason)}" if req.close_reason else "")
        ),
        context(f"Type `/find-mentor` to look for another {words.mentor}."),
    ]
    return text, blocks


def accepted_notice(
    answerer: MemberView, conversation_id: str | None, words: Words
) -> tuple[str, list[Block]]:
    text = f"{answerer.display_name} accepted your request!"
    where = (
        f"Say hello in your shared conversation: <#{conversation_id}>."
        if conversation_id
        else "They'll reach out to you in a direct message."
    )
    return text, [
        section(f":tada: *{escape(answerer.display_name)}* accepted your request! {where}")
    ]


def introduction(
    mentor: MemberView, mentee: MemberView, request: RequestView | None, words: Words
) -> tuple[str, list[Block]]:
    """The first message in the pair's group DM."""
    text = f"{mentor.display_name} and {mentee.display_name}: welcome to your mentoring space."
    blocks: list[Block] = [
        section(
            f":handshake: {mention(mentor.slack_user_id)} and {mention(mentee.slack_user_id)}, "
            f"this is your shared space for mentoring."
        ),
        section(f"*Your {words.mentor}*\n" + profile_summary(mentor, words)),
        section(f"*Your {words.mentee}*\n" + profile_summary(mentee, words)),
    ]
    if request is not None:
        blocks.append(
            section(f"*What {escape(mentee.display_name)} wrote*\n{quote(request.message, 1500)}")
        )
    blocks.append(
        context(
            f"{mention(mentor.slack_user_id)}, please send the first message: suggest a time for a "
            "30-minute intro call."
        )
    )
    return text, blocks


def simple_notice(text: str) -> tuple[str, list[Block]]:
    """A one-line DM (the fallback text and the block say the same)."""
    return text, [section(escape(text))]
