"""Pacing learned from 429s, and the delivery job's waits: deterministic, on a shared fake clock.

The dispatcher and the fake Slack read the same clock; time moves only when the dispatcher
waits (the wait is injected), so a send's moment is exactly when its turn came.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

import scheduler.delivery as delivery
from fakeslack import FakeSlack, RateLimit, RateLimited, SlackState
from mentoring.requests.sending import send_request
from scheduler.jobs import JobRunner, Jobs
from scheduler.rate_limits import RateLimits
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM

OTHER = "T0OTHER"
MESSAGE = "I'd like advice on growing into a tech lead role, please."
SECOND = timedelta(seconds=1)


class Clock:
    """The time for the dispatcher (``clock()``) and the fake's limits (``seconds()``).

    Moved only by waits.
    """

    def __init__(self) -> None:
        self.now = NOW
        self.waits: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def seconds(self) -> float:
        return (self.now - NOW).total_seconds()

    def wait(self, seconds: float) -> bool:
        """Wait ``seconds`` at once; never stopped."""
        self.waits.append(seconds)
        self.now += timedelta(seconds=seconds)
        return False


@pytest.fixture
def clock() -> Clock:
    return Clock()


def slack(team_id: str, clock: Clock, per_second: int) -> SlackState:
    """A workspace whose chat.postMessage takes ``per_second`` calls in any second."""
    state = SlackState(team_id=team_id, clock=clock.seconds)
    state.set_rate_limit("chat.postMessage", RateLimit(per_second, 1.0, scope="global"))
    state.add_user("UMENTOR", name="umentor", real_name="Umentor", display_name="Umentor")
    return state


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeSlack]:
    with FakeSlack(slack(TEAM, clock, 10)) as server:
        yield server


def queue(db: Database, state: SlackState, team_id: str, count: int) -> None:
    """``count`` requests to one mentor of ``team_id``: one notice each in the outbox."""
    f.workspace(db, team_id)
    f.mentor(db, "UMENTOR", team_id=team_id, mentor_capacity=10)
    for i in range(count):
        user = f"UE{i}"
        state.add_user(user, name=user.lower(), real_name=user, display_name=user)
        f.mentee(db, user, team_id=team_id)
        with db.write() as s:
            send_request(
                session=s,
                team_id=team_id,
                mentee_user_id=user,
                mentor_user_id="UMENTOR",
                message=MESSAGE,
                now=NOW,
            )


def client(server: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test-pacing", base_url=server.api_url)


def deliver(
    db: Database, clients: dict[str, WebClient], clock: Clock, limits: RateLimits
) -> delivery.DeliveryReport:
    return delivery.deliver_due(
        db=db,
        client_for=clients.__getitem__,
        now=clock(),
        clock=clock,
        wait=clock.wait,
        rate_limits=limits,
        rng=random.Random(7),
    )


def sent_at(db: Database, team_id: str) -> list[float]:
    """When each of ``team_id``'s notices was sent, in seconds from ``NOW``, in order."""
    with db.read() as s:
        moments = s.scalars(
            select(OutboxMessage.sent_at)
            .where(OutboxMessage.team_id == team_id, OutboxMessage.sent_at.is_not(None))
            .order_by(OutboxMessage.sent_at)
        )
        return [(m - NOW).total_seconds() for m in moments if m is not None]


