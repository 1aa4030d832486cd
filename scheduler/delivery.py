"""The outbox dispatcher: claims due notifications, renders them from current state, sends them.

A row is claimed with a lease (``claimed_until``) before anything is sent. If the process dies
after Slack accepted the message but before the row was marked sent, the lease runs out and the
row is sent again: at most one duplicate, never a loss. Failures never sleep: a 429 moves
``next_attempt_at`` by Retry-After, transient errors back off exponentially with jitter, and
permanent errors mark the row failed with the error so admins can see it.
"""

from __future__ import annotations

import logging
import random
import socket
import threading
import urllib.error
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import ColumnElement, CursorResult, select, update

from blocks.text import escape
from scheduler.render.dispatch import render
from scheduler.render.outgoing import Outgoing
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 25  # rows claimed per lease
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

ClientFor = Callable[[str], WebClient]
RefreshHome = Callable[[str, str], None]


class RateLimits:
    """When each workspace may send again after Slack answered 429 (one per dispatcher).

    Without it, the rows a 429 handed back wait, but the next claim takes the workspace's other
    due rows and hits the same limit again. A pause is read against the clock it was set by:
    when the wall clock has gone back past the moment a pause was set, the pause is over (it
    would otherwise silence the workspace for as long as the clock went back).
    """

    MARGIN = timedelta(milliseconds=100)  # Retry-After is whole seconds; do not land on the edge

    def __init__(self) -> None:
        self._until: dict[str, tuple[datetime, datetime]] = {}  # team -> (until, set at)
        self._lock = threading.Lock()

    def pause(self, team_id: str, until: datetime, now: datetime | None = None) -> None:
        """No more sends for ``team_id`` until ``until`` (set at ``now``, default ``until``)."""
        set_at = now if now is not None else until
        with self._lock:
            previous = self._until.get(team_id)
            end = until + self.MARGIN
            if previous is not None and previous[1] <= set_at:
                end = max(end, previous[0])
            self._until[team_id] = (end, set_at)

    def until(self, team_id: str, now: datetime) -> datetime | None:
        """When ``team_id`` may send again, if it is paused at ``now``."""
        with self._lock:
            found = self._until.get(team_id)
        if found is None or not found[1] <= now < found[0]:
            return None
        return found[0]

    def paused(self, now: datetime) -> list[str]:
        """The workspaces paused at ``now``."""
        with self._lock:
            return sorted(
                team for team, (until, set_at) in self._until.items() if set_at <= now < until
            )


@dataclass
class DeliveryReport:
    sent: int = 0
    dropped: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # (notice kind, outcome) -> how many: what /metrics counts.
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)

    def count(self, kind: str, outcome: str) -> None:
        """One notification of ``kind`` was sent, dropped, is retrying, or failed for good."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.by_kind[(kind, outcome)] += 1


def _due(now: datetime) -> ColumnElement[bool]:
    """Rows to send at ``now``, including those a wall clock that went back would hold up.

    A notice queued to go out at once (never tried, not held for later) is due whatever the
    clock says, and no retry is ever scheduled further ahead than ``BACKOFF_MAX``: a retry that
    seems to be was scheduled by a clock that has since gone back, and waiting would silence
    it. Notices held for later (working hours) still wait for their time.
    """
    return (
        (OutboxMessage.next_attempt_at <= now)
        | (
            (OutboxMessage.attempts == 0)
            & (OutboxMessage.next_attempt_at <= OutboxMessage.created_at)
        )
        | (
            (OutboxMessage.attempts > 0)
            & (OutboxMessage.next_attempt_at > now + BACKOFF_MAX + LEASE)
        )
    )


def claim_due(db: Database, now: datetime, limit: int, skip_teams: Sequence[str] = ()) -> list[int]:
    """Take a lease on up to ``limit`` due rows; other dispatchers skip them until it ends."""
    with db.write() as session:
        ids = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    _due(now),
                    (OutboxMessage.claimed_until.is_(None)) | (OutboxMessage.claimed_until <= now),
                    OutboxMessage.team_id.not_in(skip_teams),
                )
                .order_by(OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if ids:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(claimed_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
            )
    return ids


def deliver_due(
    *,
    db: Database,
    client_for: ClientFor,
    now: datetime,
    limit: int = 5000,
    refresh_home: RefreshHome | None = None,
    rng: random.Random | None = None,
    clock: Callable[[], datetime] | None = None,
    rate_limits: RateLimits | None = None,
    stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Send due notifications (up to ``limit``) once each; failures are rescheduled or failed.

    Rows are claimed ``BATCH`` at a time so each lease is short compared with the time a batch
    takes, even with slow renders: a lease that ran out mid-batch would let another dispatcher
    send the same rows. ``clock`` (when given) dates each batch's claim afresh. ``stop`` (when
    given and true) ends the run after the batch in hand: the process is shutting down, and
    what is left stays in the outbox for the next run.
    """
    report = DeliveryReport()
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    limits = rate_limits or RateLimits()
    homes: set[tuple[str, str]] = set()
    handled = 0
    while handled < limit and not (stop is not None and stop()):
        moment = clock() if clock is not None else now
        claimed = claim_due(db, moment, min(BATCH, limit - handled), limits.paused(moment))
        if not claimed:
            break
        handled += len(claimed)
        _deliver_batch(db, client_for, claimed, moment, rng, report, homes, limits)
    if refresh_home is not None:
        for team_id, user_id in sorted(homes):
            try:
                refresh_home(team_id, user_id)
            except Exception:
                log.warning("could not refresh Home for %s", user_id, exc_info=True)
    return report


