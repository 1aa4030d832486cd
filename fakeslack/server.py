"""``FakeSlack``: the fake Web API served over HTTP on loopback for the real clients.

Routes:
    ``POST|GET /api/<method>``  Web API methods (form or JSON bodies, bearer token).
    ``POST /upload/<file id>``  raw bytes of a file (files_upload_v2's second step).
    ``POST /response/<id>``     response_url payloads.

Usage::

    with FakeSlack() as fake:
        client = WebClient(token=fake.state.bot_token, base_url=fake.api_url)
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from slack_sdk import WebClient

from fakeslack.errors import ApiError
from fakeslack.faults import Delay, Hold, RateLimited, ServerError, SlackError
from fakeslack.methods import METHODS, UNAUTHENTICATED, Call
from fakeslack.policy import POLICIES
from fakeslack.records import CallRecord, JsonDict
from fakeslack.state import SlackState
from fakeslack.webhooks import handle_response_url

logger = logging.getLogger(__name__)
Answer = tuple[int, JsonDict, dict[str, str]]


class FakeSlack:
    """A stateful fake Slack Web API on ``127.0.0.1`` (a free port), served from a thread.

    Args:
        state: The workspace to serve; a fresh :class:`SlackState` by default.
        host: Interface to bind; keep loopback.
        port: Port to bind; 0 picks a free one.
    """

    STOP_GRACE_S = 5.0  # stop() waits this long at most for calls in progress to be answered

    def __init__(
        self, state: SlackState | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self._state = state or SlackState()
        self._host, self._requested_port = host, port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> SlackState:
        """The workspace this fake serves."""
        return self._state

    @property
    def port(self) -> int:
        """The port it listens on (after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://{self._host}:{self.port}/"

    @property
    def api_url(self) -> str:
        """The ``base_url`` for ``WebClient`` (it joins the method name onto it)."""
        return f"{self.base_url}api/"

    def client(self, token: str | None = None, **kwargs: Any) -> WebClient:
        """A real ``slack_sdk.WebClient`` pointed at this fake (bot token by default)."""
        return WebClient(token=token or self._state.bot_token, base_url=self.api_url, **kwargs)

    def start(self) -> FakeSlack:
        """Listen and serve from a daemon thread; idempotent."""
        if self._server is None:
            self._server = _Server((self._host, self._requested_port), _Handler, self)
            self._state.base_url = self.base_url
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fakeslack:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    @property
    def connections_opened(self) -> int:
        """How many TCP connections clients have opened to this fake (keep-alive reuses one)."""
        return self._server.opened if self._server is not None else 0

    def drop_connections(self) -> None:
        """Close every open client connection, as a server does with idle keep-alive ones."""
        if self._server is not None:
            self._server.drop_connections()

    def stop(self) -> None:
        """Stop serving and release the port (and any call a test left held): calls in
        progress are answered first, for up to ``STOP_GRACE_S``."""
        self._state.traffic.release_holds()
        if self._server is not None:
            self._server.shutdown()
            self._server.wait_answered(self.STOP_GRACE_S)  # a released call gets its answer
            self._server.drop_connections()  # idle keep-alive handlers wait on them
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- request handling (runs in the server's threads) ---------------------------------

    def handle(self, request: _Handler) -> None:
        """Route one HTTP request."""
        parts = urlsplit(request.path)
        body = request.read_body()
        head, _, rest = parts.path.lstrip("/").partition("/")
        if head == "api" and rest:
            status, payload, headers = self._api(unquote(rest), request, body, parts.query)
            request.reply(status, json.dumps(payload), "application/json; charset=utf-8", headers)
        elif head == "upload" and rest and request.command == "POST":
            upload = self._state.file(rest)
            if upload is None:
                request.reply(404, "file_not_found", "text/plain", {})
            else:
                with self._state.lock:
                    upload.content = body
                request.reply(200, f"OK - {len(body)}", "text/plain", {})
        elif head == "response" and rest and request.command == "POST":
            status, text = handle_response_url(self._state, rest, body)
            request.reply(status, text, "text/plain", {})
        else:
            request.reply(404, "not_found", "text/plain", {})

    def _api(self, method: str, request: _Handler, body: bytes, query: str) -> Answer:
        state = self._state
        received = state.wall_clock()  # when the call arrived, before the fake does any work
        token = _bearer(request.headers.get("Authorization"))
        try:
            params = _parse_params(request.headers.get("Content-Type", ""), body, query)
        except ApiError as exc:
            params, answer = {}, (exc.status, exc.body(), exc.headers)
        else:
            form_token = params.pop("token", None)
            token = token or (str(form_token) if form_token else None)
            basic = _basic(request.headers.get("Authorization"))
            answer = self._answer(method, params, token, basic)
        status, payload, _headers = answer
        state.traffic.record(
            CallRecord(
                method=method,
                params=params,
                token=token,
                at=received,
                status=status,
                ok=bool(payload.get("ok")),
                error=payload.get("error"),
            )
        )
        return answer

    def _answer(
        self,
        method: str,
        params: dict[str, Any],
        token: str | None,
        basic: tuple[str, str] | None,
    ) -> Answer:
        fault = self._state.traffic.next_fault(method)
        if isinstance(fault, Hold):
            return self._held(fault, method, params, token, basic)
        if isinstance(fault, Delay):
            time.sleep(fault.seconds)  # the one place the fake sleeps: asked for by a test
        elif isinstance(fault, RateLimited):
            error = {"ok": False, "error": "ratelimited"}
            return 429, error, {"Retry-After": str(fault.retry_after)}
        elif isinstance(fault, ServerError):
            name = "service_unavailable" if fault.status == 503 else "internal_error"
            return fault.status, {"ok": False, "error": name}, {}
        elif isinstance(fault, SlackError):
            return 200, {"ok": False, "error": fault.error, **fault.extra}, {}
        return self._perform(method, params, token, basic)

    def _held(
        self,
        hold: Hold,
        method: str,
        params: dict[str, Any],
        token: str | None,
        basic: tuple[str, str] | None,
    ) -> Answer:
        """Wait for the test's release, doing the call before or after as the hold says."""
        answer = self._perform(method, params, token, basic) if hold.applied else None
        if not hold.hold():  # outside the state lock: other calls go on meanwhile
            logger.error("fakeslack: %s was held and never released", method)
            return 500, {"ok": False, "error": "internal_error"}, {}
        return answer if answer is not None else self._perform(method, params, token, basic)

    def _perform(
        self,
        method: str,
        params: dict[str, Any],
        token: str | None,
        basic: tuple[str, str] | None,
    ) -> Answer:
        state = self._state
        headers: dict[str, str] = {}
        with state.lock:
            try:
                handler = METHODS.get(method)
                if handler is None:
                    raise ApiError("unknown_method")
                call = Call(state, method, params, token=token, basic_auth=basic)
                if method not in UNAUTHENTICATED:
                    state.check_token(token)
                    call.scopes = tuple(state.scopes_of(token))
                    headers["X-OAuth-Scopes"] = ",".join(call.scopes)
                    is_bot = str(token).startswith("xoxb-")
                    call.actor = state.bot_user_id if is_bot else state.installer_user_id
                    call.bot_id = state.bot_id if is_bot else None
                team = state.oauth_team(token).id
                retry_after = state.traffic.retry_after(method, params, team)
                if retry_after is not None:
                    raise ApiError(
                        "ratelimited", status=429, headers={"Retry-After": str(retry_after)}
                    )
                if method not in UNAUTHENTICATED:
                    call.require_scopes(*POLICIES[method].scopes)
                return 200, {"ok": True, **handler(call)}, headers
            except ApiError as exc:
                return exc.status, exc.body(), {**headers, **exc.headers}
            except Exception:  # a bug in the fake: answer like Slack's 500, keep the traceback
                logger.exception("fakeslack: %s failed", method)
                return 500, {"ok": False, "error": "internal_error"}, headers


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], fake: FakeSlack
    ) -> None:
        self.fake = fake
        self.opened = 0
        self._open: set[socket.socket] = set()
        self._busy: set[socket.socket] = set()  # a request on them is being answered
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up before its answer is not an error (Slack shrugs too); any
        other failure is printed as socketserver prints it."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def opening(self, connection: socket.socket) -> None:
        with self._lock:
            self.opened += 1
            self._open.add(connection)

    def closing(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.discard(connection)

    def drop_connections(self) -> None:
        with self._lock:
            open_now = list(self._open)
        for connection in open_now:
            with contextlib.suppress(OSError):  # closed by the client meanwhile
                connection.shutdown(socket.SHUT_RDWR)

    @contextlib.contextmanager
    def answering(self, connection: socket.socket) -> Iterator[None]:
        """While a request on ``connection`` is being answered."""
        with self._lock:
            self._busy.add(connection)
        try:
            yield
        finally:
            with self._lock:
                self._busy.discard(connection)
                self._answered.notify_all()

    def wait_answered(self, timeout: float) -> None:
        """Until no request is being answered (at most ``timeout`` seconds)."""
        with self._lock:
            self._answered.wait_for(lambda: not self._busy, timeout=timeout)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Headers and body go out in two writes; with Nagle on, the second waits for a delayed
    # ACK and every call costs milliseconds instead of a fraction of one.
    disable_nagle_algorithm = True
    # Persistent connections, as Slack's API serves them: every answer says its
    # Content-Length, and a client that asks for "Connection: close" (urllib) gets it.
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.server.opening(self.connection)

    def finish(self) -> None:
        self.server.closing(self.connection)
        super().finish()

    def do_POST(self) -> None:
        with self.server.answering(self.connection):
            self.server.fake.handle(self)

    def do_GET(self) -> None:
        with self.server.answering(self.connection):
            self.server.fake.handle(self)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def reply(self, status: int, text: str, content_type: str, headers: Mapping[str, str]) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:  # the client asked (urllib always does): say so, then close
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet; the call log records every API call."""


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


def _parse_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return params
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            raise ApiError("invalid_json") from None
        if not isinstance(data, dict):
            raise ApiError("invalid_json")
        params.update({k: v for k, v in data.items() if v is not None})
    elif kind in ("application/x-www-form-urlencoded", "text/plain", ""):
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise ApiError("invalid_charset") from None
    elif kind == "multipart/form-data":
        raise ApiError("invalid_form_data")  # only the retired files.upload sends multipart
    else:
        raise ApiError("invalid_post_type")
    return params
