"""``mentor-match run`` (and ``start``, what ``make run`` does) over the fake's Socket Mode.

The real process connects with slack_sdk's own Socket Mode client to the fake's WebSocket
endpoint (handed out by ``apps.connections.open`` for the app-level token) and is driven
through a command, a click and a submission, then a ``disconnect`` and its reconnection.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from blocks.ids import Action, Field
from fakeslack import FakeSlack, Inbound
from fakeslack.socket_mode import SocketModeEndpoint
from store.enums import RequestStatus
from store.models import Request
from tests import factories as f
from tests.conftest import TEAM
from tests.processes.conftest import ProcessDb, Start
from tests.processes.harness import APP_TOKEN, SIGNING_SECRET, hold, slack_shows
from tests.scenario.harness import find_action, texts

MESSAGE = "Hi Maya! Could you help me grow into a staff engineer role this year?"


@pytest.fixture
def socket(fake: FakeSlack) -> Iterator[SocketModeEndpoint]:
    with SocketModeEndpoint(fake.state) as endpoint:
        yield endpoint


def modal_showing(fake: FakeSlack, user: str, text: str, depth: int = 1) -> dict[str, Any]:
    """The top modal of ``user``'s stack once it is ``depth`` deep and shows ``text``."""

    def shown() -> dict[str, Any] | None:
        stack = fake.state.views_for(user)
        if len(stack) != depth:
            return None
        view: dict[str, Any] = stack[-1].to_api()
        return view if text in texts(view) else None

    found: dict[str, Any] = slack_shows(fake, shown, f"a modal for {user} showing {text!r}")
    return found


@pytest.mark.parametrize("command", ["run", "start"])
def test_a_command_a_click_and_a_submission_over_socket_mode(
    command: str,
    start: Start,
    fake: FakeSlack,
    socket: SocketModeEndpoint,
    process_db: ProcessDb,
) -> None:
    f.workspace(process_db.db)
    f.mentor(process_db.db, "UMAYA", display_name="Maya Chen")
    f.mentee(process_db.db, "UERIN", display_name="Erin Walsh")
    app = start(command, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")
    socket.wait_connected()
    app.wait_for("connected over Socket Mode")
    opened = fake.state.calls("apps.connections.open")
    assert [(c.ok, c.token) for c in opened] == [(True, APP_TOKEN)]
    inbound = Inbound(SIGNING_SECRET, TEAM, state=fake.state)

    # The command: acknowledged over the socket, then the search modal opens.
    assert socket.send(inbound.command("UERIN", "/find-mentor")).wait_ack() is None
    search = modal_showing(fake, "UERIN", "Maya Chen")  # opened, then filled by views.update

    # The click: Request on Maya's row pushes the request form.
    action = find_action(search, Action.REQUEST_MENTOR, "UMAYA")
    socket.send(inbound.block_actions("UERIN", [action], view=search)).wait_ack()
    form = modal_showing(fake, "UERIN", "Maya Chen", depth=2)

    # The submission: its acknowledgement carries the response_action Slack applies.
    answer = socket.send(inbound.view_submission("UERIN", form, {Field.MESSAGE: MESSAGE}))
    response = answer.wait_ack()
    assert response is not None and response["response_action"] == "update"
    assert "on its way" in texts(fake.state.views_for("UERIN")[-1].to_api())
    with process_db.db.read() as session:
        request = session.scalars(select(Request)).one()
    assert (request.status, request.message) == (RequestStatus.PENDING, MESSAGE)
    card = slack_shows(
        fake, lambda: fake.state.messages(fake.state.dm_channel("UMAYA")), "Maya's request card"
    )
    assert "Erin Walsh" in texts(card[-1].to_api())

    # Hours later Slack refreshes the connection: the app reconnects and keeps answering.
    # (apps.connections.open is Tier 1, once a minute: Slack's clock moves past that.)
    fake.state.clock = lambda: time.monotonic() + 3600
    socket.disconnect("refresh_requested")
    socket.wait_connected(total=2)
    assert len(fake.state.calls("apps.connections.open")) == 2
    home = socket.send(inbound.app_home_opened("UMAYA"))
    assert home.wait_ack() is None and home.connection == 2
    slack_shows(fake, lambda: fake.state.home("UMAYA"), "Maya's Home published")

    assert all(e.acked_in_time for e in socket.envelopes())
    assert socket.problems == []
    app.signal(signal.SIGTERM)
    assert app.wait() == 0
    assert "stopped after SIGTERM" in app.output
    assert "Traceback" not in app.output


def test_sigterm_waits_for_the_envelope_in_flight(
    start: Start, fake: FakeSlack, socket: SocketModeEndpoint, process_db: ProcessDb
) -> None:
    app = start("run", "--no-scheduler", SLACK_APP_TOKEN=APP_TOKEN, SHUTDOWN_GRACE_SECONDS="60")
    socket.wait_connected()
    app.wait_for("connected over Socket Mode")
    held = hold(fake, "views.open")
    inbound = Inbound(SIGNING_SECRET, TEAM, state=fake.state)
    socket.send(inbound.command("UERIN", "/find-mentor")).wait_ack()
    held.wait_arrived(60)
    app.signal(signal.SIGTERM)
    app.wait_for("SIGTERM received")
    assert app.proc.poll() is None
    held.release()
    assert app.wait() == 0
    assert "drained 1 listener" in app.output
    assert fake.state.views_for("UERIN")


def test_the_fake_refuses_a_bot_token_and_a_used_url(
    fake: FakeSlack, socket: SocketModeEndpoint
) -> None:
    from slack_sdk.errors import SlackApiError
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    with pytest.raises(SlackApiError) as refused:
        fake.client().apps_connections_open(app_token="xoxb-test-bot")
    assert refused.value.response["error"] == "not_allowed_token_type"
    fake.state.clock = lambda: time.monotonic() + 120  # Tier 1: the next call a minute on
    url = fake.client().apps_connections_open(app_token=APP_TOKEN)["url"]
    with connect(url) as ws:
        hello = json.loads(ws.recv(timeout=10))
        assert hello["type"] == "hello" and hello["num_connections"] == 1
    with pytest.raises(InvalidStatus):
        connect(url)  # a URL is good for one connection
