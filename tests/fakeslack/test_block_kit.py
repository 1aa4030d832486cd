"""Views and messages are parsed with slack_sdk's models and Slack's Block Kit rules."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from fakeslack import FakeSlack, User
from tests.fakeslack.helpers import error_of, form, modal, option, plain, section, text_input


def select(kind: str = "static_select", **extra: Any) -> dict[str, Any]:
    return {"type": kind, "action_id": "pick", "options": [option("a"), option("b")], **extra}


def actions(*elements: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": list(elements)}]


def button(**extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": "go", "text": plain("Go"), **extra}


def test_51_blocks_is_invalid_blocks_with_slacks_metadata(client: WebClient, alice: User) -> None:
    err = error_of(
        lambda: client.chat_postMessage(channel=alice.id, text="x", blocks=[section("b")] * 51)
    )

    assert err.response["error"] == "invalid_blocks"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x" * 3001)], "/blocks/0"),
        (
            [{"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "y" * 76}}]}],
            "/blocks/0",
        ),
        ([{"type": "sectoin", "text": {"type": "mrkdwn", "text": "typo"}}], "/blocks/0/type"),
        ([{"type": "section", "text": "a bare string"}], "/blocks/0/text"),
        ([{**section("a"), "block_id": "b"}, {**section("b"), "block_id": "b"}], "/blocks/1"),
    ],
)  # fmt: skip
def test_block_kit_limits_come_from_the_sdk(
    client: WebClient, alice: User, blocks: list[dict[str, Any]], pointer: str
) -> None:
    err = error_of(lambda: client.chat_postMessage(channel=alice.id, text="x", blocks=blocks))

    assert err.response["error"] == "invalid_blocks"
    assert f"[json-pointer:{pointer}" in err.response["response_metadata"]["messages"][0]


def test_a_bad_view_is_invalid_arguments(fake: FakeSlack, client: WebClient, alice: User) -> None:
    too_long = modal("A title far longer than 24")
    inputs = {**modal(), "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "Q"},
              "element": {"type": "plain_text_input", "action_id": "q"}}]}  # fmt: skip
    for view in (too_long, inputs, modal(private_metadata="m" * 3001)):
        trigger = fake.state.new_trigger_id(alice.id)
        err = error_of(lambda v=view, t=trigger: client.views_open(trigger_id=t, view=v))
        assert err.response["error"] == "invalid_arguments"
        assert err.response["response_metadata"]["messages"][0].startswith("[ERROR] ")


def test_100_blocks_make_a_view_and_101_do_not(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    full = {**modal(), "blocks": [section(str(n)) for n in range(100)]}
    client.views_open(trigger_id=fake.state.new_trigger_id(alice.id), view=full)
    over = {**full, "blocks": [*full["blocks"], section("one more")]}

    err = error_of(
        lambda: client.views_open(trigger_id=fake.state.new_trigger_id(alice.id), view=over)
    )

    assert err.response["error"] == "invalid_arguments"
    assert "no more than 100 items" in err.response["response_metadata"]["messages"][0]


@pytest.mark.parametrize(
    ("element", "pointer"),
    [
        (text_input("bio", max_length=10, initial_value="x" * 11), "/element/initial_value"),
        (text_input("bio", initial_value="x" * 3001), "/element/initial_value"),
        (text_input("bio", max_length=3001), "/element/max_length"),
    ],
)
def test_an_initial_value_longer_than_its_input_allows_is_invalid_arguments(
    fake: FakeSlack, client: WebClient, alice: User, element: dict[str, Any], pointer: str
) -> None:
    trigger = fake.state.new_trigger_id(alice.id)

    err = error_of(lambda: client.views_open(trigger_id=trigger, view=form(element)))

    assert err.response["error"] == "invalid_arguments"
    (message,) = err.response["response_metadata"]["messages"]
    assert f"[json-pointer:/view/blocks/0{pointer}]" in message


def test_an_initial_value_as_long_as_max_length_is_fine(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    view = form(text_input("bio", max_length=10, initial_value="x" * 10))

    assert client.views_open(trigger_id=fake.state.new_trigger_id(alice.id), view=view)["ok"]


@pytest.mark.parametrize(
    ("element", "pointer"),
    [
        (select(initial_option=option("c")), "/initial_option"),
        (select(initial_option=option("a", "Not A's label")), "/initial_option"),
        (
            select("multi_static_select", initial_options=[option("b"), option("z")]),
            "/initial_options/1",
        ),
        (select("radio_buttons", initial_option=option("z")), "/initial_option"),
        (select("checkboxes", initial_options=[option("z")]), "/initial_options/0"),
    ],
)
def test_an_initial_option_not_among_the_options_is_refused(
    fake: FakeSlack, client: WebClient, alice: User, element: dict[str, Any], pointer: str
) -> None:
    in_form = form(
        {"type": "input", "block_id": "pick", "label": plain("Pick"), "element": element}
    )
    trigger = fake.state.new_trigger_id(alice.id)

    in_view = error_of(lambda: client.views_open(trigger_id=trigger, view=in_form))
    in_message = error_of(
        lambda: client.chat_postMessage(channel=alice.id, text="x", blocks=actions(element))
    )

    assert in_view.response["error"] == "invalid_arguments"
    assert f"/blocks/0/element{pointer}]" in in_view.response["response_metadata"]["messages"][0]
    assert in_message.response["error"] == "invalid_blocks"
    assert f"/blocks/0/elements/0{pointer}]" in in_message.response["errors"][0]


def test_initial_options_among_the_options_are_fine(client: WebClient, alice: User) -> None:
    chosen = select("multi_static_select", initial_options=[option("b")])

    assert client.chat_postMessage(channel=alice.id, text="x", blocks=actions(chosen))["ok"]


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        (actions(select(options=[option("a", "x" * 76)])), "/blocks/0/elements/0/options/0"),
        (actions(select(options=[option("v" * 151)])), "/blocks/0/elements/0/options/0"),
        (actions({**button(), "type": "buton"}), "/blocks/0/elements/0/type"),
        (actions(button(colour="red")), "/blocks/0/elements/0"),
        (
            actions(button(text={"type": "mrkdwn", "text": "*Go*"})),
            "/blocks/0/elements/0/text/type",
        ),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "Hi"}}], "/blocks/0/text/type"),
        ([{"type": "section", "text": plain("")}], "/blocks/0/text/text"),
        (
            actions(select("checkboxes", options=[option(str(n)) for n in range(11)])),
            "/blocks/0/elements/0/options",
        ),
    ],
)
def test_what_the_sdk_models_and_slacks_reference_refuse_in_messages(
    client: WebClient, alice: User, blocks: list[dict[str, Any]], pointer: str
) -> None:
    err = error_of(lambda: client.chat_postMessage(channel=alice.id, text="x", blocks=blocks))

    assert err.response["error"] == "invalid_blocks"
    assert f"[json-pointer:{pointer}]" in err.response["errors"][0]


@pytest.mark.parametrize(
    ("view", "pointer"),
    [
        ({**modal(), "title": {"type": "mrkdwn", "text": "Find"}}, "/view/title/type"),
        ({**modal(), "colour": "red"}, "/view"),
        (modal(external_id="e" * 256), "/view/external_id"),
        (form(text_input("bio"), title=""), "/view/title/text"),
    ],
)
def test_what_slack_refuses_in_a_view(
    fake: FakeSlack, client: WebClient, alice: User, view: dict[str, Any], pointer: str
) -> None:
    trigger = fake.state.new_trigger_id(alice.id)

    err = error_of(lambda: client.views_open(trigger_id=trigger, view=view))

    assert err.response["error"] == "invalid_arguments"
    assert f"[json-pointer:{pointer}]" in err.response["response_metadata"]["messages"][0]


def test_response_url_payloads_and_chat_update_are_checked_too(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    posted = client.chat_postMessage(channel=alice.id, text="card", blocks=[section("Pending")])
    bad = actions(select(initial_option=option("c")))
    url = fake.state.new_response_url(posted["channel"], alice.id, message_ts=posted["ts"])

    update = error_of(
        lambda: client.chat_update(channel=posted["channel"], ts=posted["ts"], text="x", blocks=bad)
    )
    hooked = WebhookClient(url).send(text="x", blocks=bad, replace_original=True)

    assert update.response["error"] == "invalid_blocks"
    assert (hooked.status_code, hooked.body) == (400, "invalid_blocks")
    card = fake.state.message(posted["channel"], posted["ts"])
    assert card is not None and card.text == "card"


def test_a_view_without_blocks_is_refused_as_the_sdk_refuses_it(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    empty = {**modal(), "blocks": []}

    err = error_of(
        lambda: client.views_open(trigger_id=fake.state.new_trigger_id(alice.id), view=empty)
    )

    assert err.response["error"] == "invalid_arguments"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] views must contain between 1 and 100 blocks [json-pointer:/view/blocks]"
    ]


def test_a_bad_block_sent_again_is_refused_again_at_its_new_place(
    client: WebClient, alice: User
) -> None:
    bad = section("x" * 3001)  # checked once, remembered: the verdict must not go stale
    first = error_of(lambda: client.chat_postMessage(channel=alice.id, text="x", blocks=[bad]))
    second = error_of(
        lambda: client.chat_postMessage(channel=alice.id, text="x", blocks=[section("ok"), bad])
    )

    assert "[json-pointer:/blocks/0" in first.response["response_metadata"]["messages"][0]
    assert "[json-pointer:/blocks/1" in second.response["response_metadata"]["messages"][0]


def test_a_block_that_passed_is_refused_once_it_changes(client: WebClient, alice: User) -> None:
    block = section("short")
    client.chat_postMessage(channel=alice.id, text="x", blocks=[block])
    block["text"]["text"] = "x" * 3001

    err = error_of(lambda: client.chat_postMessage(channel=alice.id, text="x", blocks=[block]))

    assert err.response["error"] == "invalid_blocks"
