"""What a delivery run did, and what becomes of a notification whose send failed.

Failures never sleep: a 429 moves ``next_attempt_at`` by Retry-After, transient errors back
off exponentially with jitter, and permanent errors mark the row failed with the error so
admins can see it.
"""

from __future__ import annotations

import logging
import random
import socket
import urllib.error
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError

from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage

log = logging.getLogger("scheduler.delivery")  # where operators have always found these lines

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_MAX = timedelta(hours=1)
# Errors that no retry can fix: the person or channel is gone, or the app lacks access.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "account_inactive",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "cannot_dm_bot",
        "user_disabled",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
        "invalid_blocks",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "restricted_action",
    }
)
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


@dataclass
class DeliveryReport:
    sent: int = 0
    dropped: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    more: bool = False  # the run stopped at its limit: more may be due, run again at once
    # (notice kind, outcome) -> how many: what /metrics counts.
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)

    def count(self, kind: str, outcome: str) -> None:
        """One notification of ``kind`` was sent, dropped, is retrying, or failed for good."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.by_kind[(kind, outcome)] += 1


def classify(exc: Exception) -> tuple[str, timedelta | None]:
    """Describe a failure and say when to try again (``None``: never)."""
    if isinstance(exc, SlackApiError):
        response: Any = exc.response
        error = str(response.get("error") or "") if response is not None else ""
        status = getattr(response, "status_code", 200)
        if status == 429 or error == "ratelimited":
            retry_after = int(response.headers.get("Retry-After", "1") or 1)
            return f"ratelimited (Retry-After {retry_after}s)", timedelta(seconds=retry_after)
        if status >= 500:
            return f"HTTP {status}", BACKOFF_BASE
        if error in TRANSIENT_ERRORS:
            return error, BACKOFF_BASE
        return error or f"HTTP {status}", None
    if isinstance(exc, TimeoutError | ConnectionError | urllib.error.URLError | socket.timeout):
        return f"{type(exc).__name__}: {exc}", BACKOFF_BASE
    return f"{type(exc).__name__}: {exc}", None


def record_failure(
    db: Database,
    outbox_id: int,
    kind: str,
    exc: Exception,
    attempts: int,
    now: datetime,
    rng: random.Random,
    report: DeliveryReport,
) -> datetime | None:
    """Record the failure; return when the row will be tried again (``None``: never)."""
    reason, retry_in = classify(exc)
    is_rate_limit = reason.startswith("ratelimited")
    if retry_in is not None and not is_rate_limit:
        # Exponential backoff with jitter, so many failed rows do not retry in lockstep.
        exponent = min(attempts - 1, 12)
        ceiling = min(retry_in * (2**exponent), BACKOFF_MAX)
        retry_in = ceiling * rng.uniform(0.5, 1.0)
    give_up = retry_in is None or (attempts >= MAX_ATTEMPTS and not is_rate_limit)
    if retry_in is None:
        log.error("notification %s failed permanently: %s", outbox_id, reason, exc_info=exc)
    else:
        log.warning("notification %s failed (%s); attempt %s", outbox_id, reason, attempts)
    with db.write() as session:
        row = session.get(OutboxMessage, outbox_id)
        if row is None:
            return None
        row.last_error = reason
        row.claimed_until = None
        if give_up:
            row.status = OutboxStatus.FAILED
        else:
            assert retry_in is not None  # noqa: S101 - narrowed by give_up
            row.next_attempt_at = now + retry_in
    if give_up or retry_in is None:
        report.count(kind, "failed")
        report.errors.append(reason)
        return None
    report.count(kind, "retrying")
    return now + retry_in
