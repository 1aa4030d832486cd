"""Whether the scheduler is doing its work: each job's last runs, and the oldest waiting notice.

The scheduler writes one ``job_runs`` row per job; ``/healthz`` (of any process) and
``mentor-match doctor`` read them back with the outbox's oldest pending row and judge:

- the sweep has not completed for three of its intervals: reminders, auto-close and digests
  have stopped (a dead or stuck scheduler, a clock that went back, a job that keeps failing);
- a notification has waited longer than the threshold: delivery is stuck or Slack refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from store.db import Database
from store.enums import OutboxStatus
from store.models import JobRun, OutboxMessage

SWEEP_JOB = "sweep"
DELIVERY_JOB = "delivery"
STALE_AFTER_INTERVALS = 3
ERROR_LENGTH = 500


def record_start(db: Database, job: str, now: datetime) -> None:
    """Note that ``job`` started at ``now``."""
    with db.write() as session:
        _row(session, job).last_started_at = now


def record_success(db: Database, job: str, now: datetime) -> None:
    """Note that ``job`` completed at ``now``."""
    with db.write() as session:
        _row(session, job).last_success_at = now


def record_failure(db: Database, job: str, now: datetime, error: str) -> None:
    """Note that ``job`` failed at ``now`` with ``error`` (cut to a readable length)."""
    with db.write() as session:
        row = _row(session, job)
        row.last_failure_at = now
        row.last_error = error[:ERROR_LENGTH]


def _row(session: Session, job: str) -> JobRun:
    row = session.get(JobRun, job)
    if row is None:
        row = JobRun(job=job)
        session.add(row)
    return row


@dataclass(frozen=True, slots=True)
class JobState:
    """One job's last runs as recorded (``None``: never)."""

    started: datetime | None = None
    succeeded: datetime | None = None
    failed: datetime | None = None
    error: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "last_success": _iso(self.succeeded),
            "last_failure": _iso(self.failed),
            "last_error": self.error,
        }


@dataclass(frozen=True, slots=True)
class Liveness:
    """What the database says about the scheduler's work, read at ``now``."""

    now: datetime
    sweep: JobState
    delivery: JobState
    oldest_pending: datetime | None  # since when the longest-waiting notification has waited
    pending: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        age = None if self.oldest_pending is None else self.now - self.oldest_pending
        return {
            "sweep": self.sweep.to_json(),
            "delivery": self.delivery.to_json(),
            "outbox": {
                "pending": self.pending,
                "oldest_pending": _iso(self.oldest_pending),
                "oldest_pending_age_seconds": None if age is None else int(age.total_seconds()),
            },
        }


def read_liveness(
    db: Database,
    *,
    now: datetime,
    sweep_interval: timedelta,
    outbox_max_age: timedelta,
    running_since: datetime | None = None,
) -> Liveness:
    """Read the job runs and the outbox, and list what is wrong.

    Args:
        db: The database.
        now: The time to judge at.
        sweep_interval: How often the sweep runs (SWEEP_INTERVAL_SECONDS).
        outbox_max_age: A pending notification older than this is a problem.
        running_since: When this process's scheduler started, if it runs one: a sweep that
            has not completed yet counts from then, not from the last run of an older process.
    """
    with db.read() as session:
        runs = {r.job: r for r in session.scalars(select(JobRun))}
        oldest, pending = session.execute(
            select(func.min(_WAITING_SINCE), func.count()).where(
                OutboxMessage.status == OutboxStatus.PENDING,
                (OutboxMessage.attempts > 0) | (OutboxMessage.next_attempt_at <= now),
            )
        ).one()
    sweep, delivery = _state(runs.get(SWEEP_JOB)), _state(runs.get(DELIVERY_JOB))
    problems: list[str] = []
    since = max((t for t in (sweep.succeeded, running_since) if t is not None), default=None)
    limit = sweep_interval * STALE_AFTER_INTERVALS
    if since is not None and now - since > limit:
        last = (
            "never completed"
            if sweep.succeeded is None
            else f"last completed {_ago(now, sweep.succeeded)}"
        )
        problems.append(f"the sweep has not completed for {_span(now - since)} ({last})")
    if oldest is not None and now - oldest > outbox_max_age:
        problems.append(
            f"a notification has waited {_span(now - oldest)} to be delivered "
            f"(more than {_span(outbox_max_age)})"
        )
    return Liveness(now, sweep, delivery, oldest, int(pending), problems)


# A notification waits from when it was meant to go out: a notice held for the recipient's
# working hours waits from then, not from when it was written; one already tried waits from
# when it was written (its next_attempt_at moves with every retry).
_WAITING_SINCE = case(
    (
        (OutboxMessage.attempts == 0) & (OutboxMessage.next_attempt_at > OutboxMessage.created_at),
        OutboxMessage.next_attempt_at,
    ),
    else_=OutboxMessage.created_at,
)


def _state(row: JobRun | None) -> JobState:
    if row is None:
        return JobState()
    return JobState(row.last_started_at, row.last_success_at, row.last_failure_at, row.last_error)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _ago(now: datetime, then: datetime) -> str:
    return f"{_span(now - then)} ago" if then <= now else f"at {_iso(then)}, ahead of the clock"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"
