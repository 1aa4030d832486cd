"""The invariants of DESIGN.md under real concurrency, on SQLite and PostgreSQL.

Each test releases 20 or more threads at once through a barrier; every thread runs one operation
in its own write transaction (``BEGIN IMMEDIATE`` on SQLite, member row locks on PostgreSQL).
Losers must fail with the expected domain error and nothing else (no "database is locked", no
deadlock, no serialisation failure), and the database must hold exactly one winner's worth of
changes: rows, events and outbox notifications.
"""

from __future__ import annotations

import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring import requests as requests
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.errors import AlreadyHandled, Duplicate, LimitReached
from mentoring.core.views import RequestView
from mentoring.program.settings_changes import update_settings
from mentoring.requests.answers import AcceptResult
from store.db import Database, create_db_engine
from store.enums import RelationshipStatus, RequestStatus
from store.models import Event, OutboxMessage, Relationship, Request
from tests import factories
from tests.conftest import NOW, TEAM

THREADS = 24
MESSAGE = "I'd love help growing from senior engineer into a staff engineer role."
JOIN_TIMEOUT_S = 120

pytestmark = pytest.mark.slow


Operation = Callable[[Session], Any]  # one unit of work, run in its own write transaction


def sending(mentee: str, mentor: str) -> Operation:
    return lambda session: requests.send_request(
        session=session,
        team_id=TEAM,
        mentee_user_id=mentee,
        mentor_user_id=mentor,
        message=MESSAGE,
        now=NOW,
    )


def accepting(request: RequestView, mentor: str) -> Operation:
    return lambda session: requests.accept(
        session=session, team_id=TEAM, request_id=request.id, actor_user_id=mentor, now=NOW
    )


def declining(request: RequestView, mentor: str) -> Operation:
    return lambda session: requests.decline(
        session=session,
        team_id=TEAM,
        request_id=request.id,
        actor_user_id=mentor,
        reason="I don't have time right now",
        now=NOW,
    )


def expiring(request: RequestView) -> Operation:
    return lambda session: requests.expire(
        session=session, team_id=TEAM, request_id=request.id, now=NOW
    )


def reminding(request: RequestView) -> Operation:
    return lambda session: requests.remind(
        session=session, team_id=TEAM, request_id=request.id, actor=SYSTEM_SWEEP, now=NOW
    )


def send(db: Database, mentee: str, mentor: str) -> RequestView:
    with db.write() as session:
        view: RequestView = sending(mentee, mentor)(session)
        return view


@dataclass(frozen=True)
class Race:
    """What the racing threads got: their return values and the exceptions they raised."""

    results: list[Any]
    errors: list[BaseException]

    def error_types(self) -> Counter[str]:
        return Counter(type(error).__name__ for error in self.errors)

    def assert_only(self, *allowed: type[BaseException]) -> None:
        """Every failure is one of ``allowed``; anything else is shown with its traceback."""
        unexpected = [e for e in self.errors if not isinstance(e, allowed)]
        assert not unexpected, (
            f"{len(unexpected)} unexpected exceptions ({self.error_types()}); the first:\n"
            + "".join(traceback.format_exception(unexpected[0], chain=False))
        )


@pytest.fixture
def racing_db(db: Database) -> Iterator[Database]:
    """``db`` with a connection pool wide enough for every thread to hold a connection at once.

    SQLite writers queue on the database's write lock (busy timeout) whatever the pool size.
    """
    if db.is_sqlite:
        yield db
        return
    url = db.engine.url.render_as_string(hide_password=False)
    wide = Database(create_db_engine(url, pool_size=2 * THREADS, max_overflow=0))
    yield wide
    wide.dispose()


def race(database: Database, operations: Sequence[Operation]) -> Race:
    """Run each operation in its own thread and write transaction, all released at once."""
    barrier = threading.Barrier(len(operations))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(operation: Operation) -> None:
        barrier.wait()
        try:
            with database.write() as session:
                result = operation(session)
        except Exception as exc:  # noqa: BLE001 - every failure is collected and asserted on
            errors.append(exc)
        else:
            results.append(result)

    threads = [threading.Thread(target=run, args=(op,)) for op in operations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    assert len(results) + len(errors) == len(operations)
    return Race(results, errors)


def set_limits(db: Database, **changes: int) -> None:
    with db.write() as session:
        update_settings(session=session, team_id=TEAM, actor="UADMIN", changes=changes, now=NOW)


def statuses(db: Database) -> Counter[RequestStatus]:
    with db.read() as session:
        return Counter(session.scalars(select(Request.status)))


def active_relationships(db: Database) -> list[tuple[int, int]]:
    with db.read() as session:
        rows = session.execute(
            select(Relationship.mentor_id, Relationship.mentee_id).where(
                Relationship.status == RelationshipStatus.ACTIVE
            )
        )
        return [(mentor_id, mentee_id) for mentor_id, mentee_id in rows]


def event_count(db: Database, action: str) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).where(Event.action == action)) or 0


