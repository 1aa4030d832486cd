"""Views and messages are parsed with slack_sdk's models and Slack's Block Kit rules."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from fakeslack import FakeSlack, User
from tests.fakeslack.helpers import error_of, form, modal, option, plain, section, text_input


def select(kind: str = "static_select", **extra: Any) -> dict[str, Any]:
    return {"type": kind, "action_id": "pick", "options": [option("a"), option("b")], **extra}


def confirm(**changed: Any) -> dict[str, Any]:
    """A confirm dialog; a key given as None is left out."""
    dialog = {"title": plain("Sure?"), "text": plain("Really?"), "confirm": plain("Yes"),
              "deny": plain("No"), **changed}  # fmt: skip
    return {key: value for key, value in dialog.items() if value is not None}


def actions(*elements: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": list(elements)}]


def button(**extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": "go", "text": plain("Go"), **extra}


def number(**element: Any) -> dict[str, Any]:
    """An input block around a number_input (``element`` adds to it or replaces)."""
    fields = {"type": "number_input", "action_id": "n", "is_decimal_allowed": False, **element}
    return {
        "type": "input",
        "block_id": "n",
        "label": plain("N"),
        "element": {key: value for key, value in fields.items() if value is not None},
    }


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
    ("block", "pointer"),
    [
        (text_input("bio", max_length=10, initial_value="x" * 11), "/element/initial_value"),
        (text_input("bio", initial_value="x" * 3001), "/element/initial_value"),
        (text_input("bio", max_length=3001), "/element/max_length"),
        (text_input("bio", max_length=0), "/element/max_length"),
        (text_input("bio", min_length=-1), "/element/min_length"),
        (number(is_decimal_allowed=None), "/element"),
        (number(min_value="5", max_value="4"), "/element/min_value"),
        (number(is_decimal_allowed=True, min_value="0.5", max_value="0.25"), "/element/min_value"),
        ({"type": "input", "label": plain("Go"), "element": button()}, "/element/type"),
    ],
)
def test_inputs_slacks_reference_refuses_are_invalid_arguments(
    fake: FakeSlack, client: WebClient, alice: User, block: dict[str, Any], pointer: str
) -> None:
    trigger = fake.state.new_trigger_id(alice.id)

    err = error_of(lambda: client.views_open(trigger_id=trigger, view=form(block)))

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
        (
            actions(select("multi_static_select", max_selected_items=0)),
            "/blocks/0/elements/0/max_selected_items",
        ),
        (actions(button(confirm=confirm(deny=None))), "/blocks/0/elements/0/confirm"),
        (
            actions(button(confirm=confirm(text={"type": "mrkdwn", "text": "*Sure?*"}))),
            "/blocks/0/elements/0/confirm/text/type",
        ),
        (
            [{"type": "section", "fields": [plain("ok"), plain("x" * 2001)]}],
            "/blocks/0/fields/1/text",
        ),
        (
            actions(select(options=[{**option("a"), "description": plain("d" * 76)}])),
            "/blocks/0/elements/0/options/0/description/text",
        ),
        (
            actions(
                select(options=[{**option("a"), "description": {"type": "mrkdwn", "text": "*d*"}}])
            ),
            "/blocks/0/elements/0/options/0/description/type",
        ),
        (
            actions(select(options=[{**option("a"), "url": "https://example.com/a"}])),
            "/blocks/0/elements/0/options/0/url",
        ),
        ([{"type": "context", "elements": [button()]}], "/blocks/0/elements/0/type"),
        (actions(text_input("bio")["element"]), "/blocks/0/elements/0/type"),
        (
            [{**section("a"), "accessory": text_input("bio")["element"]}],
            "/blocks/0/accessory/type",
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


def test_what_slacks_reference_allows_at_the_edges_is_fine(client: WebClient, alice: User) -> None:
    picture = {"type": "image", "image_url": "https://example.com/a.png", "alt_text": "A"}
    blocks = [
        {"type": "section", "fields": [plain("x" * 2000)], "accessory": picture},
        {"type": "context", "elements": [picture, {"type": "mrkdwn", "text": "*A*"}]},
        *actions(
            select("multi_static_select", max_selected_items=1),
            button(confirm=confirm()),
            {"type": "datepicker", "action_id": "day"},
            select(
                "overflow",
                action_id="more",
                options=[
                    {**option("a"), "url": "https://example.com/a"},
                    {**option("b"), "description": plain("d" * 75)},
                ],
            ),
            select(
                "checkboxes",
                action_id="tick",
                options=[{**option("c"), "description": {"type": "mrkdwn", "text": "*d*"}}],
            ),
        ),
    ]

    assert client.chat_postMessage(channel=alice.id, text="x", blocks=blocks)["ok"]


def test_a_number_input_whose_bounds_meet_is_fine(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    view = form(number(min_value="3", max_value="3"), text_input("bio", min_length=0))

    assert client.views_open(trigger_id=fake.state.new_trigger_id(alice.id), view=view)["ok"]


def sized_home(total_bytes: int) -> dict[str, Any]:
    """A Home view whose JSON, as the SDK sends it, is exactly ``total_bytes`` long."""
    view = {"type": "home", "blocks": [section("x" * 2450) for _ in range(99)] + [section("")]}
    short = total_bytes - len(json.dumps(view).encode())
    assert 0 < short <= 3000
    view["blocks"][-1] = section("y" * short)
    return view


@pytest.mark.parametrize("method", ["views_publish", "views_open"])
def test_a_view_over_250kb_is_view_too_large(
    fake: FakeSlack, client: WebClient, alice: User, method: str
) -> None:
    view = sized_home(250_001)
    if method == "views_publish":
        call = lambda: client.views_publish(user_id=alice.id, view=view)  # noqa: E731
    else:
        modal_view = {**view, "type": "modal", "title": plain("Big")}
        trigger = fake.state.new_trigger_id(alice.id)
        call = lambda: client.views_open(trigger_id=trigger, view=modal_view)  # noqa: E731

    err = error_of(call)

    assert err.response["error"] == "view_too_large"


def test_a_view_of_250000_bytes_is_published(client: WebClient, alice: User) -> None:
    assert client.views_publish(user_id=alice.id, view=sized_home(250_000))["ok"]
