"""SQLite transactions as the store relies on them: writers lock at BEGIN, readers do not."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from store.db import Database, create_db_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    created = create_db_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with created.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    yield created
    created.dispose()


def _other_writer(engine: Engine) -> sqlite3.Connection:
    """A second connection to the file that gives up at once when the database is locked."""
    other = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
    return other


def test_write_sessions_and_connections_hold_the_write_lock_from_their_start(
    engine: Engine,
) -> None:
    db = Database(engine)
    other = _other_writer(engine)
    try:
        with db.write() as session:
            session.connection()  # begun, nothing written yet
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with db.write_connection(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        with db.read() as session:
            session.execute(text("SELECT x FROM t")).all()
            other.execute("BEGIN IMMEDIATE")  # a reader leaves the lock free
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_write_that_cannot_have_the_lock_fails_as_a_sqlalchemy_operational_error(
    engine: Engine,
) -> None:
    other = _other_writer(engine)
    other.execute("BEGIN IMMEDIATE")
    try:
        with engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA busy_timeout=0")
            writing = connection.execution_options(sqlite_begin="IMMEDIATE")
            with pytest.raises(OperationalError, match="locked"):
                writing.begin()
    finally:
        other.execute("ROLLBACK")
        other.close()
