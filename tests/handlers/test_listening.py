"""The guard every listener runs in: what a failure's answer uses of the request."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.listening import guarded
from handlers.replies import NOTICE


class Transcript:
    """A stand-in Web API client that writes down every call and answers like Slack."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        def call(**kwargs: Any) -> dict[str, Any]:
            self.calls.append((method, kwargs))
            return {"ok": True, "view": {"id": "V1", "hash": "h1"}}

        return call


def failing(ack: Ack, body: dict[str, Any], client: Any) -> None:
    """A listener that opens a modal with the click's trigger when it can, then breaks."""
    if body.get("trigger_id") and body.get("type") == "block_actions":
        client.views_open(trigger_id=body["trigger_id"], view={"type": "modal"})
    raise RuntimeError("a bug")


def run(body: dict[str, Any]) -> tuple[Ack, Transcript]:
    ack, client = Ack(), Transcript()
    guarded(failing)(ack=ack, body=body, context=BoltContext(), client=client)
    return ack, client


def test_a_submission_failing_before_its_ack_shows_the_apology_in_place_of_the_form() -> None:
    body = {
        "type": "view_submission",
        "user": {"id": "UERIN"},
        "trigger_id": "1.2.abc",
        "view": {"id": "V9", "type": "modal", "hash": "h9"},
    }

    ack, client = run(body)

    assert ack.response is not None
    answer = json.loads(ack.response.body)
    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == NOTICE
    assert "error id:" in json.dumps(answer["view"])
    assert client.calls == []  # nothing else: the person reads it where the form was


def test_a_trigger_the_listener_spent_is_not_used_again_for_the_apology() -> None:
    body = {
        "type": "block_actions",
        "user": {"id": "UERIN"},
        "trigger_id": "1.2.abc",
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home"},
    }

    ack, client = run(body)

    assert ack.response is not None and ack.response.status == 200
    assert [method for method, _ in client.calls] == ["views_open", "chat_postMessage"]
    _method, sent = client.calls[-1]
    assert sent["channel"] == "UERIN" and "error id:" in sent["text"]
