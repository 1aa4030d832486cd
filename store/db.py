"""Engine and session set-up for SQLite (embedded default) and PostgreSQL.

Writers must never interleave a read and a write with another writer: the program's limits are
"count, then insert". On PostgreSQL the operations lock the member rows they count for
(``SELECT ... FOR UPDATE``); SQLite has no row locks, so every write transaction starts with
``BEGIN IMMEDIATE``, which takes the database's write lock before the first read.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from store.turns import Turns, turns_for

DEFAULT_DATA_DIR = Path("data")
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_database_url(data_dir: Path | None = None) -> str:
    """The embedded default: a SQLite file under the data directory."""
    directory = data_dir or Path(os.environ.get("MENTOR_MATCH_DATA_DIR", DEFAULT_DATA_DIR))
    return f"sqlite:///{directory / 'mentor-match.sqlite3'}"


def data_dir_of(url: str) -> Path:
    """The folder of a SQLite database file (the default data directory otherwise)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(str(parsed.database)).parent
    return Path(os.environ.get("MENTOR_MATCH_DATA_DIR", DEFAULT_DATA_DIR))


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the pragmas and transaction behaviour the store relies on."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)

    database = parsed.database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        statement = f"BEGIN {mode}"
        # Straight to the driver: every transaction runs this, and SQLAlchemy's execution
        # path around it costs more than the statement (0.05 ms of a read session's 0.22).
        # A failure (the write lock not had within the busy timeout) is wrapped as
        # SQLAlchemy wraps any other statement's.
        try:
            connection.connection.driver_connection.execute(statement)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc

    return engine


class Database:
    """Owns the engine and hands out read and write sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # SQLite: this process's writers take turns in arrival order (store.turns).
        self.turns: Turns | None = turns_for(engine.url.database) if self.is_sqlite else None
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(self._write_engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_db_engine(url))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for a unit of work that changes data; commits on success.

        On SQLite it first waits its turn among this process's writers (:mod:`store.turns`),
        as long as SQLite itself would wait for its lock.
        """
        turn = self.turns.turn(SQLITE_BUSY_TIMEOUT_MS / 1000) if self.turns else nullcontext()
        with turn, self._write() as session, session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a write transaction, committed on success, taken as
        :meth:`write` takes a session (the same turn, ``BEGIN IMMEDIATE`` on SQLite).

        For a write done so often that a session's own bookkeeping shows: the dispatcher
        marks each notification sent in its own transaction.
        """
        turn = self.turns.turn(SQLITE_BUSY_TIMEOUT_MS / 1000) if self.turns else nullcontext()
        with turn, self._write_engine.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._read() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
