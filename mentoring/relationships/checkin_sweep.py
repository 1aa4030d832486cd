"""Asking every active pair its check-in when due, in bulk (the sweep's check-in step).

A pair is due ``checkin_every_days`` after it started, then the same after its last check-in.
One guarded UPDATE moves every due pair at once (see :func:`ask_checkins`), so a sweep running
twice, late, or in two processes asks each check-in once; the check-in rows' unique
(relationship, number) and the notices' dedupe keys say the same again. The card goes to the
pair's group DM in the mentor's working hours. Asking a new check-in closes the previous one; a
pair whose last two closed unanswered is flagged at risk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any
from typing import cast as typed

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from mentoring.asks.reminders import next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice
from mentoring.core.outbox import (
    EVENTS,
    insert_ignoring_duplicates,
    insert_ignoring_duplicates_from,
    outbox_row,
)
from mentoring.program.settings import ProgramSettings
from mentoring.relationships.at_risk import RiskReason, flag
from store.enums import OutboxStatus, RelationshipStatus
from store.models import CheckIn, Member, Relationship
from store.types import UTCDateTime

BATCH = 5000  # ids per statement, well under the bound-parameter limits
CHECKINS = typed(Table, CheckIn.__table__)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _due(team_id: str, every_days: int, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Active pairs of the workspace whose last check-in (or start) is ``every_days`` old."""
    cutoff = now - timedelta(days=every_days)
    return (
        Relationship.team_id == team_id,
        Relationship.status == RelationshipStatus.ACTIVE,
        or_(
            and_(Relationship.last_checkin_at.is_(None), Relationship.started_at <= cutoff),
            Relationship.last_checkin_at <= cutoff,
        ),
    )


def ask_checkins(session: Session, team_id: str, settings: ProgramSettings, now: datetime) -> int:
    """Ask every due pair its next check-in; return how many were asked.

    One guarded UPDATE moves every due pair's counter and stamps ``last_checkin_at = now``
    (its WHERE is the due rule, so a pair moved once no longer matches: a second sweep, or a
    racing one re-checking the row after the first committed, moves nothing). The rows that go
    with it (the check-ins, their events, their notices) are then written by INSERT ... SELECT
    from the pairs stamped ``now``, so 20,000 pairs never cross into Python one by one.
    """
    if settings.checkin_every_days <= 0:
        return 0
    moved = session.execute(
        update(Relationship)
        .where(*_due(team_id, settings.checkin_every_days, now))
        .values(checkins_asked=Relationship.checkins_asked + 1, last_checkin_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not moved:
        return 0
    asked_now = and_(Relationship.team_id == team_id, Relationship.last_checkin_at == now)
    stamp = literal(now, UTCDateTime())
    _close_previous(session, team_id, asked_now, now)
    previous = aliased(CheckIn)
    session.execute(
        insert(CHECKINS)
        .from_select(
            ["team_id", "relationship_id", "number", "since", "asked_at"],
            select(
                Relationship.team_id,
                Relationship.id,
                Relationship.checkins_asked,
                func.coalesce(previous.asked_at, Relationship.started_at),
                stamp,
            )
            .outerjoin(
                previous,
                and_(
                    previous.relationship_id == Relationship.id,
                    previous.number == Relationship.checkins_asked - 1,
                ),
            )
            .where(asked_now),
        )
        .prefix_with("OR IGNORE", dialect="sqlite")
    )
    number = _json_number(session, Relationship.checkins_asked)
    session.execute(
        insert(EVENTS).from_select(
            ["team_id", "at", "actor", "action", "subject_type", "subject_id", "after"],
            select(
                Relationship.team_id,
                stamp,
                literal(SYSTEM_SWEEP),
                literal("relationship.checkin_asked"),
                literal("relationship"),
                cast(Relationship.id, String),
                number,
            ).where(asked_now),
        )
    )
    zones = session.scalars(
        select(Member.tz)
        .join(Relationship, Relationship.mentor_id == Member.id)
        .where(asked_now)
        .distinct()
    ).all()
    deliver_at = case(
        {tz: literal(next_working_moment(now, tz, settings), UTCDateTime()) for tz in zones},
        value=Member.tz,
        else_=stamp,
    )
    insert_ignoring_duplicates_from(
        session,
        [
            "team_id",
            "kind",
            "relationship_id",
            "payload",
            "dedupe_key",
            "status",
            "created_at",
            "next_attempt_at",
            "attempts",
        ],
        select(
            Relationship.team_id,
            literal(Notice.CHECKIN_ASKED.value),
            Relationship.id,
            number,
            literal("checkin:")
            .concat(cast(Relationship.id, String))
            .concat(":")
            .concat(cast(Relationship.checkins_asked, String)),
            literal(OutboxStatus.PENDING.value),
            stamp,
            deliver_at,
            literal(0),
        )
        .join(Member, Member.id == Relationship.mentor_id)
        .where(asked_now),
    )
    return int(moved)


def _json_number(session: Session, column: Any) -> ColumnElement[Any]:
    """``{"number": column}`` built by the database (each dialect has its own function)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.json_build_object("number", column)
    return func.json_object("number", column)


def _close_previous(
    session: Session, team_id: str, asked_now: ColumnElement[bool], now: datetime
) -> None:
    """Close the moved pairs' open check-ins; redraw those with a card; flag silent pairs."""
    closed: list[Any] = list(
        session.connection().execute(
            update(CheckIn)
            .where(
                CheckIn.closed_at.is_(None),
                CheckIn.relationship_id.in_(select(Relationship.id).where(asked_now)),
            )
            .values(closed_at=now)
            .returning(
                CheckIn.relationship_id,
                CheckIn.number,
                CheckIn.slack_ts,
                CheckIn.mentor_answer,
                CheckIn.mentee_answer,
            )
        )
    )
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.CHECKIN_UPDATED,
                now,
                relationship_id=c.relationship_id,
                dedupe_key=f"checkin-closed:{c.relationship_id}:{c.number}",
                payload={"number": c.number},
            )
            for c in closed
            if c.slack_ts and not (c.mentor_answer and c.mentee_answer)
        ],
    )
    silent = [c for c in closed if c.number >= 2 and not (c.mentor_answer or c.mentee_answer)]
    if not silent:
        return
    earlier = {(c.relationship_id, c.number - 1) for c in silent}
    quiet_before: set[int] = set()
    for chunk in _chunks(sorted({rel for rel, _n in earlier})):
        for rel, number, mentor, mentee in session.execute(
            select(
                CheckIn.relationship_id,
                CheckIn.number,
                CheckIn.mentor_answer,
                CheckIn.mentee_answer,
            ).where(CheckIn.relationship_id.in_(chunk))
        ):
            if (rel, number) in earlier and not (mentor or mentee):
                quiet_before.add(rel)
    flag(session, team_id, sorted(quiet_before), RiskReason.NO_ANSWER, SYSTEM_SWEEP, now)
