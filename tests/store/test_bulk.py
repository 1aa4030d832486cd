"""insert_many stores exactly what SQLAlchemy's own insert stores, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Table, insert, select

from mentoring.core.audit import Notice
from mentoring.core.outbox import EVENTS, OUTBOX, outbox_row
from store.bulk import insert_many
from store.db import Database
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.snapshot import snapshot


def event_rows(offset: int) -> list[dict[str, Any]]:
    return [
        {
            "team_id": TEAM,
            "at": NOW + timedelta(seconds=n % 2),  # shared and distinct timestamps
            "actor": "UADMIN",
            "action": "recommendations.pushed",
            "subject_type": "member",
            "subject_id": str(offset + n),
            "before": None if n % 2 else {"mentor_ids": [n, n + 1]},
            "after": {"mentor_ids": [n], "asked_for": 1, "note": "é ✓"},
        }
        for n in range(3)
    ]


def notice_rows(offset: int) -> list[dict[str, Any]]:
    return [
        outbox_row(
            TEAM,
            Notice.RECOMMENDATIONS_PUSHED,
            NOW,
            dedupe_key=f"key-{offset + n}",
            deliver_at=NOW + timedelta(hours=n) if n else None,
            payload={"recommendation_ids": [n], "text": "é ✓"},
        )
        for n in range(3)
    ]


@pytest.mark.parametrize(
    ("table", "rows"), [(EVENTS, event_rows), (OUTBOX, notice_rows)], ids=["events", "outbox"]
)
def test_rows_read_back_as_sqlalchemys_own_insert_wrote_them(
    db: Database, table: Table, rows: Any
) -> None:
    f.workspace(db)
    with db.write() as session:
        session.execute(insert(table), rows(0))
    with db.read() as session:
        theirs = [dict(r._mapping) for r in session.execute(select(table).order_by(table.c.id))]
    with db.write() as session:
        insert_many(session, table, rows(0 if table is EVENTS else 10))
    with db.read() as session:
        ours = [dict(r._mapping) for r in session.execute(select(table).order_by(table.c.id))]
    assert len(ours) == 2 * len(theirs)
    different = {"id", "dedupe_key"} if table is OUTBOX else {"id"}
    for a, b in zip(theirs, ours[len(theirs) :], strict=True):
        assert {k: v for k, v in a.items() if k not in different} == {
            k: v for k, v in b.items() if k not in different
        }
        assert a["at" if table is EVENTS else "created_at"].tzinfo is not None


def test_skip_duplicates_skips_a_row_breaking_a_unique_key_and_keeps_the_rest(
    db: Database,
) -> None:
    f.workspace(db)
    with db.write() as session:
        insert_many(session, OUTBOX, notice_rows(0)[:1], skip_duplicates=True)
    with db.write() as session:
        insert_many(session, OUTBOX, notice_rows(0), skip_duplicates=True)
    with db.read() as session:
        keys = session.scalars(select(OUTBOX.c.dedupe_key).order_by(OUTBOX.c.id)).all()
    assert keys == ["key-0", "key-1", "key-2"]


def test_rows_with_different_keys_are_refused_and_nothing_is_written(db: Database) -> None:
    f.workspace(db)
    rows = event_rows(0)
    del rows[1]["before"]
    before = snapshot(db)
    with pytest.raises(ValueError, match="same keys"), db.write() as session:
        insert_many(session, EVENTS, rows)
    assert snapshot(db) == before


def test_rows_keyed_in_any_order_store_the_same_columns(db: Database) -> None:
    f.workspace(db)
    rows = event_rows(0)
    shuffled = [dict(reversed(row.items())) for row in rows]
    with db.write() as session:
        insert_many(session, EVENTS, rows)
        insert_many(session, EVENTS, shuffled)
    with db.read() as session:
        stored = [dict(r._mapping) for r in session.execute(select(EVENTS).order_by(EVENTS.c.id))]
    for a, b in zip(stored[:3], stored[3:], strict=True):
        assert {k: v for k, v in a.items() if k != "id"} == {
            k: v for k, v in b.items() if k != "id"
        }


def test_rows_leaving_out_a_column_sqlalchemy_would_default_are_refused(db: Database) -> None:
    f.workspace(db)
    rows = notice_rows(0)
    for row in rows:
        del row["attempts"]  # the model's default (0) is SQLAlchemy's, not the database's
    before = snapshot(db)
    with pytest.raises(ValueError, match="attempts"), db.write() as session:
        insert_many(session, OUTBOX, rows)
    assert snapshot(db) == before
