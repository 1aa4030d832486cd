"""Bulk writes of notifications and events for the sweep: Core inserts, duplicates skipped."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice
from store.bulk import insert_or_skip as store_insert_or_skip
from store.enums import OutboxStatus
from store.models import Event, OutboxMessage

# Core tables, not ORM entities: bulk inserts of thousands of rows skip the ORM's bookkeeping.
OUTBOX = cast(Table, OutboxMessage.__table__)
EVENTS = cast(Table, Event.__table__)


def insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert outbox rows; one whose dedupe key exists already is skipped, not an error."""
    if not rows:
        return
    session.execute(insert_or_skip(session, OUTBOX), rows)


def insert_or_skip(session: Session, table: Table) -> Any:
    """An INSERT into ``table`` that skips a row breaking a unique constraint, not an error."""
    return store_insert_or_skip(table, session.get_bind().dialect.name)


def insert_ignoring_duplicates_from(
    session: Session, columns: list[str], rows: Select[Any]
) -> None:
    """INSERT ... SELECT into the outbox; a row whose dedupe key exists already is skipped.

    For the sweep's largest steps: the database builds the rows, none crosses into Python.
    """
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(OUTBOX).from_select(columns, rows).on_conflict_do_nothing()
    else:
        stmt = insert(OUTBOX).from_select(columns, rows).prefix_with("OR IGNORE", dialect="sqlite")
    session.execute(stmt)


def insert_events(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(EVENTS), rows)


def outbox_row(
    team_id: str,
    notice: Notice,
    now: datetime,
    *,
    recipient_id: int | None = None,
    request_id: int | None = None,
    meeting_id: int | None = None,
    relationship_id: int | None = None,
    dedupe_key: str | None = None,
    deliver_at: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One outbox row as a Core insert takes it."""
    return {
        "team_id": team_id,
        "kind": notice.value,
        "recipient_id": recipient_id,
        "request_id": request_id,
        "relationship_id": relationship_id,
        "meeting_id": meeting_id,
        "payload": payload or {},
        "dedupe_key": dedupe_key,
        "status": OutboxStatus.PENDING,
        "created_at": now,
        "next_attempt_at": deliver_at or now,
        "attempts": 0,
    }
