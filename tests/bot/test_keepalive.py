"""KeepAliveWebClient: slack_sdk's client, one persistent connection per thread, same answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.keepalive import KeepAliveWebClient
from fakeslack import FakeSlack, RateLimited, ServerError, SlackError, SlackState, User
from scheduler.outcomes import BACKOFF_BASE, classify


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(SlackState(rate_limits=False)) as server:
        yield server


@pytest.fixture
def alice(fake: FakeSlack) -> User:
    return fake.state.add_user(name="alice")


def _client(fake: FakeSlack, **kwargs: object) -> KeepAliveWebClient:
    return KeepAliveWebClient(token=fake.state.bot_token, base_url=fake.api_url, **kwargs)  # type: ignore[arg-type]


def test_calls_from_one_thread_share_one_connection(fake: FakeSlack, alice: User) -> None:
    client = _client(fake)

    client.auth_test()
    posted = client.chat_postMessage(channel=alice.id, text="hello")
    client.auth_test()

    assert posted["ok"] is True
    assert fake.connections_opened == 1


def test_slack_sdks_own_client_opens_a_connection_per_call(fake: FakeSlack) -> None:
    client = WebClient(token=fake.state.bot_token, base_url=fake.api_url)

    client.auth_test()
    client.auth_test()

    assert fake.connections_opened == 2  # what the fake counts, and the cost saved


def test_each_thread_has_its_own_connection(fake: FakeSlack) -> None:
    client = _client(fake)
    client.auth_test()
    other = threading.Thread(target=client.auth_test)
    other.start()
    other.join()

    client.auth_test()

    assert fake.connections_opened == 2
    assert len(fake.state.calls("auth.test")) == 3


def test_a_connection_the_server_closed_is_reopened_and_the_message_posted_once(
    fake: FakeSlack, alice: User
) -> None:
    client = _client(fake, retry_handlers=[])  # slack_sdk's retry would hide a failed send
    client.auth_test()
    fake.drop_connections()  # as a server closes an idle keep-alive connection

    posted = client.chat_postMessage(channel=alice.id, text="after the drop")

    assert posted["ok"] is True
    assert fake.connections_opened == 2
    assert [c.status for c in fake.state.calls("chat.postMessage")] == [200]
    assert len(fake.state.messages(posted["channel"])) == 1


def test_a_429_reaches_classify_with_its_retry_after_and_the_connection_stays(
    fake: FakeSlack, alice: User
) -> None:
    client = _client(fake)
    fake.state.inject("chat.postMessage", RateLimited(retry_after=7))

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=alice.id, text="too fast")
    client.chat_postMessage(channel=alice.id, text="later")

    assert raised.value.response.status_code == 429
    assert raised.value.response["error"] == "ratelimited"
    assert classify(raised.value) == ("ratelimited (Retry-After 7s)", timedelta(seconds=7))
    assert fake.connections_opened == 1


def test_server_errors_and_slack_errors_are_classified_as_before(
    fake: FakeSlack, alice: User
) -> None:
    client = _client(fake)
    fake.state.inject("chat.postMessage", ServerError(503), SlackError("channel_not_found"))

    with pytest.raises(SlackApiError) as unavailable:
        client.chat_postMessage(channel=alice.id, text="one")
    with pytest.raises(SlackApiError) as not_found:
        client.chat_postMessage(channel=alice.id, text="two")

    assert classify(unavailable.value) == ("HTTP 503", BACKOFF_BASE)
    assert classify(not_found.value) == ("channel_not_found", None)


def test_retry_handlers_still_retry_on_the_kept_connection(fake: FakeSlack, alice: User) -> None:
    retry = ServerErrorRetryHandler(
        max_retry_count=1, interval_calculator=FixedValueRetryIntervalCalculator(0.0)
    )
    client = _client(fake, retry_handlers=[retry])
    fake.state.inject("chat.postMessage", ServerError(500))

    posted = client.chat_postMessage(channel=alice.id, text="second time lucky")

    assert posted["ok"] is True
    assert [c.status for c in fake.state.calls("chat.postMessage")] == [500, 200]
    assert fake.connections_opened == 1


def test_no_server_is_a_url_error_as_with_urllib() -> None:
    with FakeSlack() as gone:
        url = gone.api_url
    client = KeepAliveWebClient(token="xoxb-test-gone", base_url=url, retry_handlers=[])

    with pytest.raises(URLError) as raised:
        client.auth_test()

    assert classify(raised.value)[1] == BACKOFF_BASE
