"""The periodic sweep: every due ask moved, admins told what waits too long, the weekly digest.

``sweep`` derives everything from the database and the ``now`` it is given, so running it late,
twice, or from two processes at once does nothing twice. It gathers one list of due asks from
each kind's rules (requests and offers, meeting requests, admin-routed submissions) and moves
the whole list the same way (:func:`mentoring.asks.sweep.apply_due`: guarded bulk UPDATEs,
events, notices with dedupe keys); on PostgreSQL the candidates are claimed with
``FOR UPDATE SKIP LOCKED``, so two sweepers split the work; SQLite serialises writers. A
workspace with 100,000 pending requests is swept in seconds.

Accepted meetings are announced the day before, and the admins get escalations and the
weekly digest (:mod:`mentoring.sweep.admins`). Active relationships get their check-ins, terms
and closure-survey reminder (:mod:`mentoring.sweep.relationships`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks.kinds import MEETING, OFFER, PREFERENCE, REQUEST
from mentoring.asks.sweep import Due, Move, Sweeper, apply_due
from mentoring.directory.pruning import prune_changes
from mentoring.meetings.sweep import MeetingSweep, MeetingSweeper, announce_tomorrow
from mentoring.program.settings import get_settings
from mentoring.requests.sweep import RequestSweeper
from mentoring.routing.sweep import SubmissionSweeper, tell_expired
from mentoring.sweep.admins import digest, escalate
from mentoring.sweep.relationships import RelationshipSweep, sweep_relationships
from store.models import Workspace

__all__ = ["SweepReport", "sweep", "sweep_all"]


@dataclass(frozen=True, slots=True)
class SweepReport:
    """What one sweep did: requests and offers (submissions counted once), and meetings."""

    reminded: int = 0
    expired: int = 0
    escalated: int = 0
    digests: int = 0
    meetings: MeetingSweep = field(default_factory=MeetingSweep)
    relationships: RelationshipSweep = field(default_factory=RelationshipSweep)
    directory_changes_pruned: int = 0

    def __add__(self, other: SweepReport) -> SweepReport:
        return SweepReport(
            self.reminded + other.reminded,
            self.expired + other.expired,
            self.escalated + other.escalated,
            self.digests + other.digests,
            self.meetings + other.meetings,
            self.relationships + other.relationships,
            self.directory_changes_pruned + other.directory_changes_pruned,
        )


def no_admins(team_id: str) -> tuple[str, ...]:
    return ()


def sweep_all(
    *,
    session_factory: Any,
    now: datetime,
    admins: Callable[[str], Iterable[str]] = no_admins,
) -> SweepReport:
    """Sweep every workspace, each in its own write transaction.

    ``admins`` names each workspace's program admins (asked before its transaction opens, as
    it may ask Slack).
    """
    with session_factory() as session:
        teams = list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))
    totals = SweepReport()
    for team_id in teams:
        admin_ids = tuple(sorted(set(admins(team_id))))
        with session_factory() as session:
            totals += sweep(session=session, team_id=team_id, now=now, admin_user_ids=admin_ids)
    return totals


def sweep(
    *, session: Session, team_id: str, now: datetime, admin_user_ids: Sequence[str] = ()
) -> SweepReport:
    """Move every ask due in one workspace; tell the admins; announce tomorrow's meetings;
    ask check-ins, handle terms and remind of the closure survey; prune the directory's change
    log."""
    settings = get_settings(session=session, team_id=team_id)
    escalating = bool(admin_user_ids)  # nobody to tell otherwise
    sweepers: tuple[Sweeper, ...] = (
        RequestSweeper(escalate=escalating),
        MeetingSweeper(),
        SubmissionSweeper(escalate=escalating),
    )
    due: list[Due] = [d for s in sweepers for d in s.due(session, team_id, settings, now)]
    moved = apply_due(session, team_id, due, now)
    submissions_closed = tell_expired(session, team_id, moved.of(PREFERENCE, Move.EXPIRE), now)
    escalated = escalate(
        session,
        team_id,
        admin_user_ids,
        now,
        requests=[d.id for k in (REQUEST, OFFER) for d in moved.of(k, Move.ESCALATE)],
        submissions=[d.id for d in moved.of(PREFERENCE, Move.ESCALATE)],
    )
    return SweepReport(
        reminded=moved.count(REQUEST, Move.REMIND) + moved.count(OFFER, Move.REMIND),
        expired=moved.count(REQUEST, Move.EXPIRE)
        + moved.count(OFFER, Move.EXPIRE)
        + submissions_closed,
        escalated=escalated,
        digests=digest(session, team_id, settings, admin_user_ids, now),
        meetings=MeetingSweep(
            reminded=moved.count(MEETING, Move.REMIND),
            expired=moved.count(MEETING, Move.EXPIRE),
            announced=announce_tomorrow(session=session, team_id=team_id, now=now),
        ),
        relationships=sweep_relationships(session, team_id, settings, now),
        directory_changes_pruned=prune_changes(session, team_id),
    )