def outbox_count(db: Database, kind: str) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).where(OutboxMessage.kind == kind)) or 0


def test_mentor_capacity_holds_when_many_accept_at_once(db: Database, racing_db: Database) -> None:
    """A mentor with capacity 3 accepts 24 waiting requests at once: exactly 3 succeed."""
    factories.workspace(db)
    mentor = factories.mentor(db, "UMENTOR", mentor_capacity=3)
    waiting = []
    for n in range(THREADS):
        factories.mentee(db, f"UE{n:02d}")
        waiting.append(send(db, f"UE{n:02d}", "UMENTOR"))

    outcome = race(racing_db, [accepting(request, "UMENTOR") for request in waiting])

    outcome.assert_only(LimitReached)
    assert len(outcome.results) == 3
    assert [mentor_id for mentor_id, _ in active_relationships(db)] == [mentor.id] * 3
    assert statuses(db) == {RequestStatus.ACCEPTED: 3, RequestStatus.PENDING: THREADS - 3}
    assert event_count(db, "request.accepted") == 3
    assert event_count(db, "relationship.started") == 3
    assert outbox_count(db, "request.accepted") == 3


@pytest.mark.parametrize(
    "mentee_enrolled", ["before the mentors", "after the mentors"], ids=["mentee-first", "last"]
)
def test_mentee_gets_one_mentor_when_all_mentors_accept_at_once(
    db: Database, racing_db: Database, mentee_enrolled: str
) -> None:
    """20 mentors accept the same mentee at once: one relationship, the 19 others cancelled.

    The enrolment order decides whether the mentee's member row is locked before or after each
    mentor's (locks are taken in id order), so both orders are raced.
    """
    factories.workspace(db)
    max_pending = 20  # the most the settings allow
    set_limits(db, max_pending_requests_per_mentee=max_pending)
    if mentee_enrolled == "before the mentors":
        factories.mentee(db, "UMENTEE")
    mentors = [f"UM{n:02d}" for n in range(max_pending)]
    for mentor in mentors:
        factories.mentor(db, mentor)
    if mentee_enrolled == "after the mentors":
        factories.mentee(db, "UMENTEE")
    waiting = [send(db, "UMENTEE", mentor) for mentor in mentors]

    outcome = race(
        racing_db,
        [accepting(request, mentor) for request, mentor in zip(waiting, mentors, strict=True)],
    )

    # A loser that read its request before the winner committed is stopped by the mentee's limit;
    # one that read it afterwards finds it already cancelled.
    outcome.assert_only(LimitReached, AlreadyHandled)
    assert len(outcome.results) == 1
    (winner,) = outcome.results
    assert len(winner.cancelled) == max_pending - 1
    assert active_relationships(db) == [(winner.relationship.mentor_id, winner.request.mentee_id)]
    assert statuses(db) == {RequestStatus.ACCEPTED: 1, RequestStatus.CANCELLED: max_pending - 1}
    assert event_count(db, "request.cancelled") == max_pending - 1
    assert outbox_count(db, "request.cancelled") == max_pending - 1


def test_mentee_pending_limit_holds_when_sending_many_requests_at_once(
    db: Database, racing_db: Database
) -> None:
    """A mentee allowed 2 pending requests sends 24 at once to 24 mentors: exactly 2 are sent."""
    factories.workspace(db)
    set_limits(db, max_pending_requests_per_mentee=2)
    factories.mentee(db, "UMENTEE")
    mentors = [f"UM{n:02d}" for n in range(THREADS)]
    for mentor in mentors:
        factories.mentor(db, mentor)

    outcome = race(racing_db, [sending("UMENTEE", mentor) for mentor in mentors])

    outcome.assert_only(LimitReached)
    assert len(outcome.results) == 2
    assert statuses(db) == {RequestStatus.PENDING: 2}
    assert event_count(db, "request.sent") == 2
    assert outbox_count(db, "request.received") == 2


