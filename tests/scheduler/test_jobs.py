"""APScheduler wiring: stable ids, UTC, coalescing, generous misfire grace, and both jobs run."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import pytest
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    JobExecutionEvent,
)
from slack_sdk import WebClient

from scheduler.jobs import DELIVERY_JOB_ID, SWEEP_JOB_ID, Jobs, background_scheduler, schedule
from store.db import Database
from tests import factories as f


def test_jobs_are_registered_once_with_safe_defaults_and_run(sqlite_db: Database) -> None:
    f.workspace(sqlite_db)
    jobs = Jobs(
        db=sqlite_db,
        client_for=lambda _t: WebClient(token="xoxb-test-jobs"),
        admins=lambda _team: [],
    )
    scheduler = background_scheduler()
    # Scheduled twice (a restart of the wiring, a second call by mistake): still one of each,
    # with the second call's intervals.
    schedule(scheduler, jobs, sweep_seconds=600, delivery_seconds=20)
    schedule(scheduler, jobs, sweep_seconds=300, delivery_seconds=10)
    ran: set[str] = set()
    failed: list[BaseException] = []
    done = threading.Event()

    def listen(event: JobExecutionEvent) -> None:
        if event.exception is not None:
            failed.append(event.exception)
        ran.add(event.job_id)
        if ran == {SWEEP_JOB_ID, DELIVERY_JOB_ID}:
            done.set()

    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        assert sorted(j.id for j in scheduler.get_jobs()) == [DELIVERY_JOB_ID, SWEEP_JOB_ID]
        assert scheduler.timezone == UTC
        sweep = scheduler.get_job(SWEEP_JOB_ID)
        assert sweep.trigger.interval.total_seconds() == 300
        assert (sweep.coalesce, sweep.misfire_grace_time, sweep.max_instances) == (True, 3600, 1)
        assert scheduler.get_job(DELIVERY_JOB_ID).trigger.interval.total_seconds() == 10
        assert done.wait(timeout=20), f"only {ran} ran"
    finally:
        scheduler.shutdown(wait=True)
    assert failed == []


def test_a_tick_that_finds_its_job_still_running_is_no_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    started, release, skipped = threading.Event(), threading.Event(), threading.Event()

    def long_run() -> None:
        started.set()
        release.wait(timeout=30)

    scheduler = background_scheduler()
    scheduler.add_listener(lambda _event: skipped.set(), EVENT_JOB_MAX_INSTANCES)
    job = scheduler.add_job(long_run, "interval", hours=1, next_run_time=datetime.now(UTC))
    caplog.set_level(logging.DEBUG)
    scheduler.start()
    try:
        assert started.wait(timeout=10)
        job.modify(next_run_time=datetime.now(UTC))  # the next tick, while the run goes on
        assert skipped.wait(timeout=10)
    finally:
        release.set()
        scheduler.shutdown(wait=True)

    skips = [r for r in caplog.records if "maximum number of running instances" in r.getMessage()]
    assert skips and all(r.levelno == logging.DEBUG and r.name == "scheduler.jobs" for r in skips)