def statuses(db: Database) -> list[OutboxStatus]:
    with db.read() as s:
        return list(s.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def most_in_a_second(moments: list[float]) -> int:
    """The most calls that fall within any one second (Slack's sliding window)."""
    micros = [round(m * 1e6) for m in moments]
    return max(sum(1 for m in micros if start - 1_000_000 < m <= start) for start in micros)


def learn_a_pace(limits: RateLimits, team_id: str, sends: int, at: datetime) -> None:
    """``team_id`` had ``sends`` accepted just before ``at``, then a 429 at ``at``."""
    for i in range(sends):
        limits.sent(team_id, at - timedelta(milliseconds=sends - i))
    limits.pause(team_id, at, at)


def test_a_workspace_never_limited_is_not_slowed(
    db: Database, fake: FakeSlack, clock: Clock
) -> None:
    fake.state.set_rate_limit("chat.postMessage", None)
    queue(db, fake.state, TEAM, 30)
    limits = RateLimits()
    report = deliver(db, {TEAM: client(fake)}, clock, limits)
    assert report.sent == 30
    assert clock.waits == []  # every send went at once
    assert limits.ready_at(TEAM, clock()) == clock()


def test_after_a_429_sends_are_spaced_at_the_learned_rate_and_meet_no_second_429(
    db: Database, fake: FakeSlack, clock: Clock
) -> None:
    queue(db, fake.state, TEAM, 30)
    limits = RateLimits()
    report = deliver(db, {TEAM: client(fake)}, clock, limits)
    calls = fake.state.calls("chat.postMessage")
    assert [c.status for c in calls].count(429) == 1  # the one that taught the pace
    assert report.sent == 30
    assert statuses(db) == [OutboxStatus.SENT] * 30
    assert len(fake.state.messages(fake.state.dm_channel("UMENTOR"))) == 30  # none twice
    # 10 accepted in the second before the 429: 95% of that, 9 in any second from then on.
    assert limits.rate(TEAM, clock()) == pytest.approx(9.5)
    after = [m for m in sent_at(db, TEAM) if m > 0]  # the first ten went at once, then a 429
    assert len(after) == 20
    assert most_in_a_second(after) == 9
    assert min(b - a for a, b in pairwise(after)) >= 1 / 18 - 1e-6


def test_a_paced_workspace_does_not_delay_another_workspaces_rows(
    db: Database, fake: FakeSlack, clock: Clock
) -> None:
    other = slack(OTHER, clock, 100)
    queue(db, fake.state, TEAM, 5)  # claimed first
    queue(db, other, OTHER, 5)
    limits = RateLimits()
    learn_a_pace(limits, TEAM, 10, NOW - 2 * SECOND)  # 9.5 a second, the pause long over
    with FakeSlack(other) as other_fake:
        clients = {TEAM: client(fake), OTHER: client(other_fake)}
        assert deliver(db, clients, clock, limits).sent == 10
    assert sent_at(db, OTHER) == [0.0] * 5  # none waited for the paced workspace's slots
    assert sent_at(db, TEAM) == pytest.approx([i / 18 for i in range(5)], abs=1e-5)


def test_the_learned_rate_rises_again_after_a_while_without_429s() -> None:
    limits = RateLimits()
    learn_a_pace(limits, TEAM, 10, NOW)
    assert limits.rate(TEAM, NOW) == pytest.approx(9.5)
    assert limits.rate(TEAM, NOW + RateLimits.PROBE_AFTER - SECOND) == pytest.approx(9.5)
    assert limits.rate(TEAM, NOW + RateLimits.PROBE_AFTER) == pytest.approx(9.5 * 1.1)
    assert limits.rate(TEAM, NOW + 3 * RateLimits.PROBE_AFTER) == pytest.approx(9.5 * 1.1**3)
    assert limits.rate(TEAM, NOW + timedelta(hours=1)) is None  # the limit lifted: full speed
    limits.sent(TEAM, NOW + timedelta(hours=1))
    assert limits.ready_at(TEAM, NOW + timedelta(hours=1)) == NOW + timedelta(hours=1)


def test_a_429_at_a_probed_pace_brings_it_back_to_what_slack_allowed() -> None:
    limits = RateLimits()
    learn_a_pace(limits, TEAM, 10, NOW)
    later = NOW + 2 * RateLimits.PROBE_AFTER
    assert limits.rate(TEAM, later) == pytest.approx(9.5 * 1.21)
    learn_a_pace(limits, TEAM, 11, later)
    assert limits.rate(TEAM, later) == pytest.approx(0.95 * 11)


def test_a_429_after_few_sends_pauses_without_pacing() -> None:
    limits = RateLimits()
    learn_a_pace(limits, TEAM, RateLimits.MIN_EVIDENCE - 1, NOW)  # one channel's burst
    assert limits.rate(TEAM, NOW) is None


def test_a_pace_does_not_hold_a_workspace_when_the_clock_went_back() -> None:
    limits = RateLimits()
    learn_a_pace(limits, TEAM, 10, NOW)
    limits.sent(TEAM, NOW + 2 * SECOND)
    back = NOW - timedelta(hours=1)
    assert limits.ready_at(TEAM, back) == back


def test_the_run_waits_for_a_pause_that_ends_soon_instead_of_leaving_rows_to_the_next_run(
    db: Database, fake: FakeSlack, clock: Clock
) -> None:
    queue(db, fake.state, TEAM, 3)
    retry_after = 5  # longer than a batch holds rows (HOLD), shorter than LINGER
    fake.state.inject("chat.postMessage", RateLimited(retry_after=retry_after))
    report = deliver(db, {TEAM: client(fake)}, clock, RateLimits())
    assert report.sent == 3
    assert statuses(db) == [OutboxStatus.SENT] * 3
    assert clock() == NOW + retry_after * SECOND + RateLimits.MARGIN  # waited out the pause


def test_the_run_does_not_wait_for_a_pause_beyond_linger(
    db: Database, fake: FakeSlack, clock: Clock
) -> None:
    queue(db, fake.state, TEAM, 3)
    retry_after = int(delivery.LINGER.total_seconds()) + 1
    fake.state.inject("chat.postMessage", RateLimited(retry_after=retry_after))
    report = deliver(db, {TEAM: client(fake)}, clock, RateLimits())
    assert (report.sent, report.retrying) == (0, 3)
    assert clock.waits == []  # left to the next scheduled run


def test_a_stop_during_a_paced_wait_hands_the_rows_back_unsent(
    db: Database, fake: FakeSlack, clock: Clock
) -> None:
    queue(db, fake.state, TEAM, 4)
    limits = RateLimits()
    learn_a_pace(limits, TEAM, 10, NOW - 2 * SECOND)
    report = delivery.deliver_due(
        db=db,
        client_for=lambda _t: client(fake),
        now=NOW,
        clock=clock,
        wait=lambda _seconds: True,  # stopped while waiting for the second slot
        rate_limits=limits,
    )
    assert (report.sent, report.retrying) == (1, 3)
    assert len(fake.state.calls("chat.postMessage")) == 1
    with db.read() as s:
        rows = list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [r.status for r in rows] == [OutboxStatus.SENT] + [OutboxStatus.PENDING] * 3
    assert all(r.claimed_until is None and r.attempts == 0 for r in rows[1:])


class _Signalling(threading.Event):
    """A stop event that says when someone starts waiting on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.waiting.set()
        return super().wait(timeout)


def test_stop_ends_the_delivery_jobs_wait_at_once(db: Database, fake: FakeSlack) -> None:
    queue(db, fake.state, TEAM, 1)
    runner = JobRunner(Jobs(db=db, client_for=lambda _t: client(fake), admins=lambda _t: ()))
    runner.jobs.clock = lambda: NOW
    runner.jobs.rate_limits.pause(TEAM, NOW + delivery.LINGER - SECOND, NOW)
    runner.stopping = stopping = _Signalling()
    job = threading.Thread(target=runner.deliver)
    job.start()
    assert stopping.waiting.wait(10), "delivery never waited for the pause"
    stopping.set()
    job.join(10)  # the pause has 13 s to go: only the stop can end the wait this soon
    assert not job.is_alive()
    assert statuses(db) == [OutboxStatus.PENDING]
    assert fake.state.calls("chat.postMessage") == []


def test_the_delivery_job_runs_again_at_once_while_a_run_stops_at_its_limit(
    sqlite_db: Database,
) -> None:
    runs = [delivery.DeliveryReport(sent=5, more=True), delivery.DeliveryReport(sent=2)]
    given: list[object] = []

    class Limited(Jobs):
        def deliver(
            self, stop: Callable[[], bool] | None = None, wait: delivery.Wait | None = None
        ) -> delivery.DeliveryReport:
            given.append(wait)
            return runs[len(given) - 1]

    slack_client = WebClient(token="xoxb-test-pacing")
    runner = JobRunner(Limited(db=sqlite_db, client_for=lambda _t: slack_client, admins=list))
    runner.deliver()
    assert len(given) == 2
    assert given[0] == runner.stopping.wait  # waits end when the scheduler stops
