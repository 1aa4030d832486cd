"""The dispatcher's bookkeeping on outbox rows: claim with a lease, hand back, mark finished.

A row is claimed with a lease (``claimed_until``) before anything is sent. If the process dies
after Slack accepted the message but before the row was marked sent, the lease runs out and the
row is sent again: at most one duplicate, never a loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import ColumnElement, Integer, Table, bindparam, func, select, update
from sqlalchemy.orm import Session

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


_WHEN = OUTBOX.c.next_attempt_at.type


def _due() -> ColumnElement[bool]:
    """Rows to send at ``:now``, including those a wall clock that went back would hold up.

    A notice queued to go out at once (never tried, not held for later) is due whatever the
    clock says, and no retry is ever scheduled further ahead than ``BACKOFF_MAX``: a retry that
    seems to be (after ``:late``, that is ``now + BACKOFF_MAX + LEASE``) was scheduled by a
    clock that has since gone back, and waiting would silence it. Notices held for later
    (working hours) still wait for their time.
    """
    return (
        (OUTBOX.c.next_attempt_at <= bindparam("now", type_=_WHEN))
        | ((OUTBOX.c.attempts == 0) & (OUTBOX.c.next_attempt_at <= OUTBOX.c.created_at))
        | ((OUTBOX.c.attempts > 0) & (OUTBOX.c.next_attempt_at > bindparam("late", type_=_WHEN)))
    )


# A claim runs for every batch: built once (prebuilt.run), as building them cost more than
# running them (3-5 ms a claim).
_CLAIMABLE = (
    select(OUTBOX.c.id)
    .where(
        OUTBOX.c.status == OutboxStatus.PENDING,
        _due(),
        OUTBOX.c.claimed_until.is_(None)
        | (OUTBOX.c.claimed_until <= bindparam("now", type_=_WHEN)),
        OUTBOX.c.team_id.not_in(bindparam("skip_teams", expanding=True)),
    )
    .order_by(OUTBOX.c.id)
    .limit(bindparam("limit", type_=Integer()))
    .with_for_update(skip_locked=True)
)
_CLAIM = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(claimed_until=bindparam("until", type_=_WHEN), attempts=OUTBOX.c.attempts + 1)
)


def claim_due(db: Database, now: datetime, limit: int, skip_teams: Sequence[str] = ()) -> list[int]:
    """Take a lease on up to ``limit`` due rows; other dispatchers skip them until it ends."""
    due = {"now": now, "late": now + BACKOFF_MAX + LEASE}
    with db.write() as session:
        found = run(session, _CLAIMABLE, {**due, "skip_teams": list(skip_teams), "limit": limit})
        ids = list(found.scalars())
        if ids:
            run(session, _CLAIM, {"ids": ids, "until": now + LEASE})
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
    # A Core connection, not a session: this runs for every notification sent, and a
    # session's own set-up and commit cost about a third of the update's 0.5 ms.
    with db.write_connection() as connection:
        if not connection.execute(_FINISH, values).rowcount:
            return  # the row is gone
        if outgoing is not None and outgoing.after_send is not None and channel and ts:
            # The session joins the connection's transaction; what it adds is flushed into
            # it and committed with the row.
            with Session(bind=connection) as session:
                outgoing.after_send(session, channel, ts)
                session.flush()


def upcoming(db: Database, now: datetime, until: datetime) -> dict[str, datetime]:
    """Each workspace's earliest unclaimed pending row due by ``until``: when it is due."""
    with db.read() as session:
        found = session.execute(
            select(OutboxMessage.team_id, func.min(OutboxMessage.next_attempt_at))
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= until,
                (OutboxMessage.claimed_until.is_(None)) | (OutboxMessage.claimed_until <= now),
            )
            .group_by(OutboxMessage.team_id)
        )
        return {row[0]: row[1] for row in found}
