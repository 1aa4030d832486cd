"""``GET /healthz``: the database, Slack, and whether the scheduler is doing its work.

A process that runs the scheduler answers 503 when the sweep has stopped completing or a
notification has waited too long; a web instance without one (``--no-scheduler``) reports the
same figures but stays in rotation: its own requests do not depend on the scheduler, and
taking every web instance out because the scheduler process is down would stop everything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from scheduler.jobs import SchedulerService
from scheduler.liveness import read_liveness
from store.db import Database

log = logging.getLogger(__name__)
SlackStatus = Literal["connecting", "unreachable", "ok"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Health:
    """What ``/healthz`` reports for this process."""

    db: Database
    sweep_interval: timedelta
    outbox_max_age: timedelta
    scheduler: SchedulerService | None = None  # set when this process runs the scheduler
    clock: Callable[[], datetime] = utc_now
    _slack: SlackStatus = "connecting"
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def slack(self) -> SlackStatus:
        with self._lock:
            return self._slack

    @slack.setter
    def slack(self, status: SlackStatus) -> None:
        with self._lock:
            self._slack = status

    def report(self) -> tuple[int, dict[str, Any]]:
        """The HTTP status (200 or 503) and the JSON body."""
        body: dict[str, Any] = {"status": "ok", "database": "ok", "slack": self.slack}
        problems: list[str] = []
        if self.slack != "ok":
            problems.append(f"Slack is {self.slack}")
        try:
            with self.db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            running_since = self.scheduler.started_at if self.scheduler else None
            liveness = read_liveness(
                self.db,
                now=self.clock(),
                sweep_interval=self.sweep_interval,
                outbox_max_age=self.outbox_max_age,
                running_since=running_since,
            )
        except SQLAlchemyError as exc:
            log.warning("health check: database unreachable: %s", _first_line(exc))
            body["database"] = "unreachable"
            problems.append("the database is unreachable")
        else:
            body["scheduler"] = "in this process" if self.scheduler else "not in this process"
            body.update(liveness.to_json())
            if self.scheduler is not None:
                problems.extend(liveness.problems)
            elif liveness.problems:
                body["warnings"] = liveness.problems
        if problems:
            body["status"] = "error"
            body["problems"] = problems
            return 503, body
        return 200, body


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
