"""APScheduler wiring: the two jobs, registered in one place with stable ids.

Job bodies are plain functions of (database, Slack clients, now); ``now`` is read from the wall
clock when the job runs. Missed or late runs are harmless (the sweep derives everything from
the database), so runs are coalesced and a late run is still made within a generous grace time
instead of APScheduler's default of one second, which silently skips them.

Three things keep a scheduler from going quiet without a word:

- :class:`JobRunner` records every run in ``job_runs`` (so ``/healthz`` and ``doctor`` see a
  sweep that stopped completing) and logs a failing job with its traceback;
- :class:`ClockGuard` notices a wall clock that went back (an NTP correction, a restored VM):
  APScheduler 3 keeps each job's next run as a wall-clock time, so after the clock goes back
  an hour, nothing would run for an hour;
- a shutdown stops new runs and lets the running one finish (:meth:`SchedulerService.stop`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from mentoring.sweep.sweep import SweepReport, sweep_all
from scheduler.delivery import (
    ClientFor,
    DeliveryReport,
    RateLimits,
    RefreshHome,
    Wait,
    deliver_due,
)
from scheduler.liveness import DELIVERY_JOB, SWEEP_JOB, record_failure, record_start, record_success
from store.db import Database

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "mentor-match.sweep"
DELIVERY_JOB_ID = "mentor-match.delivery"
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
CLOCK_TOLERANCE = timedelta(seconds=2)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Jobs:
    """What the jobs need; ``clock`` is the wall clock except in tests and the console."""

    db: Database
    client_for: ClientFor
    admins: Callable[[str], Iterable[str]]  # a workspace's program admins
    refresh_home: RefreshHome | None = None
    clock: Callable[[], datetime] = utc_now
    rate_limits: RateLimits = field(default_factory=RateLimits)
    # Told of every completed run: the job's name, its duration in seconds, what it returned.
    observe: Callable[[str, float, object], None] | None = None

    def sweep(self) -> SweepReport:
        report = sweep_all(session_factory=self.db.write, now=self.clock(), admins=self.admins)
        if report != SweepReport():
            log.info("sweep: %s", report)
        return report

    def deliver(
        self, stop: Callable[[], bool] | None = None, wait: Wait | None = None
    ) -> DeliveryReport:
        """One delivery run; with ``wait`` it waits out pauses and paced slots ending soon."""
        report = deliver_due(
            db=self.db,
            client_for=self.client_for,
            now=self.clock(),
            refresh_home=self.refresh_home,
            clock=self.clock,
            rate_limits=self.rate_limits,
            stop=stop,
            wait=wait,
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


class JobRunner:
    """Runs the jobs for a scheduler: records each run, logs failures, knows what is running.

    Once :attr:`stopping` is set no new run starts, and delivery ends after its batch in hand;
    delivery waits (for a paced slot, or a pause ending soon) on :attr:`stopping`, so a stop
    ends a wait at once.
    """

    def __init__(self, jobs: Jobs) -> None:
        self.jobs = jobs
        self.stopping = threading.Event()
        self._running: Counter[str] = Counter()
        self._idle = threading.Condition()

    def sweep(self) -> None:
        self.run(SWEEP_JOB, self.jobs.sweep)

    def deliver(self) -> None:
        """Run delivery, and again at once while a run stopped at its limit with more due.

        Each run is recorded on its own (``job_runs`` sees delivery complete while a backlog
        drains); the next scheduled run would otherwise come up to an interval later.
        """
        last: list[DeliveryReport] = []

        def body() -> DeliveryReport:
            last[:] = [self.jobs.deliver(stop=self.stopping.is_set, wait=self.stopping.wait)]
            return last[0]

        while self.run(DELIVERY_JOB, body) and last[0].more:
            log.info("delivery stopped at its limit with more due: running it again at once")

    def run(self, name: str, body: Callable[[], object]) -> bool:
        """Run ``body`` as job ``name``; whether it completed. Never raises."""
        if self.stopping.is_set():
            return False
        with self._idle:
            self._running[name] += 1
        try:
            return self._run(name, body)
        finally:
            with self._idle:
                self._running[name] -= 1
                self._idle.notify_all()

    def _run(self, name: str, body: Callable[[], object]) -> bool:
        db, clock = self.jobs.db, self.jobs.clock
        try:
            record_start(db, name, clock())
            started = time.perf_counter()
            result = body()
            if self.jobs.observe is not None:
                self.jobs.observe(name, time.perf_counter() - started, result)
        except Exception as exc:
            # Logged here with its traceback: a job that fails at every run must be seen.
            log.exception("%s job failed: %s", name, exc)
            error = f"{type(exc).__name__}: {exc}"
            self._record(lambda: record_failure(db, name, clock(), error))
            return False
        self._record(lambda: record_success(db, name, clock()))
        return True

    @staticmethod
    def _record(write: Callable[[], None]) -> None:
        try:
            write()
        except Exception:
            log.exception("could not record a job run")

    def running(self) -> list[str]:
        """The jobs running now."""
        with self._idle:
            return sorted(+self._running)

    def wait_idle(self, timeout: float) -> list[str]:
        """Wait up to ``timeout`` seconds for running jobs to end; those still running."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while +self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._idle.wait(left)
            return sorted(+self._running)


