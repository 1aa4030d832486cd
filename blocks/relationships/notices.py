"""Short messages about relationships and people: an ending someone else decided, an admin's
nudge, a call for help, a person who left, a newcomer's welcome."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from blocks.ids import Action
from blocks.kit import actions, button, context, section
from blocks.text import escape, quote
from mentoring.core.views import MemberView, RelationshipView
from mentoring.core.wording import Words
from mentoring.relationships.ending import EndCause


def closed_notice(rel: RelationshipView, other: MemberView) -> tuple[str, list[Block]]:
    """Told to each person still here when an admin, the term or a departure ended it."""
    name = other.display_name
    if rel.end_cause == EndCause.TERM:
        text = f"Your mentoring with {name} has finished at the end of its term. Thank you!"
    elif rel.end_cause == EndCause.DEPARTURE:
        text = f"Your mentoring with {name} has ended: {rel.end_reason or 'they left Slack.'}"
    else:
        text = f"A program admin ended your mentoring with {name}."
    blocks: list[Block] = [section(escape(text))]
    if rel.end_cause == EndCause.ADMIN and rel.end_reason:
        blocks.append(section("*Reason*\n" + quote(rel.end_reason, 1000)))
    return text, blocks


def nudge_notice(rel: RelationshipView, other: MemberView, words: Words) -> tuple[str, list[Block]]:
    """An admin's friendly nudge."""
    text = f"How is your mentoring with {other.display_name} going?"
    where = f" in <#{rel.conversation_id}>" if rel.conversation_id else ""
    return text, [
        section(
            f":wave: A friendly nudge from the program's admins: how is your mentoring with "
            f"*{escape(other.display_name)}* going? If you haven't met lately, suggest a time"
            f"{where}. If something is in the way, tell us: we're here to help."
        )
    ]


def help_notice(
    mentor: MemberView, mentee: MemberView, asker: MemberView, note: str, words: Words
) -> tuple[str, list[Block]]:
    """To an admin: one of a pair asked for help in a check-in."""
    text = f"{asker.display_name} asked for help with their mentoring"
    return text, [
        section(
            f":sos: *{escape(asker.display_name)}* asked for help in a check-in "
            f"({words.mentor} {escape(mentor.display_name)}, {words.mentee} "
            f"{escape(mentee.display_name)})."
        ),
        section(quote(note or "(no note)", 1500)),
        context("The pair is marked at risk: `/mentor-admin relationships` lists it."),
    ]


def departure_notice(name: str, asks_closed: int, ended: int) -> tuple[str, list[Block]]:
    """To an admin: someone in the program left Slack."""
    text = f"{name} left Slack and the mentoring program"
    return text, [
        section(
            f":door: *{escape(name)}*'s Slack account was deactivated, so they left the "
            f"mentoring program: {asks_closed} waiting request(s) closed and {ended} "
            "relationship(s) ended. Everyone on the other side was told."
        )
    ]


def ask_departed_notice(noun: str, other: str, reason: str | None) -> tuple[str, list[Block]]:
    """To whoever stays: an ask closed because the other person left."""
    text = f"Your {noun} with {other} was closed: {reason or 'they left Slack.'}"
    return text, [section(escape(text))]


def welcome_notice(words: Words) -> tuple[str, list[Block]]:
    """To a newcomer to the workspace, when the program welcomes them."""
    text = "Welcome! Our workspace runs a mentoring program."
    return text, [
        section(
            f":wave: *Welcome!* This workspace runs a mentoring program: find {words.a_mentor} "
            f"to learn from, or become one. Create a profile to join; type `/find-mentor` any "
            "time to look around."
        ),
        actions(button("Create my profile", Action.OPEN_PROFILE, style="primary")),
    ]
