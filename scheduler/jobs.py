"""APScheduler wiring: the two jobs, registered in one place with stable ids.

Job bodies are plain functions of (database, Slack clients, now); ``now`` is read from the wall
clock when the job runs. Missed or late runs are harmless (the sweep derives everything from
the database), so runs are coalesced and a late run is still made within a generous grace time
instead of APScheduler's default of one second, which silently skips them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from mentoring.sweep.sweep import SweepReport, sweep_all
from scheduler.delivery import ClientFor, DeliveryReport, RateLimits, RefreshHome, deliver_due
from store.db import Database

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "mentor-match.sweep"
DELIVERY_JOB_ID = "mentor-match.delivery"
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Jobs:
    """What the jobs need; ``clock`` is the wall clock except in tests and the console."""

    db: Database
    client_for: ClientFor
    admins: Callable[[], Iterable[str]]
    refresh_home: RefreshHome | None = None
    clock: Callable[[], datetime] = utc_now
    rate_limits: RateLimits = field(default_factory=RateLimits)

    def sweep(self) -> SweepReport:
        report = sweep_all(session_factory=self.db.write, now=self.clock(), admins=self.admins())
        if report != SweepReport():
            log.info("sweep: %s", report)
        return report

    def deliver(self) -> DeliveryReport:
        report = deliver_due(
            db=self.db,
            client_for=self.client_for,
            now=self.clock(),
            refresh_home=self.refresh_home,
            clock=self.clock,
            rate_limits=self.rate_limits,
        )
        if report.sent or report.failed or report.retrying:
            log.info(
                "delivery: %s sent, %s retrying, %s failed, %s dropped",
                report.sent,
                report.retrying,
                report.failed,
                report.dropped,
            )
        return report


def schedule(
    scheduler: BaseScheduler, jobs: Jobs, *, sweep_seconds: int, delivery_seconds: int
) -> BaseScheduler:
    """Register both jobs (replacing any with the same id) on ``scheduler``."""
    scheduler.add_job(
        jobs.sweep,
        "interval",
        seconds=sweep_seconds,
        id=SWEEP_JOB_ID,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        jobs.deliver,
        "interval",
        seconds=delivery_seconds,
        id=DELIVERY_JOB_ID,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def background_scheduler() -> BackgroundScheduler:
    return BackgroundScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)


def blocking_scheduler() -> BlockingScheduler:
    return BlockingScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
