"""``mentor-match doctor`` against the fake Slack: what works, what is broken, what to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from bot.cli import app
from bot.config import AppConfig
from bot.doctor import REINSTALL, Check, check_database, run_checks
from fakeslack import FakeSlack, SlackState
from store.db import create_db_engine
from store.migrate import head_revision, upgrade


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeSlack) -> Path:
    """A healthy deployment: migrated SQLite, a working token, both run modes, an admin."""
    url = f"sqlite:///{tmp_path / 'mm.sqlite3'}"
    engine = create_db_engine(url)
    upgrade(engine)
    engine.dispose()
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name, value in {
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": fake.state.bot_token,
        "SLACK_API_URL": fake.api_url,
        "SLACK_APP_TOKEN": "xapp-1-A0APP-1-secret",
        "SLACK_SIGNING_SECRET": "signing-secret",
        "ADMIN_USER_IDS": "U0ADMIN",
    }.items():
        monkeypatch.setenv(name, value)
    return tmp_path


def _by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def test_healthy_deployment_passes_every_check(env: Path) -> None:
    result = CliRunner().invoke(app, ["doctor"])

    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:-1] if not line.startswith("    fix:")] == [
        "✓ settings",
        "✓ database",
        "✓ bot token",
        "✓ scopes",
        "✓ run modes",
        "✓ admins",
        "! scheduler",  # a fresh database: no run recorded yet
    ]
    assert f"schema at revision {head_revision()} (latest)" in result.output
    assert "auth.test ok" in result.output
    assert lines[-1] == "All checks passed."


@pytest.mark.parametrize("token", ["revoked", "xoxb-not-a-real-token"])
def test_doctor_with_a_broken_token_says_so(
    env: Path, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    if token == "revoked":
        fake.state.revoke_token(fake.state.bot_token)
    else:
        monkeypatch.setenv("SLACK_BOT_TOKEN", token)

    result = CliRunner().invoke(app, ["doctor"])

    assert result.exit_code == 1
    assert "✗ bot token: the bot token is invalid or revoked" in result.output
    assert f"fix: {REINSTALL}" in result.output
    assert "1 check(s) failed." in result.output


def test_missing_scopes_are_listed(env: Path) -> None:
    with FakeSlack(SlackState(scopes=["chat:write", "commands"])) as narrow:
        checks = _by_name(run_checks(load_config=lambda: _config(narrow)))

    scopes = checks["scopes"]
    assert not scopes.ok
    assert scopes.detail.startswith("missing files:write, im:write, mpim:write, users:read")
    assert "reinstall the app" in scopes.fix


def test_unreachable_database_fails(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://mm:secret@127.0.0.1:1/mentor_match")

    result = CliRunner().invoke(app, ["doctor"])

    assert result.exit_code == 1
    assert "✗ database: cannot connect to postgresql+psycopg://mm:***@127.0.0.1:1/" in result.output
    assert "secret" not in result.output


def test_database_without_schema_or_file_says_migrate(tmp_path: Path) -> None:
    missing = check_database(f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert (missing.ok, missing.fix) == (False, "run `mentor-match migrate`")
    assert "no database file" in missing.detail
    assert not (tmp_path / "none.sqlite3").exists()

    empty_path = tmp_path / "empty.sqlite3"
    empty_path.touch()
    empty = check_database(f"sqlite:///{empty_path}")
    assert (empty.ok, empty.fix) == (False, "run `mentor-match migrate`")
    assert "has no schema yet" in empty.detail


def test_invalid_settings_are_shown_readably(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWEEP_INTERVAL_SECONDS", "0")

    result = CliRunner().invoke(app, ["doctor"])

    assert result.exit_code == 1
    assert "✗ settings: SWEEP_INTERVAL_SECONDS: Input should be greater than or equal to 1" in (
        result.output
    )


def test_run_modes_and_admins(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "ADMIN_USER_IDS"):
        monkeypatch.delenv(name)

    checks = _by_name(run_checks())

    assert not checks["run modes"].ok
    assert "needs SLACK_APP_TOKEN" in checks["run modes"].detail
    assert "SLACK_SIGNING_SECRET" in checks["run modes"].fix
    assert checks["admins"].warning

    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    modes = _by_name(run_checks())["run modes"]
    assert modes.ok
    assert modes.detail == "Socket Mode (`run`): needs SLACK_APP_TOKEN; HTTP (`serve`): ready"


def _config(slack: FakeSlack) -> AppConfig:
    """Settings from the environment, but talking to ``slack``."""
    return AppConfig(slack_bot_token=SecretStr(slack.state.bot_token), slack_api_url=slack.api_url)


def test_doctor_reads_the_scheduler_runs_any_process_recorded(env: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.doctor import check_scheduler
    from scheduler.liveness import DELIVERY_JOB, SWEEP_JOB, record_success
    from store.db import Database

    config = AppConfig()
    db = Database.from_url(config.database_url)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    record_success(db, SWEEP_JOB, now - timedelta(minutes=5))
    record_success(db, DELIVERY_JOB, now - timedelta(seconds=10))
    db.dispose()

    fine = check_scheduler(config, now=now)
    assert fine.ok and not fine.warning
    assert "sweep last completed at 2026-03-02 08:55:00 UTC" in fine.detail
    stale = check_scheduler(config, now=now + timedelta(minutes=20))  # 3 x 300 s is 15 min
    assert not stale.ok
    assert "the sweep has not completed for 25 min" in stale.detail
    assert "mentor-match scheduler" in stale.fix
