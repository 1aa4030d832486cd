"""HTTP mode: one WSGI app for Slack's requests and the health check, served by waitress."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from store.db import Database

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def wsgi_app(app: App, db: Database) -> Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]:
    """Commands, interactivity, options and events at ``POST /slack/events``; ``GET /healthz``.

    When the app has an OAuth flow (several workspaces), Bolt's handler also serves ``GET`` on
    its install path (``/slack/install``) and redirect path (``/slack/oauth_redirect``).
    """
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            return _health(db, start_response)
        return slack(environ, start_response)

    return application


def _health(db: Database, start_response: StartResponse) -> Iterable[bytes]:
    status, body = "200 OK", {"status": "ok", "database": "ok"}
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any database failure makes the instance unhealthy
        log.warning("health check: database unreachable: %s", exc)
        status, body = "503 Service Unavailable", {"status": "error", "database": "unreachable"}
    payload = json.dumps(body).encode()
    headers: list[tuple[str, str]] = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(payload))),
    ]
    start_response(status, headers)
    return [payload]


def make_server(application: Any, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server (threaded, production-grade) that the caller runs or closes."""
    from waitress.server import create_server

    return create_server(application, host=host, port=port, threads=threads, ident="mentor-match")
