"""The command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from bot.cli import app
from store.db import create_db_engine
from store.migrate import head_revision


def test_migrate_creates_the_schema_and_is_repeatable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'mm.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["migrate"])
        assert result.exit_code == 0, result.output
        assert f"revision {head_revision()}" in result.output
    engine = create_db_engine(url)
    assert {"members", "requests", "relationships", "outbox", "events"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


# Every command of `mentor-match` (README and docs/operations.md name them), in help order.
COMMANDS = (
    "migrate",
    "run",
    "serve",
    "scheduler",
    "console",
    "start",
    "seed-demo",
    "import-profiles",
    "export",
    "doctor",
)


def test_help_lists_all_ten_commands_each_with_its_summary() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    table = result.output[result.output.index("Commands") :]
    rows = {}  # command -> its line of the Commands table
    for line in table.splitlines():
        cells = line.strip("│ ").split(None, 1)
        if len(cells) == 2 and cells[0] in COMMANDS:
            rows[cells[0]] = cells[1]
    assert list(rows) == list(COMMANDS)
    registered = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    assert registered == set(COMMANDS)  # no command missing from this list, none extra
    for command in app.registered_commands:
        assert command.callback is not None and command.callback.__doc__
        name = command.name or command.callback.__name__
        summary = command.callback.__doc__.splitlines()[0]
        assert rows[name].startswith(summary.rstrip(",")), (name, rows[name])


def test_start_without_tokens_opens_the_console_and_says_how_to_connect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'mm.sqlite3'}")
    result = CliRunner().invoke(app, ["start"], input="people\nquit\n")
    assert result.exit_code == 0, result.output
    assert "the console demo starts instead" in result.output
    assert "'Connecting Slack' in README.md" in result.output
    assert "Mentor Match — console demo" in result.output
    assert "Kemi Adeyemi" in result.output  # the `people` command answered
    assert (tmp_path / "data" / "mm.sqlite3").exists()  # the main database was migrated
    assert (tmp_path / "data" / "console-demo.sqlite3").exists()
