"""The scheduler under a wall clock that jumps: a long weekend forward, an NTP correction back.

The real APScheduler runs the real jobs (sweep and delivery, against the fake Slack) while
freezegun moves the wall clock; the scheduler's own waits are real (threading), as in a VM
whose clock is stepped. What must hold: after every jump both jobs run again, and no
notification reaches Slack twice.

What went wrong before: APScheduler 3 keeps each job's next run as a wall-clock time, so after
the clock went back an hour nothing ran for an hour (and a day back, a day), with no log line;
the delivery's rate-limit pause set before the jump held its workspace for as long; and a
notice queued just before the jump waited for the old time to come round. ``ClockGuard``,
``RateLimits`` and the delivery's due rule now handle these.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from freezegun import freeze_time
from freezegun.api import FrozenDateTimeFactory
from slack_sdk import WebClient
from sqlalchemy import func, select, update

from fakeslack import FakeSlack, RateLimited, SlackState
from mentoring.requests.sending import send_request
from scheduler.delivery import RateLimits, claim_due
from scheduler.jobs import DELIVERY_JOB_ID, SWEEP_JOB_ID, ClockGuard, Jobs, SchedulerService
from store.db import Database
from store.enums import OutboxStatus, RequestStatus
from store.models import OutboxMessage, Request
from tests import factories as f
from tests.conftest import NOW, TEAM

WAIT = 60.0  # real seconds for a job to come round: generous for a busy machine
MESSAGE = "I'd like advice on growing into a tech lead role, please."


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    state = SlackState(team_id=TEAM)
    for user in ("UMENTOR", "UMENTEE", "UADMIN"):
        state.add_user(user, name=user.lower(), real_name=user.title(), tz="Europe/London")
    with FakeSlack(state) as server:
        yield server


class Runs:
    """Each job's executions, with the wall-clock time each one saw."""

    def __init__(self) -> None:
        self.seen: dict[str, list[datetime]] = {SWEEP_JOB_ID: [], DELIVERY_JOB_ID: []}
        self._changed = threading.Condition()

    def __call__(self, event: JobExecutionEvent) -> None:
        with self._changed:
            self.seen[event.job_id].append(datetime.now(NOW.tzinfo))
            self._changed.notify_all()

    def wait_both_again(self) -> None:
        """Wait until both jobs have run once more than they had when called."""
        with self._changed:
            before = {k: len(v) for k, v in self.seen.items()}
            ok = self._changed.wait_for(
                lambda: all(len(self.seen[k]) > n for k, n in before.items()), timeout=WAIT
            )
        assert ok, f"jobs stopped running: {self.seen}"


def sent_to_slack(fake: FakeSlack) -> int:
    return len(
        [c for c in fake.state.calls() if c.ok and c.method in ("chat.postMessage", "chat.update")]
    )


def rows_sent(db: Database) -> int:
    with db.read() as session:
        return int(
            session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT))
            or 0
        )


