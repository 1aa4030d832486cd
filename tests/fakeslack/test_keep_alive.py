"""The fake serves persistent HTTP/1.1 connections as Slack does, answers and errors alike."""

from __future__ import annotations

import json
from http.client import HTTPConnection

from fakeslack import FakeSlack, RateLimited, User

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _post(connection: HTTPConnection, method: str, body: str, token: str) -> tuple[int, dict, dict]:
    connection.request("POST", f"/api/{method}", body, {**FORM, "Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    payload = json.loads(response.read())
    return response.status, payload, dict(response.headers)


def test_one_connection_carries_several_calls_each_answered_with_its_length(
    fake: FakeSlack, alice: User
) -> None:
    token = fake.state.bot_token
    connection = HTTPConnection("127.0.0.1", fake.port, timeout=5)
    fake.state.inject("chat.postMessage", RateLimited(retry_after=7))

    first = _post(connection, "auth.test", "", token)
    limited = _post(connection, "chat.postMessage", f"channel={alice.id}&text=hi", token)
    posted = _post(connection, "chat.postMessage", f"channel={alice.id}&text=hi", token)
    connection.close()

    assert first[0] == 200 and first[1]["ok"] is True
    assert int(first[2]["Content-Length"]) > 0
    assert limited[0] == 429 and limited[1]["error"] == "ratelimited"
    assert limited[2]["Retry-After"] == "7"
    assert posted[0] == 200 and posted[1]["ok"] is True
    assert fake.connections_opened == 1
    assert [c.status for c in fake.state.calls("chat.postMessage")] == [429, 200]


def test_a_client_asking_to_close_gets_its_connection_closed(fake: FakeSlack) -> None:
    connection = HTTPConnection("127.0.0.1", fake.port, timeout=5)
    connection.request("POST", "/api/auth.test", "", {**FORM, "Connection": "close"})
    response = connection.getresponse()
    response.read()

    assert response.will_close
    assert response.headers["Connection"] == "close"


def test_dropped_connections_are_closed_and_new_ones_served(fake: FakeSlack) -> None:
    token = fake.state.bot_token
    connection = HTTPConnection("127.0.0.1", fake.port, timeout=5)
    _post(connection, "auth.test", "", token)

    fake.drop_connections()
    closed = connection.sock.recv(1)  # type: ignore[union-attr]
    connection.close()
    again = _post(connection, "auth.test", "", token)  # http.client connects anew

    assert closed == b""
    assert again[0] == 200
    assert fake.connections_opened == 2
