"""trigger_ids know where they came from: views.open and views.push accept only Slack's ways."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from fakeslack import FakeSlack, Inbound, SlackState, User
from fakeslack.triggers import OPENED_OVER_MODAL
from tests.fakeslack.conftest import ManualClock
from tests.fakeslack.helpers import error_of, form, modal, text_input


def open_root(fake: FakeSlack, client: WebClient, user: User) -> dict[str, Any]:
    view: dict[str, Any] = client.views_open(
        trigger_id=fake.state.new_trigger_id(user.id), view=modal()
    )["view"]
    return view


def test_views_open_with_a_click_inside_an_open_modal_is_refused(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    root = open_root(fake, client, alice)
    inside = fake.state.new_trigger_id(alice.id, source="modal", view_id=root["id"])

    err = error_of(lambda: client.views_open(trigger_id=inside, view=modal("Notice")))

    assert err.response["error"] == OPENED_OVER_MODAL
    assert "views.push" in err.response["response_metadata"]["messages"][0]
    assert [v.id for v in fake.state.views_for(alice.id)] == [root["id"]]  # nothing replaced
    spent = error_of(lambda: client.views_push(trigger_id=inside, view=modal("Again")))
    assert spent.response["error"] == "exchanged_trigger_id"  # Slack took the trigger


def test_views_open_with_a_submissions_trigger_is_refused_while_that_modal_is_open(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    root = open_root(fake, client, alice)
    submitted = fake.state.new_trigger_id(alice.id, source="submission", view_id=root["id"])

    err = error_of(lambda: client.views_open(trigger_id=submitted, view=modal("Thanks")))

    assert err.response["error"] == OPENED_OVER_MODAL


def test_views_open_with_a_click_in_a_modal_that_has_closed_is_fine(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    root = open_root(fake, client, alice)
    inside = fake.state.new_trigger_id(alice.id, source="modal", view_id=root["id"])
    fake.state.close_modals(alice.id)

    opened = client.views_open(trigger_id=inside, view=modal("Fresh"))

    assert [v.id for v in fake.state.views_for(alice.id)] == [opened["view"]["id"]]


def test_views_push_needs_a_trigger_from_inside_the_open_stack(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    root = open_root(fake, client, alice)
    elsewhere = {
        "command": fake.state.new_trigger_id(alice.id),
        "message": fake.state.new_trigger_id(alice.id, source="message"),
        "home": fake.state.new_trigger_id(alice.id, source="home"),
        "closed modal": fake.state.new_trigger_id(alice.id, source="modal", view_id="V0GONE"),
    }

    errors = {
        where: error_of(lambda t=trigger: client.views_push(trigger_id=t, view=modal())).response
        for where, trigger in elsewhere.items()
    }
    inside = fake.state.new_trigger_id(alice.id, source="modal", view_id=root["id"])
    pushed = client.views_push(trigger_id=inside, view=modal("Details"))["view"]

    assert {where: e["error"] for where, e in errors.items()} == dict.fromkeys(
        elsewhere, "not_found"
    )
    assert pushed["previous_view_id"] == root["id"]
    assert [v.id for v in fake.state.views_for(alice.id)] == [root["id"], pushed["id"]]


def test_named_relaxations_allow_what_slack_does_not_support(clock: ManualClock) -> None:
    state = SlackState(clock=clock, allow_open_over_modal=True, allow_push_from_elsewhere=True)
    with FakeSlack(state) as lenient:
        bob = state.add_user(name="bob")
        client = lenient.client()
        root = client.views_open(trigger_id=state.new_trigger_id(bob.id), view=modal())["view"]
        client.views_push(trigger_id=state.new_trigger_id(bob.id), view=modal("Pushed"))
        inside = state.new_trigger_id(bob.id, source="modal", view_id=root["id"])
        replaced = client.views_open(trigger_id=inside, view=modal("New root"))["view"]

    assert [v.id for v in state.views_for(bob.id)] == [replaced["id"]]


def test_inbound_issues_each_trigger_with_where_the_user_was(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    inbound = Inbound("secret", state=fake.state)
    button = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
    actions = [{"type": "actions", "elements": [button]}]
    card = client.chat_postMessage(channel=alice.id, text="card", blocks=actions)
    client.views_publish(user_id=alice.id, view={"type": "home", "blocks": actions})
    shown = client.views_open(
        trigger_id=fake.state.new_trigger_id(alice.id),
        view={**form(text_input("goal")), "blocks": [*actions, text_input("goal")]},
    )["view"]
    message = fake.state.message(card["channel"], card["ts"])
    home = fake.state.home(alice.id)
    (record,) = fake.state.views_for(alice.id)

    def origin(payload: dict[str, Any]) -> tuple[str, str | None]:
        trigger = fake.state.trigger(payload["trigger_id"])
        assert trigger is not None
        return trigger.source, trigger.view_id

    click = [{"action_id": "go"}]
    assert origin(inbound.command(alice.id, "/find-mentor").payload()) == ("command", None)
    assert origin(inbound.block_actions(alice.id, click, message=message).payload()) == (
        "message",
        None,
    )
    assert origin(inbound.block_actions(alice.id, click, view=home).payload()) == ("home", None)
    assert origin(inbound.block_actions(alice.id, click, view=record).payload()) == (
        "modal",
        shown["id"],
    )
    assert origin(inbound.view_submission(alice.id, record, {"goal": "x"}).payload()) == (
        "submission",
        shown["id"],
    )
