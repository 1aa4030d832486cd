"""``mentor-match console`` ends cleanly on quit, Ctrl-D, Ctrl-C and SIGTERM, whatever is open."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.processes.conftest import ProcessDb
from tests.processes.harness import AppProcess

PROMPT = r"Mateo Fernández> "


def console(tmp_path: Path, process_db: ProcessDb) -> AppProcess:
    app = AppProcess(
        ["console", "--database-url", process_db.url], cwd=tmp_path, env={}, stdin=True
    )
    app.wait_for(PROMPT, timeout=120)  # seeding the demo program takes a while
    return app


def with_search_open(app: AppProcess) -> None:
    app.write("/find-mentor\n")
    app.wait_for(r"Find a mentor")
    app.wait_for(PROMPT, after=app.output.index("Find a mentor"))


def ended_cleanly(app: AppProcess) -> None:
    assert app.wait() == 0, app.output
    assert "Traceback" not in app.output
    assert "Bad file descriptor" not in app.output


def test_quit_with_a_modal_open(tmp_path: Path, process_db: ProcessDb) -> None:
    app = console(tmp_path, process_db)
    with_search_open(app)
    app.write("quit\n")
    ended_cleanly(app)


def test_ctrl_d_with_a_modal_open(tmp_path: Path, process_db: ProcessDb) -> None:
    app = console(tmp_path, process_db)
    with_search_open(app)
    app.close_stdin()
    ended_cleanly(app)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_at_the_prompt_with_a_modal_open(
    sig: signal.Signals, tmp_path: Path, process_db: ProcessDb
) -> None:
    app = console(tmp_path, process_db)
    with_search_open(app)
    app.wait_reading_stdin()
    app.signal(sig)
    ended_cleanly(app)
    assert "Interrupted: closing the demo" in app.output


@pytest.mark.parametrize("command", ["/find-mentor", "/mentor-admin", "advance 4d"])
def test_ctrl_c_while_a_command_runs(command: str, tmp_path: Path, process_db: ProcessDb) -> None:
    """The signal lands somewhere in the command (wherever it lands, the exit is clean)."""
    app = console(tmp_path, process_db)
    mark = len(app.output)  # before writing: the next prompt may come at once
    app.write("as rosa\n" if command == "/mentor-admin" else "people\n")
    app.wait_for(r"\n(?:Mateo Fernández|Rosa Delgado)> ", after=mark)
    app.write(command + "\n")
    app.signal(signal.SIGINT)
    ended_cleanly(app)
