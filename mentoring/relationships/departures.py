"""People who come and go: Slack's ``user_change`` (deactivated, or back) and ``team_join``.

A member whose Slack account is deactivated leaves the program at once: out of the directory
(no longer a mentor or mentee), every pending request, offer, meeting request and submission
they are part of cancelled with the reason (through the asks' own move, so each card is
redrawn, the leaver's own included, and whoever stays is told), every accepted meeting not yet
held cancelled the same way, every relationship they are in ended (flagged at risk for
the record) with the other person told and asked for feedback, and the admins told. The first
move is a conditional UPDATE (``deactivated_at IS NULL``): Slack retries an event it thinks we
missed, and a retry finds nothing left to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from mentoring.asks.followups import cancel_accepted_for_departure, close_for_departure
from mentoring.asks.kinds import AskRow
from mentoring.core.actors import SYSTEM_DEPARTURE
from mentoring.core.audit import Notice, record_event
from mentoring.core.errors import AlreadyHandled
from mentoring.core.members import find_member, refresh_search_data
from mentoring.core.outbox import insert_ignoring_duplicates, outbox_row
from mentoring.program.settings import get_settings
from mentoring.relationships.at_risk import RiskReason, flag
from mentoring.relationships.ending import EndCause, end_relationship, tell_closed
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Event, MeetingRequest, Member, Relationship, Request


@dataclass(frozen=True, slots=True)
class Departure:
    """What one member's leaving closed."""

    member_id: int
    asks_closed: int
    relationships_ended: int


def member_left(
    *,
    session: Session,
    team_id: str,
    slack_user_id: str,
    admins: Sequence[str],
    now: datetime,
) -> Departure | None:
    """Take a deactivated Slack account out of the program (``None``: nothing to do)."""
    member = find_member(session, team_id, slack_user_id)
    if member is None:
        return None
    roles = {"is_mentor": member.is_mentor, "is_mentee": member.is_mentee}
    moved = session.execute(
        update(Member)
        .where(Member.id == member.id, Member.deactivated_at.is_(None))
        .values(deactivated_at=now, is_mentor=False, is_mentee=False)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return None  # a retry of the same event, or an earlier one
    session.refresh(member)
    refresh_search_data(session, member)
    record_event(
        session,
        team_id=team_id,
        actor=SYSTEM_DEPARTURE,
        action="member.deactivated",
        subject_type="member",
        subject_id=member.id,
        before=roles,
        after={"is_mentor": False, "is_mentee": False},
        at=now,
    )
    reason = f"{member.display_name} is no longer in this Slack workspace."
    closed = _close_asks(session, member, reason, now)
    ended = _end_relationships(session, member, reason, now)
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.ADMIN_DEPARTURE,
                now,
                dedupe_key=f"departure:{member.id}:{now:%Y%m%dT%H%M%S}:{admin}",
                payload={
                    "user": admin,
                    "member": member.slack_user_id,
                    "name": member.display_name,
                    "asks_closed": closed,
                    "relationships_ended": ended,
                },
            )
            for admin in admins
        ],
    )
    return Departure(member.id, closed, ended)


Row = TypeVar("Row", Request, MeetingRequest, Relationship)


def _involving(session: Session, model: type[Row], status: StrEnum, member_id: int) -> list[Row]:
    """The member's rows of ``model`` in ``status``, on either side of the pair, oldest first."""
    return list(
        session.scalars(
            select(model)
            .where(
                model.status == status,
                or_(model.mentee_id == member_id, model.mentor_id == member_id),
            )
            .order_by(model.id)
        ).all()
    )


