"""Asking every active pair its check-in when due, in bulk (the sweep's check-in step).

A pair is due ``checkin_every_days`` after it started, then the same after its last check-in.
The step reads the due pairs in one query, then moves them with guarded bulk UPDATEs: the
pair's check-in counter moves on only if it still holds the number read (``checkins_asked =
n``) and the pair is still active, so a sweep running twice, late, or in two processes asks
each check-in once; the check-in rows' unique (relationship, number) and the notices' dedupe
keys say the same again. The card goes to the pair's group DM in the mentor's working hours.
Asking a new check-in closes the previous one; a pair whose last two closed unanswered is
flagged at risk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, insert, or_, select, update
from sqlalchemy.orm import Session

from mentoring.asks.reminders import next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice
from mentoring.core.outbox import insert_events, insert_ignoring_duplicates, outbox_row
from mentoring.program.settings import ProgramSettings
from mentoring.relationships.at_risk import RiskReason, flag
from store.enums import RelationshipStatus
from store.models import CheckIn, Member, Relationship

BATCH = 5000  # ids per statement, well under the bound-parameter limits
CHECKINS = cast(Table, CheckIn.__table__)


@dataclass(frozen=True, slots=True)
class _Due:
    id: int
    asked: int  # check-ins asked so far
    since: datetime  # the last check-in, or the start
    tz: str  # the mentor's


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def due_checkins(
    session: Session, team_id: str, settings: ProgramSettings, now: datetime
) -> list[_Due]:
    """The active pairs whose next check-in is due at ``now`` (none when check-ins are off)."""
    if settings.checkin_every_days <= 0:
        return []
    cutoff = now - timedelta(days=settings.checkin_every_days)
    rows = session.execute(
        select(
            Relationship.id,
            Relationship.checkins_asked,
            Relationship.last_checkin_at,
            Relationship.started_at,
            Member.tz,
        )
        .join(Member, Member.id == Relationship.mentor_id)
        .where(
            Relationship.team_id == team_id,
            Relationship.status == RelationshipStatus.ACTIVE,
            or_(
                and_(Relationship.last_checkin_at.is_(None), Relationship.started_at <= cutoff),
                Relationship.last_checkin_at <= cutoff,
            ),
        )
        .order_by(Relationship.id)
    )
    return [_Due(r.id, r.checkins_asked, r.last_checkin_at or r.started_at, r.tz) for r in rows]


def ask_checkins(session: Session, team_id: str, settings: ProgramSettings, now: datetime) -> int:
    """Ask every due pair its next check-in; return how many were asked."""
    due = due_checkins(session, team_id, settings, now)
    by_count: dict[int, list[_Due]] = defaultdict(list)
    for d in due:
        by_count[d.asked].append(d)
    moved: list[_Due] = []
    for count, group in by_count.items():
        by_id = {d.id: d for d in group}
        for chunk in _chunks(list(by_id)):
            result = session.connection().execute(
                update(Relationship)
                .where(
                    Relationship.id.in_(chunk),
                    Relationship.status == RelationshipStatus.ACTIVE,
                    Relationship.checkins_asked == count,
                )
                .values(checkins_asked=count + 1, last_checkin_at=now)
                .returning(Relationship.id)
            )
            moved.extend(by_id[i] for i in result.scalars())
    if not moved:
        return 0
    _close_previous(session, team_id, moved, now)
    session.execute(
        insert(CHECKINS),
        [
            {
                "team_id": team_id,
                "relationship_id": d.id,
                "number": d.asked + 1,
                "since": d.since,
                "asked_at": now,
            }
            for d in moved
        ],
    )
    insert_events(
        session,
        [
            {
                "team_id": team_id,
                "at": now,
                "actor": SYSTEM_SWEEP,
                "action": "relationship.checkin_asked",
                "subject_type": "relationship",
                "subject_id": str(d.id),
                "before": {"checkins_asked": d.asked},
                "after": {"checkins_asked": d.asked + 1},
            }
            for d in moved
        ],
    )
    starts: dict[str, datetime] = {}
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.CHECKIN_ASKED,
                now,
                relationship_id=d.id,
                dedupe_key=f"checkin:{d.id}:{d.asked + 1}",
                deliver_at=starts.get(d.tz)
                or starts.setdefault(d.tz, next_working_moment(now, d.tz, settings)),
                payload={"number": d.asked + 1},
            )
            for d in moved
        ],
    )
    return len(moved)


def _close_previous(session: Session, team_id: str, moved: Sequence[_Due], now: datetime) -> None:
    """Close the moved pairs' open check-ins; redraw those with a card; flag silent pairs."""
    ids = [d.id for d in moved if d.asked]
    closed: list[Any] = []
    for chunk in _chunks(ids):
        closed += (
            session.connection()
            .execute(
                update(CheckIn)
                .where(CheckIn.relationship_id.in_(chunk), CheckIn.closed_at.is_(None))
                .values(closed_at=now)
                .returning(
                    CheckIn.relationship_id,
                    CheckIn.number,
                    CheckIn.slack_ts,
                    CheckIn.mentor_answer,
                    CheckIn.mentee_answer,
                )
            )
            .all()
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
