"""Rate limits are on by default, per method tier, per workspace, and answer 429 Retry-After."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from fakeslack import FakeSlack, RateLimit, RateLimited, SlackState, User
from fakeslack.methods import METHODS
from fakeslack.policy import POLICIES, POST_MESSAGE_BURST, TIER_2, TIER_3, TIER_4
from tests.fakeslack.conftest import ManualClock
from tests.fakeslack.helpers import error_of


def test_every_implemented_method_has_slacks_scopes_and_tier() -> None:
    assert set(POLICIES) == set(METHODS)
    assert POLICIES["users.list"].limit == TIER_2
    assert POLICIES["chat.update"].limit == TIER_3
    assert POLICIES["users.info"].limit == TIER_4
    assert POLICIES["views.open"].limit == TIER_4


def test_a_short_burst_to_one_channel_passes_then_one_message_a_second(
    fake: FakeSlack, client: WebClient, clock: ManualClock, alice: User
) -> None:
    im = fake.state.dm_channel(alice.id)
    for n in range(POST_MESSAGE_BURST):  # Slack: "1 per second, short bursts >1 allowed"
        client.chat_postMessage(channel=im, text=f"burst {n}")

    over = error_of(lambda: client.chat_postMessage(channel=im, text="one too many"))
    clock.advance(1.0)
    client.chat_postMessage(channel=im, text="a second later")
    again = error_of(lambda: client.chat_postMessage(channel=im, text="too soon"))

    assert over.response.status_code == 429
    assert over.response["error"] == "ratelimited"
    assert over.response.headers["Retry-After"] == "1"
    assert again.response.status_code == 429
    assert len(fake.state.messages(im)) == POST_MESSAGE_BURST + 1


def test_each_channel_has_its_own_posting_budget(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    bob = fake.state.add_user(name="bob")
    for user in (alice, bob):
        for n in range(POST_MESSAGE_BURST):
            client.chat_postMessage(channel=fake.state.dm_channel(user.id), text=str(n))

    assert len(fake.state.messages(fake.state.dm_channel(bob.id))) == POST_MESSAGE_BURST


def test_a_tier_3_method_takes_its_50_a_minute_in_one_burst_then_429s(
    fake: FakeSlack, client: WebClient, clock: ManualClock, alice: User
) -> None:
    fake.state.set_rate_limit("chat.postMessage", None)  # only chat.update is measured here
    posted = client.chat_postMessage(channel=alice.id, text="card")
    for n in range(TIER_3.calls):
        client.chat_update(channel=posted["channel"], ts=posted["ts"], text=f"edit {n}")

    over = error_of(
        lambda: client.chat_update(channel=posted["channel"], ts=posted["ts"], text="x")
    )
    clock.advance(59.0)
    still = error_of(
        lambda: client.chat_update(channel=posted["channel"], ts=posted["ts"], text="y")
    )
    clock.advance(1.0)

    assert over.response.status_code == 429
    assert over.response.headers["Retry-After"] == "60"
    assert still.response.headers["Retry-After"] == "1"
    assert client.chat_update(channel=posted["channel"], ts=posted["ts"], text="z")["ok"]


def test_limits_count_per_workspace(fake: FakeSlack, alice: User) -> None:
    code = fake.state.new_oauth_code(team_id="T0OTHER")
    granted = WebClient(base_url=fake.api_url).oauth_v2_access(
        client_id=fake.state.client_id, client_secret=fake.state.client_secret, code=code
    )
    other = WebClient(token=granted["access_token"], base_url=fake.api_url)
    fake.state.set_rate_limit("users.list", RateLimit(1, 60.0))

    fake.client().users_list()
    other.users_list()  # another workspace: its own budget
    over = error_of(lambda: fake.client().users_list())

    assert over.response.status_code == 429


def test_a_test_can_tighten_relax_or_switch_off_rate_limits(
    clock: ManualClock, alice: User
) -> None:
    with FakeSlack(SlackState(clock=clock, rate_limits=False)) as lenient:
        bob = lenient.state.add_user(name="bob")
        for n in range(POST_MESSAGE_BURST * 3):
            lenient.client().chat_postMessage(channel=bob.id, text=str(n))
        lenient.state.set_rate_limit("users.info", RateLimit(1, 60.0))
        lenient.client().users_info(user=bob.id)
        tightened = error_of(lambda: lenient.client().users_info(user=bob.id))

    assert len(lenient.state.messages(lenient.state.dm_channel(bob.id))) == 9
    assert tightened.response.status_code == 429


def test_429_carries_retry_after(fake: FakeSlack, client: WebClient, alice: User) -> None:
    fake.state.inject("chat.postMessage", RateLimited(retry_after=7))

    err = error_of(lambda: client.chat_postMessage(channel=alice.id, text="x"))

    assert err.response.status_code == 429
    assert err.response["error"] == "ratelimited"
    assert err.response.headers["Retry-After"] == "7"
    assert fake.state.messages(fake.state.dm_channel(alice.id)) == []
    assert client.chat_postMessage(channel=alice.id, text="x")["ok"]  # one fault, one call


def test_the_sdk_retry_handler_honours_retry_after(
    fake: FakeSlack, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=slept.append))
    fake.state.inject("chat.postMessage", RateLimited(retry_after=2))
    client = fake.client(retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])

    response = client.chat_postMessage(channel=alice.id, text="eventually")

    assert response["ok"]
    assert len(slept) == 1
    assert 2 <= slept[0] < 3
    assert [c.status for c in fake.state.calls("chat.postMessage")] == [429, 200]


def test_a_rate_limit_per_channel_uses_the_injected_clock(
    fake: FakeSlack, client: WebClient, clock: ManualClock, alice: User
) -> None:
    bob = fake.state.add_user(name="bob")
    fake.state.set_rate_limit("chat.postMessage", RateLimit(calls=1, scope="channel"))
    alice_im, bob_im = fake.state.dm_channel(alice.id), fake.state.dm_channel(bob.id)

    client.chat_postMessage(channel=alice_im, text="1")
    client.chat_postMessage(channel=bob_im, text="1")  # another channel, its own budget
    err = error_of(lambda: client.chat_postMessage(channel=alice_im, text="2"))
    clock.advance(1.0)

    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "1"
    assert client.chat_postMessage(channel=alice_im, text="2")["ok"]
