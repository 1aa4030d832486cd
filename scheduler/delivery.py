"""The outbox dispatcher: claims due notifications, renders them from current state, sends them.

The rows' bookkeeping (claim with a lease, hand back, mark finished) is in
:mod:`scheduler.outbox_rows`, what a failed send becomes in :mod:`scheduler.outcomes`, a
workspace's pause after a 429 in :mod:`scheduler.rate_limits`. A row is claimed before anything
is sent and marked sent in its own transaction right after Slack answered ok: a crash costs at
most one duplicate, never a loss. Failures never sleep.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy import select

from blocks.text import escape
from scheduler.outbox_rows import LEASE, claim_due, finish, release
from scheduler.outcomes import (
    MAX_ATTEMPTS,
    PERMANENT_ERRORS,
    TRANSIENT_ERRORS,
    DeliveryReport,
    classify,
    record_failure,
)
from scheduler.rate_limits import RateLimits
from scheduler.render.dispatch import Terms, render
from scheduler.render.outgoing import Outgoing
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage

__all__ = [
    "BATCH",
    "LEASE",
    "MAX_ATTEMPTS",
    "PERMANENT_ERRORS",
    "TRANSIENT_ERRORS",
    "ClientFor",
    "DeliveryReport",
    "RateLimits",
    "RefreshHome",
    "claim_due",
    "classify",
    "deliver_due",
]

log = logging.getLogger(__name__)

BATCH = 25  # rows claimed per lease

ClientFor = Callable[[str], WebClient]
RefreshHome = Callable[[str, str], None]


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
        # Claimed rows are this dispatcher's while the lease lasts (nothing else changes an
        # outbox row), so the batch reads them once; each render reads the rest afresh, but
        # for the workspace's words (terminology), read once a batch.
        found = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)))
        rows = {row.id: row for row in found}
    terms: Terms = {}  # each workspace's words, read once for the batch
    for index, outbox_id in enumerate(claimed):
        row = rows.get(outbox_id)
        if row is None:
            continue  # gone, or handed back already
        team_id, kind, attempts = row.team_id, row.kind, row.attempts
        resume_at = limits.until(team_id, now)
        if resume_at is not None:
            # A row of this workspace hit the limit: hand back all its rows left, in one write.
            held = [i for i in claimed[index:] if i in rows and rows[i].team_id == team_id]
            release(db, held, resume_at)
            for i in held:
                report.count(rows.pop(i).kind, "retrying")
            continue
        with db.read() as session:
            outgoing = render(session, row, now, terms)
        if outgoing is None:
            finish(db, outbox_id, OutboxStatus.DROPPED, now)
            report.count(kind, "dropped")
            continue
        try:
            channel, ts = _send(client_for(team_id), outgoing)
        except Exception as exc:  # noqa: BLE001 - every failure is classified and recorded
            retry_at = record_failure(db, outbox_id, kind, exc, attempts, now, rng, report)
            if retry_at is not None and classify(exc)[0].startswith("ratelimited"):
                # Slack asked this workspace to slow down: nothing more for it until Retry-After.
                limits.pause(team_id, retry_at, now)
            continue
        finish(db, outbox_id, OutboxStatus.SENT, now, channel=channel, ts=ts, outgoing=outgoing)
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
