"""Small builders shared by the fake's tests: Block Kit pieces, errors, a Bolt app over HTTP."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk.errors import SlackApiError


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Find a mentor", **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": plain(title), "blocks": [section("Pick someone")], **extra}


def text_input(block_id: str, **element: Any) -> dict[str, Any]:
    """An input block around a plain_text_input (``element`` adds to the element)."""
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(block_id.title()),
        "element": {"type": "plain_text_input", "action_id": block_id, **element},
    }


def form(*blocks: dict[str, Any], title: str = "Your profile") -> dict[str, Any]:
    """A modal with inputs (so with a submit button)."""
    return {"type": "modal", "title": plain(title), "submit": plain("Save"), "blocks": [*blocks]}


def option(value: str, label: str | None = None) -> dict[str, Any]:
    return {"text": plain(label or value.title()), "value": value}


def error_of(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


class BoltOverHttp:
    """The real Bolt app behind a loopback HTTP endpoint, as a deployment would run it."""

    def __init__(self, app: App) -> None:
        bolt = app

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                answer = bolt.dispatch(BoltRequest(body=body, headers=dict(self.headers)))
                data = (answer.body or "").encode()
                self.send_response(answer.status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