def test_identical_requests_sent_at_once_leave_one_pending(
    db: Database, racing_db: Database
) -> None:
    """24 identical mentee->mentor requests at once (double submits): one is pending."""
    factories.workspace(db)
    factories.mentor(db, "UMENTOR")
    factories.mentee(db, "UMENTEE")

    outcome = race(racing_db, [sending("UMENTEE", "UMENTOR")] * THREADS)

    outcome.assert_only(Duplicate)
    assert len(outcome.results) == 1
    assert statuses(db) == {RequestStatus.PENDING: 1}
    assert event_count(db, "request.sent") == 1
    assert outbox_count(db, "request.received") == 1


def test_double_clicks_on_accept_start_one_relationship(db: Database, racing_db: Database) -> None:
    """24 clicks on the same Accept button (double clicks, Slack retries): one relationship.

    Every other click is told the request was already handled.
    """
    factories.workspace(db)
    factories.mentor(db, "UMENTOR")
    factories.mentee(db, "UMENTEE")
    request = send(db, "UMENTEE", "UMENTOR")

    outcome = race(racing_db, [accepting(request, "UMENTOR")] * THREADS)

    outcome.assert_only(AlreadyHandled)
    assert len(outcome.results) == 1
    assert len(active_relationships(db)) == 1
    assert statuses(db) == {RequestStatus.ACCEPTED: 1}
    assert event_count(db, "request.accepted") == 1
    assert event_count(db, "relationship.started") == 1
    assert outbox_count(db, "request.accepted") == 1
    assert outbox_count(db, "relationship.started") == 1


def test_concurrent_reminders_queue_one_notice_each(db: Database, racing_db: Database) -> None:
    """24 reminders of one request at once: each success counts once and queues one notice.

    Reminders that lost the race to the counter change nothing and say AlreadyHandled.
    """
    factories.workspace(db)
    factories.mentor(db, "UMENTOR")
    factories.mentee(db, "UMENTEE")
    request = send(db, "UMENTEE", "UMENTOR")

    outcome = race(racing_db, [reminding(request)] * THREADS)

    outcome.assert_only(AlreadyHandled)
    reminded = len(outcome.results)
    assert reminded >= 1
    assert sorted(view.reminder_count for view in outcome.results) == list(range(1, reminded + 1))
    with db.read() as session:
        assert session.get_one(Request, request.id).reminder_count == reminded
        keys = session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "request.reminder")
        ).all()
    assert Counter(keys) == Counter(f"reminder:{request.id}:{n}" for n in range(1, reminded + 1))
    assert event_count(db, "request.reminded") == reminded


def test_sibling_requests_answered_while_one_is_accepted(db: Database, racing_db: Database) -> None:
    """Mentees' requests are accepted, declined and expired at the same moment.

    Each of 8 mentees has three pending requests, to three mentors enrolled before them. All 24
    answers race: every accept succeeds, and each sibling ends declined/expired or, when the
    accept got there first, cancelled (the decline or expiry then says AlreadyHandled). Deadlocks
    between the accept's cancellations and the sibling's notifications must not happen.
    """
    factories.workspace(db)
    mentees = [f"UE{n:02d}" for n in range(8)]
    trios = {mentee: [f"UM{n:02d}{side}" for side in "ABC"] for n, mentee in enumerate(mentees)}
    for trio in trios.values():
        for mentor in trio:
            factories.mentor(db, mentor)
    operations: list[Operation] = []
    for mentee, (accepter, decliner, ignored) in trios.items():
        factories.mentee(db, mentee)
        to_accept, to_decline, to_expire = (
            send(db, mentee, mentor) for mentor in (accepter, decliner, ignored)
        )
        operations += [
            accepting(to_accept, accepter),
            declining(to_decline, decliner),
            expiring(to_expire),
        ]

    outcome = race(racing_db, operations)

    outcome.assert_only(AlreadyHandled)
    assert sum(isinstance(result, AcceptResult) for result in outcome.results) == len(mentees)
    assert len(active_relationships(db)) == len(mentees)
    final = statuses(db)
    assert final[RequestStatus.ACCEPTED] == len(mentees)
    assert final[RequestStatus.PENDING] == 0
    assert final[RequestStatus.DECLINED] + final[RequestStatus.EXPIRED] == len(
        outcome.results
    ) - len(mentees)
    assert final[RequestStatus.CANCELLED] == len(outcome.errors)
    assert event_count(db, "request.cancelled") == final[RequestStatus.CANCELLED]
