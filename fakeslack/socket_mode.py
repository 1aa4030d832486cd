"""Slack's side of Socket Mode: a local WebSocket endpoint the real Socket Mode client uses.

The protocol, as Slack speaks it:

- the app calls ``apps.connections.open`` with its app-level token and gets a single-use
  ``wss://`` URL (here ``ws://127.0.0.1:PORT/link/?ticket=...``); a ticket used twice, or
  one never issued, is refused at the handshake;
- once connected, Slack sends ``{"type": "hello", "num_connections": N, ...}``;
- every request is an envelope ``{"envelope_id", "type", "payload",
  "accepts_response_payload"}`` of type ``slash_commands``, ``interactive`` or
  ``events_api`` (the latter with ``retry_attempt`` and ``retry_reason``); its payload is what
  HTTP mode would POST (the command's form fields, the interaction's ``payload`` JSON, the
  event callback);
- the app acknowledges by sending ``{"envelope_id": ...}`` back, with a ``payload`` only where
  the envelope ``accepts_response_payload`` (a slash command's reply, a view submission's
  ``response_action``); an envelope not acknowledged within 3 seconds is a failure Slack shows
  the person ("didn't respond");
- ``{"type": "disconnect", "reason": "refresh_requested"}`` tells the app to open a new
  connection; Slack closes the old one once the new one is up.

Usage::

    with FakeSlack(state) as fake, SocketModeEndpoint(state) as socket:
        ...start the app with SLACK_APP_TOKEN=xapp-test-...
        socket.wait_connected()
        envelope = socket.send(inbound.command("U1", "/find-mentor"))
        envelope.wait_ack()
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from fakeslack.methods.apps import ENDPOINTS
from fakeslack.records import JsonDict
from fakeslack.signing import SignedRequest
from fakeslack.state import SlackState

logger = logging.getLogger(__name__)
ACK_WITHIN = 3.0  # seconds Slack waits for an envelope's acknowledgement
# Interactions whose acknowledgement may carry a payload (the rest must acknowledge bare).
ANSWERED_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


@dataclass
class Envelope:
    """One envelope sent to the app, and its acknowledgement once it comes."""

    id: str
    type: str
    payload: JsonDict
    accepts_response_payload: bool
    sent_at: float
    connection: int
    acked_at: float | None = None
    response: JsonDict | None = None  # the ack's payload, if it carried one
    _acked: threading.Event = field(default_factory=threading.Event)

    def wait_ack(self, timeout: float = 30.0) -> JsonDict | None:
        """Wait for the acknowledgement; its payload (``None`` for a bare ack).

        Raises:
            TimeoutError: none came within ``timeout`` seconds.
        """
        if not self._acked.wait(timeout):
            raise TimeoutError(f"envelope {self.id} ({self.type}) was not acknowledged")
        return self.response

    @property
    def acked_in_time(self) -> bool:
        """Acknowledged within Slack's 3 seconds."""
        return self.acked_at is not None and self.acked_at - self.sent_at <= ACK_WITHIN


@dataclass
class _Link:
    number: int
    ws: ServerConnection
    retiring: bool = False