def _close_asks(session: Session, member: Member, reason: str, now: datetime) -> int:
    """Cancel every pending ask the member is part of; whoever stays is told once each."""
    requests = _involving(session, Request, RequestStatus.PENDING, member.id)
    # A submission of ranked preferences goes as a whole: its mentee chooses again.
    routed_mentees = {r.mentee_id for r in requests if r.kind is RequestKind.ADMIN_ROUTED}
    rows: list[AskRow] = list(requests)
    rows += session.scalars(
        select(Request)
        .where(
            Request.status == RequestStatus.PENDING,
            Request.kind == RequestKind.ADMIN_ROUTED,
            Request.mentee_id.in_(routed_mentees),
            Request.id.not_in([r.id for r in requests]),
        )
        .order_by(Request.id)
    ).all()
    rows += _involving(session, MeetingRequest, RequestStatus.PENDING, member.id)
    closed = _cancel_meetings_ahead(session, member, reason, now)
    told_submission: set[int] = set()
    for row in rows:
        tell = True
        if isinstance(row, Request) and row.kind is RequestKind.ADMIN_ROUTED:
            tell = row.mentee_id != member.id and row.mentee_id not in told_submission
            told_submission.add(row.mentee_id)
        try:
            with session.begin_nested():
                close_for_departure(
                    session, row, departed_id=member.id, reason=reason, now=now, tell=tell
                )
        except AlreadyHandled:
            continue
        closed += 1
    return closed


def _cancel_meetings_ahead(session: Session, member: Member, reason: str, now: datetime) -> int:
    """Cancel the member's accepted meetings not yet held; whoever stays is told once each."""
    ahead = [
        m
        for m in _involving(session, MeetingRequest, RequestStatus.ACCEPTED, member.id)
        if m.meeting_at is not None and m.meeting_at > now
    ]
    return sum(
        cancel_accepted_for_departure(
            session, meeting, departed_id=member.id, reason=reason, now=now
        )
        for meeting in ahead
    )


def _end_relationships(session: Session, member: Member, reason: str, now: datetime) -> int:
    relationships = _involving(session, Relationship, RelationshipStatus.ACTIVE, member.id)
    flag(
        session,
        member.team_id,
        [r.id for r in relationships],
        RiskReason.DEPARTED,
        SYSTEM_DEPARTURE,
        now,
    )
    ended = 0
    for relationship in relationships:
        session.refresh(relationship)
        if not end_relationship(
            session,
            relationship,
            if_active=True,
            status=RelationshipStatus.ABANDONED,
            cause=EndCause.DEPARTURE,
            reason=reason,
            actor=SYSTEM_DEPARTURE,
            now=now,
        ):
            continue
        other = (
            relationship.mentee_id
            if relationship.mentor_id == member.id
            else relationship.mentor_id
        )
        tell_closed(session, relationship, [other], now)
        ended += 1
    return ended


def member_returned(*, session: Session, team_id: str, slack_user_id: str, now: datetime) -> bool:
    """A reactivated account: back in the directory with the roles it had (not its pairs)."""
    member = find_member(session, team_id, slack_user_id)
    if member is None or member.deactivated_at is None:
        return False
    left = session.scalars(
        select(Event)
        .where(
            Event.team_id == team_id,
            Event.subject_type == "member",
            Event.subject_id == str(member.id),
            Event.action == "member.deactivated",
        )
        .order_by(Event.id.desc())
        .limit(1)
    ).one_or_none()
    roles = (left.before or {}) if left is not None else {}
    moved = session.execute(
        update(Member)
        .where(Member.id == member.id, Member.deactivated_at.is_not(None))
        .values(
            deactivated_at=None,
            is_mentor=bool(roles.get("is_mentor")),
            is_mentee=bool(roles.get("is_mentee")),
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(member)
    refresh_search_data(session, member)
    record_event(
        session,
        team_id=team_id,
        actor=SYSTEM_DEPARTURE,
        action="member.reactivated",
        subject_type="member",
        subject_id=member.id,
        after=dict(roles),
        at=now,
    )
    return True


def welcome_newcomer(*, session: Session, team_id: str, slack_user_id: str, now: datetime) -> bool:
    """Invite someone who just joined the workspace, when the program welcomes newcomers.

    The notice's dedupe key is the person, so an Events API retry (or a second join) sends
    one welcome.
    """
    if not get_settings(session=session, team_id=team_id).welcome_newcomers:
        return False
    if find_member(session, team_id, slack_user_id) is not None:
        return False
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.WELCOME,
                now,
                dedupe_key=f"welcome:{slack_user_id}",
                payload={"user": slack_user_id},
            )
        ],
    )
    return True
