"""The real app, served over HTTP, talking to the fake Slack: what scenario tests drive."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from pydantic import SecretStr
from slack_sdk import WebClient

from bot.app import build_app, build_services
from bot.config import AppConfig
from bot.web import make_server, wsgi_app
from fakeslack import FakeSlack, Inbound, SignedRequest, post
from store.db import Database
from tests.conftest import NOW, TEAM

BOT_TOKEN = "xoxb-test-scenario"
SIGNING_SECRET = "test-signing-secret"
APP_ID = "A0TESTAPP"


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, but tests can wait until every listener has finished."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="listener")
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def wait_idle(self, timeout: float = 20.0) -> None:
        while True:
            with self._lock:
                pending = [f for f in self._futures if not f.done()]
                self._futures = pending
            if not pending:
                return
            for future in pending:
                future.result(timeout=timeout)


class Clock:
    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Harness:
    """One workspace: fake Slack with people in it, the app on a loopback port, a clock."""

    def __init__(self, db: Database, fake: FakeSlack, admins: frozenset[str] = frozenset()) -> None:
        self.db = db
        self.fake = fake
        self.state = fake.state
        self.clock = Clock()
        self.config = AppConfig(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token=SecretStr(BOT_TOKEN),
            slack_signing_secret=SecretStr(SIGNING_SECRET),
            slack_api_url=fake.api_url,
            admin_user_ids=admins,
        )
        self.client = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
        self.services = build_services(self.config, db, self.client)
        self.services.clock = self.clock
        self.executor = TrackingExecutor()
        self.app = build_app(
            self.config, self.services, client=self.client, listener_executor=self.executor
        )
        self.server = make_server(wsgi_app(self.app, db), "127.0.0.1", 0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self._thread.start()
        self.inbound = Inbound(SIGNING_SECRET, TEAM, APP_ID, state=fake.state)

    def close(self) -> None:
        self.server.close()
        self.executor.shutdown(wait=True)

    # --- sending what Slack sends -------------------------------------------------------
    def send(self, request: SignedRequest) -> tuple[int, str]:
        """Post a signed request like Slack does; return once every listener has finished."""
        status, _headers, body = post(self.url + "/slack/events", request)
        self.executor.wait_idle()
        return status, body.decode() if isinstance(body, bytes) else str(body)

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
        """Press Submit with ``values``; return the app's answer (``{}`` closes the modal)."""
        status, body = self.send(self.inbound.view_submission(user, view, values))
        assert status == 200, body
        self.state.apply_submission_ack(view["id"], body)
        return json.loads(body) if body else {}

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