def _deliver_batch(
    db: Database,
    client_for: ClientFor,
    claimed: list[int],
    now: datetime,
    rng: random.Random,
    report: DeliveryReport,
    homes: set[tuple[str, str]],
    limits: RateLimits,
) -> None:
    """Deliver claimed rows in order; a 429 pauses that workspace and hands its rows back."""
    with db.read() as session:
        found = session.execute(
            select(OutboxMessage.id, OutboxMessage.team_id, OutboxMessage.kind).where(
                OutboxMessage.id.in_(claimed)
            )
        )
        teams = {outbox_id: (team_id, kind) for outbox_id, team_id, kind in found}
    for index, outbox_id in enumerate(claimed):
        if outbox_id not in teams:
            continue  # gone, or handed back already
        team_id, kind = teams[outbox_id]
        resume_at = limits.until(team_id, now)
        if resume_at is not None:
            # A row of this workspace hit the limit: hand back all its rows left, in one write.
            held = [i for i in claimed[index:] if i in teams and teams[i][0] == team_id]
            _release(db, held, resume_at)
            for i in held:
                report.count(teams.pop(i)[1], "retrying")
            continue
        with db.read() as session:
            row = session.get(OutboxMessage, outbox_id)
            if row is None:
                continue
            attempts = row.attempts
            outgoing = render(session, row, now)
        if outgoing is None:
            _finish(db, outbox_id, OutboxStatus.DROPPED, now)
            report.count(kind, "dropped")
            continue
        try:
            channel, ts = _send(client_for(team_id), outgoing)
        except Exception as exc:  # noqa: BLE001 - every failure is classified and recorded
            retry_at = _record_failure(db, outbox_id, kind, exc, attempts, now, rng, report)
            if retry_at is not None and classify(exc)[0].startswith("ratelimited"):
                # Slack asked this workspace to slow down: nothing more for it until Retry-After.
                limits.pause(team_id, retry_at, now)
            continue
        _finish(db, outbox_id, OutboxStatus.SENT, now, channel=channel, ts=ts, outgoing=outgoing)
        report.count(kind, "sent")
        homes.update((team_id, user) for user in outgoing.refresh_homes)


def _send(client: WebClient, out: Outgoing) -> tuple[str, str]:
    # The fallback text names people too, and Slack reads it as mrkdwn: escape it here, once.
    text = escape(out.text)
    channel = out.channel
    if out.open_with:
        opened = client.conversations_open(users=",".join(out.open_with))
        channel = opened["channel"]["id"]
    if channel is None:
        raise ValueError("a notification needs a channel or users to open one with")
    if out.upload is not None:
        shared = client.files_upload_v2(
            channel=channel,
            content=out.upload.content,
            filename=out.upload.filename,
            title=out.upload.title,
            initial_comment=text,
        )
        return channel, str(shared["file"]["id"])  # a file has an id, not a message ts
    if out.update_ts:
        response = client.chat_update(
            channel=channel, ts=out.update_ts, text=text, blocks=out.blocks
        )
    else:
        response = client.chat_postMessage(
            channel=channel, text=text, blocks=out.blocks, thread_ts=out.thread_ts
        )
    return str(response["channel"]), str(response["ts"])


def _release(db: Database, ids: list[int], until: datetime) -> None:
    if not ids:
        return
    with db.write() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PENDING)
            .values(
                claimed_until=None,
                next_attempt_at=until,
                attempts=OutboxMessage.attempts - 1,  # claimed, never tried
            )
        )


def _finish(
    db: Database,
    outbox_id: int,
    status: OutboxStatus,
    now: datetime,
    *,
    channel: str | None = None,
    ts: str | None = None,
    outgoing: Outgoing | None = None,
) -> None:
    with db.write() as session:
        finished = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(
                status=status,
                claimed_until=None,
                sent_at=now if status is OutboxStatus.SENT else None,
                slack_channel=channel,
                slack_ts=ts,
            )
            .execution_options(synchronize_session=False)
        )
        if not cast(CursorResult[Any], finished).rowcount:
            return  # the row is gone
        if outgoing is not None and outgoing.after_send is not None and channel and ts:
            outgoing.after_send(session, channel, ts)


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


def _record_failure(
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
