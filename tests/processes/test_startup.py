"""Starting while Slack cannot be reached, and with a token Slack refuses: one clear line each."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import pytest

from fakeslack import FakeSlack, SignedRequest, SlackState, post
from tests.conftest import TEAM
from tests.processes.conftest import ProcessDb, Start
from tests.processes.harness import APP_TOKEN, health, listening_port

MODES = {
    "serve": ("serve", "--host", "127.0.0.1", "--port", "0", "--no-scheduler"),
    "scheduler": ("scheduler", "--health-port", "0"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("mode", sorted(MODES))
def test_waits_for_slack_with_one_line_per_attempt_and_503_meanwhile(
    mode: str, start: Start
) -> None:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api/"
    app = start(*MODES[mode], SLACK_API_URL=api_url)
    app.wait_for(
        rf"cannot reach Slack at {api_url}: \[Errno 111\] Connection refused; retrying in 1 s"
    )
    app.wait_for(r"retrying in 2 s")  # backing off
    http = listening_port(app)
    status, body = health(http)
    assert (status, body["slack"], body["status"]) == (503, "unreachable", "error")
    if mode == "serve":
        request = SignedRequest("{}", {"Content-Type": "application/json"}, "application/json")
        assert post(f"http://127.0.0.1:{http}/slack/events", request)[0] == 503

    with FakeSlack(SlackState(team_id=TEAM), port=port):
        app.wait_for("is ready" if mode == "serve" else "Scheduler running")
        status, body = health(http)
        assert (status, body["slack"]) == (200, "ok"), body
        app.signal(signal.SIGTERM)
        assert app.wait() == 0
    assert "Traceback" not in app.output


@pytest.mark.parametrize(
    ("args", "env", "variable"),
    [
        (MODES["serve"], {"SLACK_BOT_TOKEN": "xoxb-wrong"}, "SLACK_BOT_TOKEN"),
        (MODES["scheduler"], {"SLACK_BOT_TOKEN": "xoxb-wrong"}, "SLACK_BOT_TOKEN"),
        (
            ("run",),
            {"SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_APP_TOKEN": APP_TOKEN},
            "SLACK_BOT_TOKEN",
        ),
        (("run",), {"SLACK_APP_TOKEN": "xapp-wrong"}, "SLACK_APP_TOKEN"),
    ],
    ids=["serve", "scheduler", "run-bot-token", "run-app-token"],
)
def test_a_refused_token_stops_with_one_line_naming_the_variable(
    args: tuple[str, ...], env: dict[str, str], variable: str, start: Start
) -> None:
    app = start(*args, **env)
    assert app.wait() == 2
    refused = [line for line in app.output.splitlines() if "Slack refused" in line]
    assert len(refused) == 1, app.output
    assert f"Slack refused {variable} (invalid_auth)" in refused[0]
    assert "Traceback" not in app.output


def test_a_database_that_cannot_be_opened_is_one_line(
    start: Start, process_db: ProcessDb, tmp_path: Path
) -> None:
    if process_db.kind == "postgres":
        url = "postgresql://postgres@127.0.0.1:1/mentor_match"  # nothing listens on port 1
    else:
        (tmp_path / "not-a-folder").write_text("a file where the data folder should be")
        url = f"sqlite:///{tmp_path / 'not-a-folder' / 'mm.sqlite3'}"
    app = start(*MODES["serve"], DATABASE_URL=url)
    assert app.wait() == 1
    lines = [line for line in app.output.splitlines() if "cannot open the database" in line]
    assert len(lines) == 1, app.output
    assert "Traceback" not in app.output


def test_a_port_already_taken_is_one_line(start: Start) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = start("serve", "--host", "127.0.0.1", "--port", str(port), "--no-scheduler")
        assert app.wait() == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in app.output
    assert "Traceback" not in app.output
