"""The dispatcher's bookkeeping on outbox rows: claim with a lease, hand back, mark finished.

A row is claimed with a lease (``claimed_until``) before anything is sent. If the process dies
after Slack accepted the message but before the row was marked sent, the lease runs out and the
row is sent again: at most one duplicate, never a loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import ColumnElement, Table, bindparam, select, update

from mentoring.core.prebuilt import run
from scheduler.outcomes import BACKOFF_MAX
from scheduler.render.outgoing import Outgoing
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage

LEASE = timedelta(minutes=2)
OUTBOX = cast(Table, OutboxMessage.__table__)
# Run once for every notification: built once (prebuilt.run).
_FINISH = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("outbox_id"))
    .values(
        status=bindparam("status", type_=OUTBOX.c.status.type),
        claimed_until=None,
        sent_at=bindparam("sent_at", type_=OUTBOX.c.sent_at.type),
        slack_channel=bindparam("channel", type_=OUTBOX.c.slack_channel.type),
        slack_ts=bindparam("ts", type_=OUTBOX.c.slack_ts.type),
    )
)


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


def release(db: Database, ids: list[int], until: datetime) -> None:
    """Hand claimed rows back untried, to be tried at ``until``."""
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


def finish(
    db: Database,
    outbox_id: int,
    status: OutboxStatus,
    now: datetime,
    *,
    channel: str | None = None,
    ts: str | None = None,
    outgoing: Outgoing | None = None,
) -> None:
    """Mark a row sent (with the message's channel and ts) or dropped, in its own transaction.

    One row per transaction, right after Slack answered: a crash mid-batch costs at most the
    one row in hand sent twice, never a loss.
    """
    values = {
        "outbox_id": outbox_id,
        "status": status,
        "sent_at": now if status is OutboxStatus.SENT else None,
        "channel": channel,
        "ts": ts,
    }
    with db.write() as session:
        if not run(session, _FINISH, values).rowcount:
            return  # the row is gone
        if outgoing is not None and outgoing.after_send is not None and channel and ts:
            outgoing.after_send(session, channel, ts)