class SocketModeEndpoint:
    """The Socket Mode side of a fake workspace, on ``127.0.0.1`` (a free port).

    Args:
        state: The workspace whose app connects here; its ``apps.connections.open`` hands out
            this endpoint's URLs from now on.
        clock: Monotonic seconds, for acknowledgement times.
    """

    def __init__(self, state: SlackState, *, clock: Any = time.monotonic) -> None:
        self.state = state
        self.clock = clock
        self.problems: list[str] = []  # protocol breaches by the app, for tests to assert on
        self._lock = threading.Condition()
        self._tickets: dict[str, bool] = {}  # ticket -> used
        self._links: list[_Link] = []
        self._serial = 0
        self._envelopes: dict[str, Envelope] = {}
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> SocketModeEndpoint:
        if self._server is None:
            self._server = serve(
                self._handle,
                "127.0.0.1",
                0,
                process_request=self._check_ticket,
                compression=None,
                logger=logging.getLogger("fakeslack.socket_mode.ws"),
            )
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="fakeslack-socket-mode", daemon=True
            )
            self._thread.start()
            ENDPOINTS[self.state] = self.open_url
        return self

    def stop(self) -> None:
        ENDPOINTS.pop(self.state, None)
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SocketModeEndpoint:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the Socket Mode endpoint is not running")
        return int(self._server.socket.getsockname()[1])

    def open_url(self) -> str:
        """A new single-use URL (what ``apps.connections.open`` answers)."""
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets[ticket] = False
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.state.app_id}"

    # -- connections -----------------------------------------------------------------------

    def connections(self) -> int:
        """How many connections are open and not asked to go away."""
        with self._lock:
            return sum(not link.retiring for link in self._links)

    def connected_total(self) -> int:
        """How many connections were ever established."""
        with self._lock:
            return self._serial

    def wait_connected(self, *, total: int = 1, timeout: float = 60.0) -> None:
        """Wait until ``total`` connections have been established and one is live."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not (self._serial >= total and any(not x.retiring for x in self._links)):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no Socket Mode connection #{total} within {timeout} s")
                self._lock.wait(left)

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does before it retires a connection."""
        with self._lock:
            live = [link for link in self._links if not link.retiring]
            for link in live:
                link.retiring = True
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fakeslack"}}
        for link in live:
            self._send(link, message)

    # -- envelopes -------------------------------------------------------------------------

    def send(self, request: SignedRequest, *, retry_attempt: int = 0) -> Envelope:
        """Send what HTTP mode would POST as a Socket Mode envelope, over the live connection."""
        payload = request.payload()
        kind, answers = _kind(payload)
        with self._lock:
            live = [link for link in self._links if not link.retiring]
            if not live:
                raise RuntimeError("no live Socket Mode connection to send an envelope over")
            link = live[-1]
            envelope = Envelope(
                id=str(uuid.uuid4()),
                type=kind,
                payload=payload,
                accepts_response_payload=answers,
                sent_at=self.clock(),
                connection=link.number,
            )
            self._envelopes[envelope.id] = envelope
        message: JsonDict = {
            "envelope_id": envelope.id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": answers,
        }
        if kind == "events_api":
            message.update(retry_attempt=retry_attempt, retry_reason="")
        self._send(link, message)
        return envelope

    def envelopes(self) -> list[Envelope]:
        with self._lock:
            return list(self._envelopes.values())

    # -- the server side -------------------------------------------------------------------

    def _check_ticket(self, _ws: ServerConnection, request: Request) -> Response | None:
        query = parse_qs(urlsplit(request.path).query)
        ticket = (query.get("ticket") or [""])[0]
        with self._lock:
            known = ticket in self._tickets and not self._tickets[ticket]
            if known:
                self._tickets[ticket] = True
        if known:
            return None
        self.problems.append(f"connection with an unknown or used ticket: {request.path}")
        body = b"invalid or expired ticket"
        headers = Headers([("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return Response(HTTPStatus.UNAUTHORIZED, "Unauthorized", headers, body)

    def _handle(self, ws: ServerConnection) -> None:
        with self._lock:
            self._serial += 1
            link = _Link(self._serial, ws)
            # A new connection is up: connections Slack asked to go away are closed now.
            retired = [x for x in self._links if x.retiring]
            self._links = [x for x in self._links if not x.retiring] + [link]
            count = len(self._links)
            self._lock.notify_all()
        for old in retired:
            old.ws.close(1000, "refreshed")
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {"host": "fakeslack", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.state.app_id},
        }
        self._send(link, hello)
        try:
            for raw in ws:
                self._receive(link, raw)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._links = [x for x in self._links if x is not link]
                self._lock.notify_all()

    def _receive(self, link: _Link, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
            envelope_id = message["envelope_id"]
        except (ValueError, KeyError, TypeError):
            self.problems.append(f"not an acknowledgement: {raw!r:.200}")
            return
        with self._lock:
            envelope = self._envelopes.get(envelope_id)
        if envelope is None or envelope.acked_at is not None:
            self.problems.append(
                f"acknowledgement of an unknown or acknowledged envelope {envelope_id}"
            )
            return
        response = message.get("payload")
        if response is not None and not envelope.accepts_response_payload:
            self.problems.append(f"envelope {envelope_id} ({envelope.type}) takes no payload")
        envelope.response = response
        envelope.acked_at = self.clock()
        if not envelope.acked_in_time:
            self.problems.append(f"envelope {envelope_id} acknowledged after {ACK_WITHIN} s")
        elif envelope.payload.get("type") == "view_submission":
            # What Slack does with the answer to a submission: close, update, push or errors.
            view_id = str(envelope.payload["view"]["id"])
            self.state.apply_submission_ack(view_id, json.dumps(response) if response else "")
        envelope._acked.set()

    def _send(self, link: _Link, message: JsonDict) -> None:
        try:
            link.ws.send(json.dumps(message))
        except ConnectionClosed:
            logger.debug("socket mode connection %s closed before a send", link.number)


def _kind(payload: JsonDict) -> tuple[str, bool]:
    """The envelope type for a payload, and whether its acknowledgement may carry a payload."""
    if "command" in payload:
        return "slash_commands", True
    if payload.get("type") == "event_callback":
        return "events_api", False
    return "interactive", payload.get("type") in ANSWERED_INTERACTIONS
