"""Outbox rows about people rather than pairs: a call for help and a departure told to the
admins, an ask closed because its other person left, a newcomer's welcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from blocks.relationships.notices import (
    ask_departed_notice,
    departure_notice,
    help_notice,
    welcome_notice,
)
from blocks.serialize import as_dicts
from mentoring.asks.kinds import AskRow, kind_of
from mentoring.core.audit import Notice
from mentoring.core.members import get_members
from mentoring.core.wording import Words
from mentoring.relationships.parties import Side
from scheduler.render.outgoing import Outgoing
from store.models import CheckIn, MeetingRequest, Member, OutboxMessage, Relationship, Request

PEOPLE_NOTICES = frozenset(
    {Notice.CHECKIN_HELP, Notice.ASK_DEPARTED, Notice.ADMIN_DEPARTURE, Notice.WELCOME}
)


def render_people(
    session: Session, row: OutboxMessage, notice: Notice, words: Words, now: datetime
) -> Outgoing | None:
    """The message for one of :data:`PEOPLE_NOTICES`, or ``None`` when moot."""
    user = str(row.payload.get("user") or "")
    if notice is Notice.WELCOME:
        text, blocks = welcome_notice(words)
        return Outgoing(user, text, as_dicts(blocks)) if user else None
    if notice is Notice.ADMIN_DEPARTURE:
        text, blocks = departure_notice(
            str(row.payload.get("name") or "Someone"),
            int(row.payload.get("asks_closed") or 0),
            int(row.payload.get("relationships_ended") or 0),
        )
        return Outgoing(user, text, as_dicts(blocks)) if user else None
    if notice is Notice.CHECKIN_HELP:
        return _help(session, row, user, words)
    return _ask_departed(session, row, words)


def _help(session: Session, row: OutboxMessage, admin: str, words: Words) -> Outgoing | None:
    relationship = session.get(Relationship, row.relationship_id) if row.relationship_id else None
    if relationship is None or not admin:
        return None
    checkin = (
        session.query(CheckIn)
        .filter_by(relationship_id=relationship.id, number=int(row.payload.get("number") or 0))
        .one_or_none()
    )
    if checkin is None:
        return None
    side = Side(str(row.payload.get("side") or Side.MENTEE))
    people = get_members(
        session=session,
        team_id=row.team_id,
        ids=(relationship.mentor_id, relationship.mentee_id),
    )
    mentor, mentee = people[relationship.mentor_id], people[relationship.mentee_id]
    asker = mentor if side is Side.MENTOR else mentee
    note = checkin.mentor_note if side is Side.MENTOR else checkin.mentee_note
    text, blocks = help_notice(mentor, mentee, asker, note or "", words)
    return Outgoing(admin, text, as_dicts(blocks))


def _ask_departed(session: Session, row: OutboxMessage, words: Words) -> Outgoing | None:
    ask: AskRow | None = None
    if row.meeting_id is not None:
        ask = session.get(MeetingRequest, row.meeting_id)
    elif row.request_id is not None:
        ask = session.get(Request, row.request_id)
    recipient = session.get(Member, row.recipient_id) if row.recipient_id else None
    if ask is None or recipient is None or recipient.deactivated_at is not None:
        return None
    other_id = ask.mentor_id if recipient.id == ask.mentee_id else ask.mentee_id
    other = session.get(Member, other_id)
    kind = kind_of(ask)
    noun = f"choice of {words.mentors}" if kind.decided_by_admins else kind.noun
    if isinstance(ask, MeetingRequest) and ask.accepted_at is not None:
        noun = "meeting"  # accepted, then cancelled before it was held
    text, blocks = ask_departed_notice(
        noun, other.display_name if other else "them", ask.close_reason
    )
    out: list[dict[str, Any]] = as_dicts(blocks)
    return Outgoing(recipient.slack_user_id, text, out, refresh_homes=(recipient.slack_user_id,))
