"""What /healthz and doctor judge from the database: job runs and the outbox's oldest wait."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from mentoring.requests.sending import send_request
from scheduler.liveness import SWEEP_JOB, read_liveness, record_failure, record_success
from store.db import Database
from store.models import OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM

SWEEP = timedelta(minutes=5)
MAX_AGE = timedelta(minutes=30)


def judge(db: Database, at: timedelta, running_since: timedelta | None = None) -> list[str]:
    since = None if running_since is None else NOW + running_since
    return read_liveness(
        db, now=NOW + at, sweep_interval=SWEEP, outbox_max_age=MAX_AGE, running_since=since
    ).problems


def test_the_sweep_is_stale_after_three_intervals_without_a_completed_run(db: Database) -> None:
    assert judge(db, timedelta(0)) == []  # nothing ever ran and nothing runs here: no verdict
    record_success(db, SWEEP_JOB, NOW)
    assert judge(db, 3 * SWEEP) == []
    record_failure(db, SWEEP_JOB, NOW + 3 * SWEEP, "OperationalError: database is locked")
    problems = judge(db, 3 * SWEEP + timedelta(seconds=1))
    assert problems == ["the sweep has not completed for 15 min (last completed 15 min ago)"]
    state = read_liveness(db, now=NOW, sweep_interval=SWEEP, outbox_max_age=MAX_AGE)
    assert state.sweep.error == "OperationalError: database is locked"


def test_a_scheduler_that_just_started_is_judged_from_its_start(db: Database) -> None:
    record_success(db, SWEEP_JOB, NOW - timedelta(days=2))  # an older process, long gone
    assert judge(db, timedelta(seconds=30), running_since=timedelta(0)) == []
    assert judge(db, timedelta(minutes=16), running_since=timedelta(0)) == [
        "the sweep has not completed for 16 min (last completed 2 days ago)"
    ]


def test_a_notice_waits_from_when_it_was_meant_to_go_out(db: Database) -> None:
    f.workspace(db)
    f.mentor(db, "UMENTOR")
    f.mentee(db, "UMENTEE")
    with db.write() as session:
        send_request(
            session=session,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UMENTOR",
            message="I'd like advice on growing into a tech lead role, please.",
            now=NOW,
        )
        # Held for the mentor's working hours, eight hours on.
        session.execute(update(OutboxMessage).values(next_attempt_at=NOW + timedelta(hours=8)))
    assert judge(db, timedelta(hours=7)) == []  # not due yet: not waiting
    assert judge(db, timedelta(hours=8, minutes=29)) == []  # due for 29 minutes
    assert judge(db, timedelta(hours=8, minutes=31)) == [
        "a notification has waited 31 min to be delivered (more than 30 min)"
    ]
    with db.write() as session:  # tried once and failed: it waits from when it was written
        session.execute(update(OutboxMessage).values(attempts=1))
    assert judge(db, timedelta(minutes=31)) == [
        "a notification has waited 31 min to be delivered (more than 30 min)"
    ]
