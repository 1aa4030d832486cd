"""What the program records as it runs: the audit log, the outbox, the scheduler's job runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.enums import OutboxStatus
from store.models.base import TEAM_ID, Base, Row, str_enum


class Event(Row):
    """Append-only audit log: every state change, who made it, and what changed."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_subject", "subject_type", "subject_id"),
        Index("ix_events_team_at", "team_id", "at"),
    )

    team_id: Mapped[str] = mapped_column(TEAM_ID)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))  # Slack user id, or "system:<job>"
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OutboxMessage(Row):
    """A notification intent, committed with the change it announces and delivered afterwards."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("team_id", "dedupe_key"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # The dispatcher claims the oldest due rows first: pending rows in id order.
        Index("ix_outbox_claim_order", "status", "id"),
    )

    team_id: Mapped[str] = mapped_column(TEAM_ID)
    kind: Mapped[str] = mapped_column(String(64))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_requests.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Set when the same notice must never be queued twice (e.g. "reminder #2 of request 7").
    dedupe_key: Mapped[str | None] = mapped_column(String(128))

    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, 16), default=OutboxStatus.PENDING
    )
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A dispatcher owns the row until then; a crash lets the lease run out and another retries.
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class JobRun(Base):
    """When a scheduler job last started, last succeeded and last failed (one row per job).

    Written by whichever process runs the scheduler and read by any other (``/healthz`` of a
    web instance, ``mentor-match doctor``): the database is what they share.
    """

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_started_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class DirectoryChange(Base):
    """A mentor whose directory data changed: written by database triggers (migrations 0006
    and 0009).

    Triggers on ``members``, ``member_tags``, ``relationships`` and ``requests`` add a row
    whenever a mentor's profile, tags, pause, role, active mentees or waiting requests change,
    by whatever path, in the same transaction. Each process's in-memory directory index
    (mentoring.directory.index) reads the rows newer than the last it saw before every
    search and reloads only those mentors, so a search sees exactly what the database holds.
    ``xid`` is the writing transaction on PostgreSQL (where sequence order is not commit
    order); SQLite commits one writer at a time, so ``seq`` order is commit order there.
    """

    __tablename__ = "directory_changes"
    __table_args__ = (
        Index("ix_directory_changes_team_seq", "team_id", "seq"),
        Index("ix_directory_changes_team_xid", "team_id", "xid"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    member_id: Mapped[int] = mapped_column(Integer)
    xid: Mapped[int | None] = mapped_column(BigInteger)


class DirectoryHorizon(Base):
    """How far each workspace's ``directory_changes`` have been pruned (the sweep keeps the
    newest rows only). An index that last read below this horizon may have missed a pruned row,
    so it reloads the whole team instead (mentoring.directory.index)."""

    __tablename__ = "directory_horizons"

    team_id: Mapped[str] = mapped_column(TEAM_ID, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)  # the highest seq pruned
    xid: Mapped[int] = mapped_column(BigInteger, default=0)  # the highest xid pruned (PostgreSQL)
