"""The outbox dispatcher: claims due notifications, renders them from current state, sends them.

The rows' bookkeeping (claim with a lease, hand back, mark finished) is in
:mod:`scheduler.outbox_rows`, what a failed send becomes in :mod:`scheduler.outcomes`, a
workspace's pause after a 429 and the pace learned from it in :mod:`scheduler.rate_limits`. A row
is claimed before anything is sent and marked sent in its own transaction right after Slack
answered ok: a crash costs at most one duplicate, never a loss. Failures never sleep.

Waiting is not failing: given a ``clock`` and a ``wait`` (the scheduler's stop event's ``wait``),
a run takes turns between workspaces and waits for paced slots and pauses ending soon (see
:mod:`scheduler.turns`); a stop ends any wait at once.
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
from scheduler.turns import HOLD, LINGER, MIN_WAIT, Pacing, Wait, next_turn, resume_at
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage

__all__ = [
    "BATCH",
    "HOLD",
    "LEASE",
    "LINGER",
    "MAX_ATTEMPTS",
    "PERMANENT_ERRORS",
    "TRANSIENT_ERRORS",
    "ClientFor",
    "DeliveryReport",
    "RateLimits",
    "RefreshHome",
    "Wait",
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
    wait: Wait | None = None,
) -> DeliveryReport:
    """Send due notifications (up to ``limit``) once each; failures are rescheduled or failed.

    Rows are claimed ``BATCH`` at a time so each lease is short compared with the time a batch
    takes, even with slow renders: a lease that ran out mid-batch would let another dispatcher
    send the same rows. ``clock`` (when given) dates each batch's claim afresh. ``stop`` (when
    given and true) ends the run after the batch in hand: the process is shutting down, and
    what is left stays in the outbox for the next run. ``wait`` (with ``clock``) lets the run
    wait for paced slots and for pauses that end within ``LINGER`` (see the module docstring);
    without it nothing waits, and rows not free to go at once are handed back.
    """
    report = DeliveryReport()
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    limits = rate_limits or RateLimits()
    homes: set[tuple[str, str]] = set()
    paced = Pacing(limits, clock or (lambda: now), wait if clock is not None else None)
    handled = 0
    while handled < limit and not (stop is not None and stop()):
        moment = paced.clock()
        claimed = claim_due(db, moment, min(BATCH, limit - handled), limits.paused(moment))
        if not claimed:
            if paced.wait is None or (resume := resume_at(db, limits, moment)) is None:
                break
            if paced.wait(max(MIN_WAIT, (resume - moment).total_seconds())):
                break
            continue
        handled += len(claimed)
        if not _deliver_batch(db, client_for, claimed, rng, report, homes, paced):
            break  # stopped while waiting for a slot
    report.more = handled >= limit
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
    rng: random.Random,
    report: DeliveryReport,
    homes: set[tuple[str, str]],
    paced: Pacing,
) -> bool:
    """Deliver claimed rows, each workspace in turn; rows that cannot go soon are handed back.

    Whether the batch ran to its end: a wait that was stopped hands every row left back.
    """
    with db.read() as session:
        # Claimed rows are this dispatcher's while the lease lasts (nothing else changes an
        # outbox row), so the batch reads them once; each render reads the rest afresh, but
        # for the workspace's words (terminology), read once a batch.
        found = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)))
        rows = {row.id: row for row in found}
    terms: Terms = {}  # each workspace's words, read once for the batch
    queue = [i for i in claimed if i in rows]  # gone rows are skipped
    limits = paced.limits
    while queue:
        at = paced.clock()
        outbox_id, ready = next_turn(queue, rows, limits, at)
        row = rows[outbox_id]
        team_id, kind, attempts = row.team_id, row.kind, row.attempts
        if ready > at + HOLD or (ready > at and paced.wait is None):
            # Paused after a 429, or paced further ahead than a batch holds rows: hand all the
            # workspace's rows left back, in one write, to be claimed when it may send.
            held = [i for i in queue if rows[i].team_id == team_id]
            _hand_back(db, held, ready, rows, queue, report)
            continue
        queue.remove(outbox_id)
        with db.read() as session:
            outgoing = render(session, row, at, terms)
        if outgoing is None:
            finish(db, outbox_id, OutboxStatus.DROPPED, at)
            report.count(kind, "dropped")
            continue
        if ready > at:
            assert paced.wait is not None  # noqa: S101 - handed back above otherwise
            if paced.wait((ready - at).total_seconds()):
                _hand_back(db, [outbox_id, *queue], at, rows, queue, report)  # stopping
                return False
            at = paced.clock()
        try:
            channel, ts = _send(client_for(team_id), outgoing)
        except Exception as exc:  # noqa: BLE001 - every failure is classified and recorded
            retry_at = record_failure(db, outbox_id, kind, exc, attempts, at, rng, report)
            if retry_at is not None and classify(exc)[0].startswith("ratelimited"):
                # Slack asked this workspace to slow down: nothing more for it until Retry-After.
                limits.pause(team_id, retry_at, at)
            continue
        limits.sent(team_id, at)
        finish(db, outbox_id, OutboxStatus.SENT, at, channel=channel, ts=ts, outgoing=outgoing)
        report.count(kind, "sent")
        homes.update((team_id, user) for user in outgoing.refresh_homes)
    return True


def _hand_back(
    db: Database,
    held: list[int],
    until: datetime,
    rows: dict[int, OutboxMessage],
    queue: list[int],
    report: DeliveryReport,
) -> None:
    """Release ``held`` untried, to be tried at ``until``, and take them off the queue."""
    release(db, held, until)
    for outbox_id in held:
        report.count(rows[outbox_id].kind, "retrying")
        if outbox_id in queue:
            queue.remove(outbox_id)


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
