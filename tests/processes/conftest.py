"""Fixtures for process tests: a database per test (SQLite file or PostgreSQL database), the
fake Slack with a small cast, and a way to start ``mentor-match`` against both."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from fakeslack import FakeSlack, SlackState
from store.db import Database
from store.migrate import upgrade
from tests.conftest import IN_CI, POSTGRES_ADMIN_URL, TEAM
from tests.processes.harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    AppProcess,
)

CAST = {
    "UMAYA": ("maya", "Maya Chen", "Europe/London"),
    "UERIN": ("erin", "Erin Walsh", "America/New_York"),
    "UADMIN": ("admin", "Ada Admin", "UTC"),
}


class ProcessDb:
    """A migrated database a process can open by URL, and the test by ``db``."""

    def __init__(self, url: str, kind: str) -> None:
        self.url, self.kind = url, kind
        self.db = Database.from_url(url)
        upgrade(self.db.engine)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def process_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProcessDb]:
    """A database of the test's own, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = ProcessDb(f"sqlite:///{tmp_path / 'process.sqlite3'}", "sqlite")
        yield database
        database.db.dispose()
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"mentor_match_proc_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    database = ProcessDb(url, "postgres")
    yield database
    database.db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    state = SlackState(team_id=TEAM)
    for user_id, (name, real_name, tz) in CAST.items():
        state.add_user(user_id, name=name, real_name=real_name, display_name=real_name, tz=tz)
    with FakeSlack(state) as server:
        yield server


Start = Callable[..., AppProcess]


@pytest.fixture
def start(tmp_path: Path, process_db: ProcessDb, fake: FakeSlack) -> Iterator[Start]:
    """Start ``mentor-match ARGS`` against the test's database and fake Slack."""
    started: list[AppProcess] = []

    def launch(*args: str, stdin: bool = False, **env: str) -> AppProcess:
        settings = {
            "DATABASE_URL": process_db.url,
            "SLACK_API_URL": fake.api_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "ADMIN_USER_IDS": "UADMIN",
            **env,
        }
        process = AppProcess(args, cwd=tmp_path, env=settings, stdin=stdin)
        started.append(process)
        return process

    yield launch
    for process in started:
        process.kill()
