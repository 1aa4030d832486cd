"""Inbound requests are signed as Slack signs them and drive the real Bolt app end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from fakeslack import FakeSlack, Inbound, SignedRequest, SlackState, User, post
from tests.fakeslack.helpers import BoltOverHttp

SECRET = "fake-signing-secret"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(SlackState()) as server:
        yield server


@pytest.fixture
def inbound(fake: FakeSlack) -> Inbound:
    return Inbound(SECRET, state=fake.state)


@pytest.fixture
def alice(fake: FakeSlack) -> User:
    return fake.state.add_user(name="alice")


def verifies(request: SignedRequest) -> bool:
    return SignatureVerifier(SECRET).is_valid_request(request.body, request.headers)


def question_modal() -> dict[str, Any]:
    options = [
        {"text": {"type": "plain_text", "text": label}, "value": label.lower()}
        for label in ("Engineering", "Design")
    ]
    return {
        "type": "modal",
        "callback_id": "find",
        "title": {"type": "plain_text", "text": "Find a mentor"},
        "submit": {"type": "plain_text", "text": "Search"},
        "blocks": [
            {
                "type": "input",
                "block_id": "goal",
                "label": {"type": "plain_text", "text": "Goal"},
                "element": {"type": "plain_text_input", "action_id": "goal"},
            },
            {
                "type": "input",
                "block_id": "area",
                "label": {"type": "plain_text", "text": "Area"},
                "element": {"type": "static_select", "action_id": "area", "options": options},
            },
            {
                "type": "input",
                "block_id": "start",
                "label": {"type": "plain_text", "text": "Start"},
                "element": {"type": "datepicker", "action_id": "start"},
                "optional": True,
            },
        ],
    }


def test_signatures_verify_and_forged_or_stale_ones_do_not(inbound: Inbound, alice: User) -> None:
    for request in (
        inbound.command(alice.id, "/find-mentor", "python"),
        inbound.event({"type": "app_mention", "user": alice.id, "text": "hi"}),
        inbound.url_verification("challenge-1"),
    ):
        assert verifies(request)
        assert not verifies(inbound.forged(request))
        assert not verifies(inbound.stale(request))
        assert verifies(inbound.retry(request, num=2))


def test_a_retry_is_the_same_event_with_retry_headers(inbound: Inbound, alice: User) -> None:
    first = inbound.event({"type": "app_home_opened", "user": alice.id})
    retried = inbound.retry(first, num=1, reason="http_timeout")

    assert retried.body == first.body
    assert retried.headers["X-Slack-Retry-Num"] == "1"
    assert retried.headers["X-Slack-Retry-Reason"] == "http_timeout"
    envelope = first.payload()
    assert envelope["type"] == "event_callback"
    assert envelope["event_id"].startswith("Ev")
    assert envelope["authorizations"][0]["user_id"] == "U0BOT"


def test_a_command_carries_a_live_trigger_and_response_url(
    fake: FakeSlack, inbound: Inbound, alice: User
) -> None:
    fields = inbound.command(alice.id, "/find-mentor", "python").payload()

    assert fields["channel_id"] == fake.state.dm_channel(alice.id)
    assert fields["user_name"] == "alice"
    assert fields["text"] == "python"
    view = fake.client().views_open(trigger_id=fields["trigger_id"], view=question_modal())
    assert view["view"]["callback_id"] == "find"
    assert fields["response_url"].startswith(fake.base_url)


def test_view_submission_shapes_state_values_by_element_type(
    fake: FakeSlack, inbound: Inbound, alice: User
) -> None:
    trigger = fake.state.new_trigger_id(alice.id)
    fake.client().views_open(trigger_id=trigger, view=question_modal())
    (shown,) = fake.state.views_for(alice.id)

    payload = inbound.view_submission(
        alice.id, shown, {"goal": "Lead a team", "area": "design", "start": date(2026, 3, 2)}
    ).payload()

    values = payload["view"]["state"]["values"]
    assert values["goal"]["goal"] == {"type": "plain_text_input", "value": "Lead a team"}
    assert values["area"]["area"]["selected_option"]["value"] == "design"
    assert values["start"]["start"] == {"type": "datepicker", "selected_date": "2026-03-02"}
    with pytest.raises(ValueError, match="offers no option"):
        inbound.view_submission(alice.id, shown, {"area": "marketing"})


def test_view_closed_is_sent_only_for_a_modal_that_asked_for_it(
    fake: FakeSlack, inbound: Inbound, alice: User
) -> None:
    fake.client().views_open(trigger_id=fake.state.new_trigger_id(alice.id), view=question_modal())
    (quiet,) = fake.state.views_for(alice.id)
    with pytest.raises(ValueError, match="notify_on_close"):
        inbound.view_closed(alice.id, quiet)

    bob = fake.state.add_user(name="bob")
    asking = {**question_modal(), "notify_on_close": True}
    fake.client().views_open(trigger_id=fake.state.new_trigger_id(bob.id), view=asking)
    (told,) = fake.state.views_for(bob.id)
    payload = inbound.view_closed(bob.id, told).payload()
    assert (payload["type"], payload["view"]["id"]) == ("view_closed", told.id)


def test_block_actions_take_the_button_from_the_message(
    fake: FakeSlack, inbound: Inbound, alice: User
) -> None:
    button = {"type": "button", "action_id": "accept", "value": "req-7",
              "text": {"type": "plain_text", "text": "Accept"}}  # fmt: skip
    posted = fake.client().chat_postMessage(
        channel=alice.id, text="Request", blocks=[{"type": "actions", "elements": [button]}]
    )
    message = fake.state.message(posted["channel"], posted["ts"])
    assert message is not None

    payload = inbound.block_actions(alice.id, [{"action_id": "accept"}], message=message).payload()

    (action,) = payload["actions"]
    assert action["value"] == "req-7"
    assert action["type"] == "button"
    assert action["block_id"]
    assert payload["container"]["message_ts"] == posted["ts"]
    assert payload["message"]["ts"] == posted["ts"]
    assert payload["channel"]["id"] == posted["channel"]
    with pytest.raises(ValueError, match="no element"):
        inbound.block_actions(alice.id, [{"action_id": "decline"}], message=message)


def test_the_real_bolt_app_round_trip(fake: FakeSlack, inbound: Inbound, alice: User) -> None:
    app = App(client=fake.client(), signing_secret=SECRET, process_before_response=True)
    submitted: list[dict[str, Any]] = []

    @app.command("/find-mentor")
    def open_search(ack: Any, body: dict[str, Any], client: Any) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=question_modal())

    @app.view("find")
    def search(ack: Any, view: dict[str, Any]) -> None:
        submitted.append(view["state"]["values"])
        ack()

    bolt = BoltOverHttp(app)
    try:
        status, _, _ = post(bolt.url, inbound.command(alice.id, "/find-mentor"))
        assert status == 200
        (shown,) = fake.state.views_for(alice.id)
        status, _, body = post(bolt.url, inbound.view_submission(alice.id, shown, {"goal": "x"}))
        fake.state.apply_submission_ack(shown.id, body)
        forged, _, _ = post(bolt.url, inbound.forged(inbound.command(alice.id, "/find-mentor")))
    finally:
        bolt.close()

    assert status == 200
    assert submitted[0]["goal"]["goal"]["value"] == "x"
    assert fake.state.views_for(alice.id) == []  # an empty ack closes the modal
    assert forged == 401
    assert [c.method for c in fake.state.calls()] == ["auth.test", "views.open"]


def test_app_home_opened_carries_the_published_home(
    fake: FakeSlack, inbound: Inbound, alice: User
) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    published = fake.client().views_publish(user_id=alice.id, view=home)["view"]

    event = json.loads(inbound.app_home_opened(alice.id).body)["event"]

    assert event["type"] == "app_home_opened"
    assert event["tab"] == "home"
    assert event["view"]["id"] == published["id"]
    assert event["channel"] == fake.state.dm_channel(alice.id)


def test_response_urls_reply_replace_and_count_uses(fake: FakeSlack, alice: User) -> None:
    im = fake.state.dm_channel(alice.id)
    card = fake.state.post_message(im, text="Pending", user=fake.state.bot_user_id)
    url = fake.state.new_response_url(im, alice.id, message_ts=card.ts)
    hook = WebhookClient(url)

    assert hook.send(text="Only you see this").status_code == 200
    assert hook.send(text="Accepted", replace_original=True).body == "ok"

    assert [e.text for e in fake.state.ephemerals(user=alice.id)] == ["Only you see this"]
    assert fake.state.messages(im)[0].text == "Accepted"
    for _ in range(3):
        hook.send(text="more")
    assert hook.send(text="sixth").status_code == 404