def test_jobs_keep_running_and_send_nothing_twice_when_the_clock_jumps(
    db: Database, fake: FakeSlack
) -> None:
    f.workspace(db)
    f.mentor(db, "UMENTOR")
    f.mentee(db, "UMENTEE")
    client = WebClient(token=fake.state.bot_token, base_url=fake.api_url)
    runs = Runs()
    with freeze_time(NOW, tick=True) as clock:  # a real clock: it runs on, and it jumps
        with db.write() as session:
            send_request(
                session=session,
                team_id=TEAM,
                mentee_user_id="UMENTEE",
                mentor_user_id="UMENTOR",
                message=MESSAGE,
                now=NOW,
            )
        # The first sends are rate limited: a pause is set just before the clock goes back.
        fake.state.inject("chat.postMessage", RateLimited(retry_after=30))
        jobs = Jobs(db=db, client_for=lambda _team: client, admins=lambda _team: ["UADMIN"])
        service = SchedulerService.build(jobs, sweep_seconds=1, delivery_seconds=1)
        service.scheduler.add_listener(runs, EVENT_JOB_EXECUTED)
        service.start()
        try:
            runs.wait_both_again()
            at = NOW
            at = jump(clock, runs, at, timedelta(hours=-1))  # NTP steps the clock back
            for _ in range(4):  # a long weekend, a suspended VM: a day at a time
                at = jump(clock, runs, at, timedelta(days=1))
            at = jump(clock, runs, at, timedelta(hours=-1))  # and back again
            at = jump(clock, runs, at, timedelta(days=1))
        finally:
            assert service.stop(timeout=30) == []
    with db.read() as session:
        request = session.scalars(select(Request)).one()
        notices = sorted((r.kind, r.status) for r in session.scalars(select(OutboxMessage)))
    # Some five days on, the sweep did its work: one reminder (after three days; the next is
    # three days later), and not again after the clock went back past it.
    assert request.status is RequestStatus.PENDING
    assert request.reminder_count == 1
    sent = OutboxStatus.SENT
    assert notices == [
        ("admin.digest", sent),
        ("request.received", sent),  # rate limited at first, then sent once the clock was back
        ("request.reminder", sent),
    ]
    # Every notification reached Slack exactly once.
    assert rows_sent(db) == sent_to_slack(fake) == 3


def jump(clock: FrozenDateTimeFactory, runs: Runs, at: datetime, by: timedelta) -> datetime:
    """Move the wall clock by ``by``; both jobs must run at the new time, and go on running."""
    target = datetime.now(NOW.tzinfo) + by
    clock.move_to(target)
    runs.wait_both_again()
    runs.wait_both_again()
    assert all(seen[-1] >= target for seen in runs.seen.values())
    return target


def test_the_guard_runs_a_job_now_when_its_next_run_lies_beyond_its_interval() -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    with freeze_time(NOW) as clock:
        scheduler = BackgroundScheduler(timezone=NOW.tzinfo)
        scheduler.add_job(lambda: None, "interval", seconds=10, id="job", next_run_time=NOW)
        scheduler.start(paused=True)
        try:
            guard = ClockGuard(scheduler, check_every=60)
            assert guard.check() == []  # planned 0 s ahead: fine
            clock.move_to(NOW - timedelta(seconds=5))
            assert guard.check() == []  # 5 s ahead, within one interval: fine
            clock.move_to(NOW - timedelta(hours=1))
            assert guard.check() == ["job"]  # an hour ahead: the clock went back
            assert scheduler.get_job("job").next_run_time == NOW - timedelta(hours=1)
        finally:
            scheduler.shutdown(wait=False)


def test_a_rate_limit_pause_ends_when_the_clock_goes_back_past_it() -> None:
    limits = RateLimits()
    limits.pause(TEAM, NOW + timedelta(seconds=30), NOW)
    assert limits.paused(NOW + timedelta(seconds=10)) == [TEAM]
    assert limits.until(TEAM, NOW + timedelta(seconds=10)) is not None
    back = NOW - timedelta(hours=1)
    assert limits.paused(back) == []  # not an hour and a half of silence
    assert limits.until(TEAM, back) is None


def test_a_notice_queued_before_the_clock_went_back_is_still_due(
    db: Database, fake: FakeSlack
) -> None:
    f.workspace(db)
    f.mentor(db, "UMENTOR")
    f.mentee(db, "UMENTEE")
    with db.write() as session:
        send_request(
            session=session,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UMENTOR",
            message=MESSAGE,
            now=NOW,
        )
    back = NOW - timedelta(hours=1)
    claimed = claim_due(db, back, limit=10)
    assert len(claimed) == 1  # queued to go out at once: due whatever the clock says
    with db.write() as session:  # held for later (working hours): waits for its time
        session.execute(
            update(OutboxMessage).values(
                claimed_until=None, attempts=0, next_attempt_at=NOW + timedelta(hours=2)
            )
        )
    assert claim_due(db, back, limit=10) == []
