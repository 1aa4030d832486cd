"""Admin matching tools under real concurrency, on SQLite and PostgreSQL.

Same method as test_concurrency: many threads released at once through a barrier, each in its
own write transaction; losers fail with the expected domain error only, and the database holds
exactly one winner's worth of changes.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring import routing
from mentoring.core.actors import Actor
from mentoring.core.errors import AlreadyHandled, LimitReached
from mentoring.offers.sending import send_offer
from mentoring.recommendations.apply import apply_push
from mentoring.recommendations.plan import PushPlan, plan_push
from mentoring.recommendations.service import PushReport, push_recommendations
from store.db import Database
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import OutboxMessage, Recommendation, Relationship, Request
from tests import factories
from tests.conftest import NOW, TEAM
from tests.mentoring.requests.test_concurrency import (
    THREADS,
    Operation,
    race,
    racing_db,
    set_limits,
)
from tests.mentoring.routing.test_routing import configure

__all__ = ["racing_db"]  # the fixture, used by name

pytestmark = pytest.mark.slow
MESSAGE = "I'd love help growing from senior engineer into a staff engineer role."
ADMIN = Actor("UADMIN", is_admin=True)


def submitting(mentee: str, mentors: tuple[str, ...]) -> Operation:
    return lambda session: routing.submit_preferences(
        session=session,
        team_id=TEAM,
        mentee_user_id=mentee,
        mentor_user_ids=list(mentors),
        message=MESSAGE,
        now=NOW,
    )


def assigning(request_id: int) -> Operation:
    return lambda session: routing.assign(
        session=session, team_id=TEAM, request_id=request_id, actor=ADMIN, now=NOW
    )


def closing(request_id: int) -> Operation:
    return lambda session: routing.close_submission(
        session=session,
        team_id=TEAM,
        request_id=request_id,
        actor=ADMIN,
        reason="Nobody has room this quarter.",
        now=NOW,
    )


def active(db: Database) -> list[tuple[int, int]]:
    with db.read() as s:
        rows = s.execute(
            select(Relationship.mentor_id, Relationship.mentee_id).where(
                Relationship.status == RelationshipStatus.ACTIVE
            )
        )
        return [(a, b) for a, b in rows]


def routed_statuses(db: Database) -> Counter[RequestStatus]:
    with db.read() as s:
        return Counter(
            s.scalars(select(Request.status).where(Request.kind == RequestKind.ADMIN_ROUTED))
        )


def test_assignments_racing_for_one_seat_start_one_relationship(
    db: Database, racing_db: Database
) -> None:
    """24 admins assign 24 mentees to the same mentor with one seat at once: exactly one wins."""
    factories.workspace(db)
    configure(db, matching_mode="admin_routed")
    mentor = factories.mentor(db, "USTAR", mentor_capacity=1)
    heads = []
    for n in range(THREADS):
        factories.mentee(db, f"UE{n:02d}")
        with db.write() as s:
            heads.append(submitting(f"UE{n:02d}", ("USTAR",))(s).id)

    outcome = race(racing_db, [assigning(head) for head in heads])

    outcome.assert_only(LimitReached)
    assert len(outcome.results) == 1
    assert [m for m, _ in active(db)] == [mentor.id]
    assert routed_statuses(db) == {RequestStatus.ACCEPTED: 1, RequestStatus.PENDING: THREADS - 1}


def test_racing_assignments_of_one_submission_match_the_mentee_once(
    db: Database, racing_db: Database
) -> None:
    """Every preference of one submission assigned 8 times at once, with closes racing too."""
    factories.workspace(db)
    configure(db, matching_mode="admin_routed")
    for mentor in ("UM1", "UM2", "UM3"):
        factories.mentor(db, mentor)
    factories.mentee(db, "UE")
    with db.write() as s:
        sub = submitting("UE", ("UM1", "UM2", "UM3"))(s)
    ids = [p.request.id for p in sub.preferences]
    operations = [assigning(i) for i in ids * 7] + [closing(ids[0])] * 3

    outcome = race(racing_db, operations)

    outcome.assert_only(AlreadyHandled, LimitReached)
    assert len(outcome.results) == 1
    statuses = routed_statuses(db)
    if isinstance(outcome.results[0], routing.Assignment):
        assert len(active(db)) == 1
        assert statuses == {RequestStatus.ACCEPTED: 1, RequestStatus.CANCELLED: 2}
        with db.read() as s:
            kinds = Counter(s.scalars(select(OutboxMessage.kind)))
        assert kinds == {"relationship.started": 1, "match.assigned": 2}
    else:
        assert active(db) == []
        assert statuses == {RequestStatus.CLOSED_BY_ADMIN: 3}


def test_a_mentee_submitting_many_times_at_once_has_one_submission(
    db: Database, racing_db: Database
) -> None:
    factories.workspace(db)
    configure(db, matching_mode="admin_routed")
    mentors = [f"UM{n:02d}" for n in range(THREADS)]
    for mentor in mentors:
        factories.mentor(db, mentor)
    factories.mentee(db, "UE")

    outcome = race(racing_db, [submitting("UE", (mentor,)) for mentor in mentors])

    outcome.assert_only(LimitReached)
    assert len(outcome.results) == 1
    assert routed_statuses(db) == {RequestStatus.PENDING: 1}


def test_pushes_racing_leave_each_mentee_one_current_set(db: Database, racing_db: Database) -> None:
    """Eight pushes planned from the same state write at once: each mentee is written once."""
    factories.workspace(db)
    for n in range(6):
        factories.mentor(db, f"UM{n}")
    for n in range(10):
        factories.mentee(db, f"UE{n}")
    with db.read() as s:
        plans = [
            plan_push(
                session=s, team_id=TEAM, actor=ADMIN, per_mentee=3, functional_area=None, now=NOW
            )
            for _ in range(8)
        ]

    def applying(plan: PushPlan) -> Operation:
        return lambda session: apply_push(session=session, plan=plan, batch=plan.mentees)

    outcome = race(racing_db, [applying(plan) for plan in plans])

    outcome.assert_only()
    # The first to write a mentee wins; the others find the mentee changed and leave them be.
    assert sorted(m for applied in outcome.results for m in applied.written) == sorted(
        m.mentee_id for m in plans[0].mentees
    )
    with db.read() as s:
        current = s.execute(
            select(Recommendation.mentee_id, func.count())
            .where(Recommendation.superseded_at.is_(None))
            .group_by(Recommendation.mentee_id)
        ).all()
        notices = s.scalar(select(func.count()).select_from(OutboxMessage))
        superseded = s.scalar(select(func.count()).where(Recommendation.superseded_at.is_not(None)))
    assert sorted(n for _m, n in current) == [3] * 10
    assert (notices, superseded) == (10, 0)


def test_whole_pushes_racing_leave_each_mentee_one_current_set(
    db: Database, racing_db: Database
) -> None:
    """Whole pushes at once (each reads, then writes in batches of 3) interleave safely."""
    factories.workspace(db)
    for n in range(6):
        factories.mentor(db, f"UM{n}")
    for n in range(10):
        factories.mentee(db, f"UE{n}")
    barrier = threading.Barrier(6)
    reports: list[PushReport] = []
    errors: list[BaseException] = []

    def pushing() -> None:
        barrier.wait()
        try:
            reports.append(
                push_recommendations(
                    db=racing_db,
                    team_id=TEAM,
                    actor=ADMIN,
                    per_mentee=3,
                    functional_area=None,
                    now=NOW,
                    batch_size=3,
                )
            )
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=pushing) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and len(reports) == 6
    with db.read() as s:
        current = s.execute(
            select(Recommendation.mentee_id, func.count())
            .where(Recommendation.superseded_at.is_(None))
            .group_by(Recommendation.mentee_id)
        ).all()
        notices = s.scalar(select(func.count()).select_from(OutboxMessage))
    assert sorted(n for _m, n in current) == [3] * 10
    # One message per set written; every mentee skipped by one push was written by another.
    assert notices == sum(r.mentees_recommended for r in reports)
    assert all(r.mentees_recommended + r.mentees_changed == 10 for r in reports)


def test_offers_racing_for_one_open_slot_leave_one_pending(
    db: Database, racing_db: Database
) -> None:
    """A mentor with one open slot offers to 24 mentees at once: one offer is sent."""
    factories.workspace(db)
    configure(db, mentor_offers_enabled=True)
    set_limits(db, max_pending_requests_per_mentee=3)
    factories.mentor(db, "UM", mentor_capacity=1)
    mentees = [f"UE{n:02d}" for n in range(THREADS)]
    for mentee in mentees:
        factories.mentee(db, mentee)

    def offering(mentee: str) -> Operation:
        return lambda session: send_offer(
            session=session,
            team_id=TEAM,
            mentor_user_id="UM",
            mentee_user_id=mentee,
            message=MESSAGE,
            now=NOW,
        )

    outcome = race(racing_db, [offering(m) for m in mentees])

    outcome.assert_only(LimitReached)
    assert len(outcome.results) == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Request)) == 1


def test_auto_close_racing_assignments_closes_whole_submissions(
    db: Database, racing_db: Database
) -> None:
    """Sweeps at the auto-close moment race admins assigning: no submission ends half-way."""
    from datetime import timedelta

    from mentoring.sweep.sweep import sweep

    factories.workspace(db)
    configure(db, matching_mode="admin_routed")
    for mentor in ("UM1", "UM2", "UM3"):
        factories.mentor(db, mentor, mentor_capacity=10)
    subs = []
    for n in range(8):
        factories.mentee(db, f"UE{n}")
        with db.write() as s:
            subs.append(submitting(f"UE{n}", ("UM1", "UM2", "UM3"))(s))
    later = NOW + timedelta(days=14)

    def sweeping(session: Session) -> object:
        return sweep(session=session, team_id=TEAM, now=later)

    def assigning_later(request_id: int) -> Operation:
        return lambda session: routing.assign(
            session=session, team_id=TEAM, request_id=request_id, actor=ADMIN, now=later
        )

    operations = [assigning_later(sub.preferences[n % 3].request.id) for n, sub in enumerate(subs)]
    outcome = race(racing_db, operations + [sweeping] * 4)

    outcome.assert_only(AlreadyHandled)
    with db.read() as s:
        for sub in subs:
            statuses = Counter(
                s.scalars(select(Request.status).where(Request.mentee_id == sub.mentee.id))
            )
            assert statuses in (
                Counter({RequestStatus.EXPIRED: 3}),
                Counter({RequestStatus.ACCEPTED: 1, RequestStatus.CANCELLED: 2}),
            )
        expired_notices = s.scalar(
            select(func.count()).where(OutboxMessage.kind == "match.expired")
        )
    assigned = sum(isinstance(r, routing.Assignment) for r in outcome.results)
    assert expired_notices == len(subs) - assigned
