"""The real app, served over HTTP, talking to the fake Slack: what scenario tests drive."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox import Sandbox
from fakeslack import FakeSlack
from handlers.listening import Observer
from store.db import Database
from tests.conftest import NOW, TEAM


class Harness(Sandbox):
    """The sandbox plus what tests need: clicking, submitting, reading what Slack shows."""

    def __init__(
        self,
        db: Database,
        fake: FakeSlack,
        admins: frozenset[str] = frozenset(),
        observe: Observer | None = None,
    ) -> None:
        super().__init__(db, fake, team_id=TEAM, admins=admins, start=NOW, observe=observe)
        self.expected_failures: list[tuple[str, str | None]] = []

    # --- sending what Slack sends -------------------------------------------------------
    def command(self, user: str, command: str, text: str = "") -> tuple[int, str]:
        return self.send(self.inbound.command(user, command, text))

    def open_home(self, user: str) -> dict[str, Any]:
        self.send(self.inbound.app_home_opened(user))
        return self.home(user)

    def click(
        self,
        user: str,
        action_id: str,
        *,
        value: str | None = None,
        view: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
        channel: str | None = None,
    ) -> tuple[int, str]:
        """Press the button with ``action_id`` (and ``value``) in a view or message."""
        source = view if view is not None else message
        assert source is not None, "click needs the view or message the button is in"
        action = find_action(source, action_id, value)
        return self.send(
            self.inbound.block_actions(user, [action], view=view, message=message, channel=channel)
        )

    def submit(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """Press Submit with ``values``; return the app's answer (``{}`` closes the modal).

        The answer is applied as Slack applies it: a late one is lost (LateAck), one Slack
        refuses (say ``errors`` for a block that is not an input) fails (AnswerRefused).
        """
        got = self.deliver(self.inbound.view_submission(user, view, values))
        assert got.status == 200, got.body
        self.state.apply_submission_ack(view["id"], got.body, elapsed=got.elapsed)
        return json.loads(got.body) if got.body else {}

    # --- reading what Slack shows -------------------------------------------------------
    def modal(self, user: str) -> dict[str, Any]:
        """The modal on top of the user's stack."""
        stack = self.state.views_for(user)
        assert stack, f"{user} has no open modal"
        return view_json(stack[-1])

    def home(self, user: str) -> dict[str, Any]:
        record = self.state.home(user)
        assert record is not None, f"no Home published for {user}"
        return view_json(record)

    def dm(self, user: str) -> list[dict[str, Any]]:
        """The messages in the app's DM with ``user``, oldest first."""
        return [m.to_api() for m in self.state.messages(self.state.dm_channel(user))]

    def told(self, user: str) -> list[str]:
        """What the app said privately to ``user`` (ephemeral replies), oldest first."""
        return [e.text for e in self.state.ephemerals(user=user)]

    def calls(self, method: str) -> list[Any]:
        return self.state.calls(method)


def view_json(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = record.to_api()
    return data


def find_action(source: dict[str, Any], action_id: str, value: str | None) -> dict[str, Any]:
    """The interactive element with this action_id (and value) in blocks, as Slack sends it."""
    for block in source.get("blocks", []):
        elements = list(block.get("elements", []))
        if block.get("accessory"):
            elements.append(block["accessory"])
        for element in elements:
            if element.get("action_id") == action_id and (
                value is None or element.get("value") == value
            ):
                return {**element, "block_id": block.get("block_id")}
    raise AssertionError(f"no {action_id} button (value {value}) in {json.dumps(source)[:400]}")


def texts(source: dict[str, Any] | list[Any]) -> str:
    """Every text a person would read in a view or message, joined."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(source)
    return "\n".join(found)
