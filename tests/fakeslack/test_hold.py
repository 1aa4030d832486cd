"""``Hold`` keeps a Web API call waiting until the test releases it, so races are ordered."""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from fakeslack import FakeSlack, Hold, SlackState, User


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(SlackState()) as server:
        yield server


@pytest.fixture
def alice(fake: FakeSlack) -> User:
    return fake.state.add_user(name="alice")


class Call(threading.Thread):
    """One Web API call made from its own thread; its answer once it returns."""

    def __init__(self, client: WebClient, **kwargs: Any) -> None:
        super().__init__(daemon=True)
        self.client, self.kwargs = client, kwargs
        self.answer: Any = None
        self.returned = threading.Event()

    def run(self) -> None:
        try:
            self.answer = self.client.chat_postMessage(**self.kwargs)
        except SlackApiError as err:
            self.answer = err.response
        self.returned.set()


def test_a_held_call_does_nothing_until_released_while_other_calls_go_on(
    fake: FakeSlack, alice: User
) -> None:
    hold = Hold()
    fake.state.inject("chat.postMessage", hold)
    im = fake.state.dm_channel(alice.id)
    call = Call(fake.client(), channel=im, text="held")
    call.start()

    hold.wait_arrived()
    assert fake.state.messages(im) == []  # Slack has not taken it yet
    assert not call.returned.is_set()
    assert fake.client().users_info(user=alice.id)["user"]["id"] == alice.id  # not blocked
    hold.release()
    call.join(timeout=10)

    assert call.answer["ok"]
    assert [m.text for m in fake.state.messages(im)] == ["held"]


def test_an_applied_hold_does_the_call_and_keeps_only_the_answer_back(
    fake: FakeSlack, alice: User
) -> None:
    hold = Hold(applied=True)
    fake.state.inject("chat.postMessage", hold)
    im = fake.state.dm_channel(alice.id)
    call = Call(fake.client(), channel=im, text="done, not told")
    call.start()

    hold.wait_arrived()
    assert [m.text for m in fake.state.messages(im)] == ["done, not told"]
    assert not call.returned.is_set()  # the app has not heard back
    hold.release()
    call.join(timeout=10)

    assert call.answer["ok"]
    assert call.answer["ts"] == fake.state.messages(im)[0].ts


def test_a_hold_never_released_answers_500_instead_of_hanging(fake: FakeSlack, alice: User) -> None:
    fake.state.inject("chat.postMessage", Hold(timeout=0))
    im = fake.state.dm_channel(alice.id)

    call = Call(fake.client(), channel=im, text="forgotten")
    call.run()  # in this thread: the hold gives up at once

    assert call.answer.status_code == 500
    assert call.answer["error"] == "internal_error"
    assert fake.state.messages(im) == []


def test_waiting_for_a_call_that_never_comes_times_out() -> None:
    with pytest.raises(TimeoutError):
        Hold().wait_arrived(timeout=0)


def test_stopping_the_fake_releases_what_a_test_left_held_and_answers_it() -> None:
    state = SlackState()
    bob = state.add_user(name="bob")
    hold = Hold()
    state.inject("chat.postMessage", hold)
    server = FakeSlack(state).start()
    call = Call(server.client(), channel=state.dm_channel(bob.id), text="left")
    call.start()
    hold.wait_arrived()

    server.stop()
    call.join(timeout=10)

    assert hold.released
    assert not call.is_alive()
    assert call.answer is not None and call.answer["ok"]  # answered before the port closed


def test_waiting_for_what_slack_shows_wakes_on_the_call_that_shows_it(
    fake: FakeSlack, alice: User
) -> None:
    im = fake.state.dm_channel(alice.id)
    assert not fake.state.wait_for(lambda: fake.state.messages(im), timeout=0)  # nothing yet
    hold = Hold()
    fake.state.inject("chat.postMessage", hold)
    call = Call(fake.client(), channel=im, text="hello")
    call.start()
    hold.wait_arrived()
    hold.release()  # the waiter below wakes when this call is answered, not by polling

    shown = fake.state.wait_for(lambda: fake.state.messages(im), timeout=30)
    assert shown and [m.text for m in shown] == ["hello"]
    call.join(timeout=10)


def test_a_client_that_hangs_up_before_its_answer_leaves_no_traceback(
    fake: FakeSlack, alice: User, capfd: pytest.CaptureFixture[str]
) -> None:
    hold = Hold()
    fake.state.inject("chat.postMessage", hold)
    body = json.dumps({"channel": fake.state.dm_channel(alice.id), "text": "gone"}).encode()
    head = (
        "POST /api/chat.postMessage HTTP/1.1\r\nHost: fake\r\n"
        f"Authorization: Bearer {fake.state.bot_token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", fake.port)) as sock:
        # Closing sends a reset at once, so the fake's answer meets a closed connection.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(head.encode() + body)
        hold.wait_arrived()

    fake.stop()  # releases the call and waits while it is answered

    assert hold.released
    assert "Traceback" not in capfd.readouterr().err
