"""HTTP mode: one WSGI app for Slack's requests and the health check, served by waitress.

:class:`HttpServer` runs waitress on a thread and stops it gracefully: the listening socket
closes first (no new connection is accepted), requests in flight finish and their answers are
written out, then the idle connections close and the loop ends. Every step that touches
waitress's sockets runs on waitress's own loop thread (through its trigger), never beside it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot import inflight, metrics
from bot.health import Health
from store.db import Database

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
POLL_SECONDS = 0.02  # how often a stopping server looks at its connections


def wsgi_app(
    app: App | None, health: Health | Database
) -> Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]:
    """Commands, interactivity, options and events at ``POST /slack/events``; ``GET /healthz``;
    ``GET /metrics`` (Prometheus).

    When the app has an OAuth flow (several workspaces), Bolt's handler also serves ``GET`` on
    its install path (``/slack/install``) and redirect path (``/slack/oauth_redirect``). Until
    ``app`` is set (Slack not reached yet) everything but the health check answers 503.
    Given only a database, the health check uses the default settings.
    """
    if isinstance(health, Database):
        health = Health(
            health, sweep_interval=timedelta(seconds=300), outbox_max_age=timedelta(minutes=30)
        )
        health.slack = "ok" if app is not None else "connecting"
    holder = AppHolder(app)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            status, body = health.report()
            return _json(start_response, status, body)
        if environ.get("PATH_INFO") == "/metrics":
            payload, content_type = metrics.exposition()
            start_response("200 OK", [("Content-Type", content_type)])
            return [payload]
        slack = holder.handler
        if slack is None:
            body = {"status": "starting", "slack": health.slack}
            return _json(start_response, 503, body, retry_after="5")
        with metrics.answering():
            return slack(environ, start_response)

    application.holder = holder  # type: ignore[attr-defined]
    return application


class AppHolder:
    """The Bolt app once it exists (``serve`` answers health checks before Slack is reached)."""

    def __init__(self, app: App | None) -> None:
        self.handler: SlackRequestHandler | None = None
        if app is not None:
            self.set(app)

    def set(self, app: App) -> None:
        self.handler = SlackRequestHandler(app, path=EVENTS_PATH)


def _json(
    start_response: StartResponse, status: int, body: dict[str, Any], retry_after: str = ""
) -> Iterable[bytes]:
    payload = json.dumps(body).encode()
    headers: list[tuple[str, str]] = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(payload))),
    ]
    if retry_after:
        headers.append(("Retry-After", retry_after))
    reason = "OK" if status == 200 else "Service Unavailable"
    start_response(f"{status} {reason}", headers)
    return [payload]


class InFlight(inflight.Counter):
    """Counts the requests an application is answering (until waitress closes their body)."""

    def __init__(self, application: WSGIApplication) -> None:
        super().__init__()
        self.application = application

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self.start()
        try:
            body = self.application(environ, start_response)
        except BaseException:
            self.done()
            raise
        return _Closing(body, self.done)


class _Closing:
    """A response body that reports when the server has finished with it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[], None]) -> None:
        self._body, self._done, self._closed = body, done, False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._done()


class HttpServer:
    """A waitress server on its own thread, with a graceful stop."""

    def __init__(self, application: WSGIApplication, host: str, port: int, threads: int = 8):
        from waitress.server import create_server

        self.in_flight = InFlight(application)
        self.server: Any = create_server(
            self.in_flight, host=host, port=port, threads=threads, ident="mentor-match"
        )
        self.port = int(self.server.effective_port)
        self._thread: threading.Thread | None = None

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self.server.run, name="http", daemon=True)
        self._thread.start()
        return self

    def stop_accepting(self) -> None:
        """Close the listening socket: new connections are refused from now on."""
        done = threading.Event()

        def close_listener() -> None:
            self._close_listener()
            done.set()

        self._on_loop(close_listener)
        done.wait(timeout=5)

    def _close_listener(self) -> None:
        server = self.server
        server.accepting = False
        server.del_channel()
        if server.socket is not None:
            server.socket.close()
            server.socket = None

    def drain(self, deadline: float) -> int:
        """Finish requests in flight and write their answers, until ``deadline`` (monotonic).

        Returns how many requests were still unanswered when the deadline came.
        """
        self.in_flight.wait_idle(deadline)
        while time.monotonic() < deadline:
            self._on_loop(self._close_idle_channels)
            if not self.server.active_channels:
                break
            time.sleep(POLL_SECONDS)  # waitress flushes answers on its loop thread meanwhile
        return self.busy()

    def busy(self) -> int:
        """Requests being received, answered or written out."""
        busy = [c for c in list(self.server.active_channels.values()) if not _idle(c)]
        return max(self.in_flight.count, len(busy))

    def close(self) -> None:
        """End the worker threads, then the loop (after :meth:`drain`).

        Workers first: one that has just answered still wakes the loop through its trigger,
        which must be open until every worker has finished (else ``OSError: Bad file
        descriptor`` in the worker, seen as a flake when ``scheduler`` stopped).
        """

        def close_all() -> None:
            self._close_listener()
            for channel in list(self.server.active_channels.values()):
                channel.handle_close()
            self.server.trigger.close()  # the last entry of the map: the loop ends

        self.server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        self._on_loop(close_all)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def stop(self, timeout: float) -> int:
        """Stop accepting, drain for up to ``timeout`` seconds, close; requests abandoned."""
        self.stop_accepting()
        left = self.drain(time.monotonic() + timeout)
        self.close()
        return left

    def _close_idle_channels(self) -> None:
        for channel in list(self.server.active_channels.values()):
            if _idle(channel):
                channel.handle_close()

    def _on_loop(self, thunk: Callable[[], None]) -> None:
        try:
            self.server.trigger.pull_trigger(thunk)
        except OSError:  # the loop has already ended
            log.debug("waitress loop already closed")


def _idle(channel: Any) -> bool:
    """Nothing received but unanswered, nothing answered but unsent: safe to close."""
    return not (channel.requests or channel.total_outbufs_len or channel.request is not None)


def make_server(application: Any, host: str, port: int, threads: int = 8) -> Any:
    """A bare waitress server that the caller runs and closes (see :class:`HttpServer`)."""
    from waitress.server import create_server

    return create_server(application, host=host, port=port, threads=threads, ident="mentor-match")