class ClockGuard:
    """Runs a job now when its next run lies further ahead than one interval.

    That only happens when the wall clock went back after the run was planned; APScheduler
    would wait for the old time to come round again. Checks run on a thread that sleeps by the
    monotonic clock, so the wall clock cannot stop them.
    """

    def __init__(
        self,
        scheduler: BaseScheduler,
        *,
        check_every: float,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.scheduler = scheduler
        self.check_every = check_every
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> list[str]:
        """Bring forward every job planned too far ahead; the ids of those brought forward."""
        now = self.clock()
        moved = []
        for job in self.scheduler.get_jobs():
            interval = getattr(job.trigger, "interval", None)
            planned = job.next_run_time
            if interval is None or planned is None or planned - now <= interval + CLOCK_TOLERANCE:
                continue
            log.warning(
                "the wall clock went back (%s's next run was %s away, more than its interval "
                "of %s): running it now",
                job.id,
                planned - now,
                interval,
            )
            self.scheduler.modify_job(job.id, next_run_time=now)
            moved.append(job.id)
        return moved

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="clock-guard", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.check_every):
            try:
                self.check()
            except Exception:  # the guard must outlive anything odd the scheduler does
                log.exception("clock guard check failed")


def schedule(
    scheduler: BaseScheduler,
    jobs: Jobs | JobRunner,
    *,
    sweep_seconds: int,
    delivery_seconds: int,
) -> BaseScheduler:
    """Register both jobs (replacing any with the same id) on ``scheduler``."""
    runner = jobs if isinstance(jobs, JobRunner) else JobRunner(jobs)
    now = datetime.now(UTC)
    for job_id, body, seconds in (
        (SWEEP_JOB_ID, runner.sweep, sweep_seconds),
        (DELIVERY_JOB_ID, runner.deliver, delivery_seconds),
    ):
        scheduler.add_job(
            body, "interval", seconds=seconds, id=job_id, replace_existing=True, next_run_time=now
        )
    return scheduler


class StillRunning(logging.Filter):
    """APScheduler's warning for a tick that finds its job still running, made a debug line.

    A long delivery run (a drain paced to Slack's limit) or sweep goes on past its next tick;
    the tick is skipped (``max_instances`` 1) and the run carries on, as intended. A warning
    every interval would say something is wrong when nothing is.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if "maximum number of running instances reached" not in str(record.msg):
            return True
        log.debug("a tick was skipped: %s", record.getMessage())
        return False


def background_scheduler() -> BackgroundScheduler:
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, StillRunning) for f in scheduler_log.filters):
        scheduler_log.addFilter(StillRunning())
    return BackgroundScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS, logger=scheduler_log)


@dataclass
class SchedulerService:
    """The scheduler of a process: its jobs, their runner and the clock guard."""

    runner: JobRunner
    scheduler: BackgroundScheduler
    guard: ClockGuard
    started_at: datetime | None = None

    @classmethod
    def build(cls, jobs: Jobs, *, sweep_seconds: int, delivery_seconds: int) -> SchedulerService:
        runner = JobRunner(jobs)
        scheduler = background_scheduler()
        schedule(scheduler, runner, sweep_seconds=sweep_seconds, delivery_seconds=delivery_seconds)
        check_every = min(max(min(sweep_seconds, delivery_seconds) / 2, 0.5), 30.0)
        guard = ClockGuard(scheduler, check_every=check_every, clock=jobs.clock)
        return cls(runner, scheduler, guard)

    def start(self) -> SchedulerService:
        self.started_at = self.runner.jobs.clock()
        self.scheduler.start()
        self.guard.start()
        return self

    def stop(self, timeout: float) -> list[str]:
        """Start no new run; wait up to ``timeout`` s for the running jobs; those still running."""
        self.runner.stopping.set()
        self.guard.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        return self.runner.wait_idle(timeout)
