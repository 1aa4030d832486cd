"""Slack's request signing, and delivering a signed request to an app over HTTP.

Slack signs ``v0:{timestamp}:{raw body}`` with HMAC-SHA256 under the app's signing secret and
sends ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature: v0=<hex>``; the signature comes
from ``slack_sdk.signature.SignatureVerifier``, the same code Bolt verifies with.

Slack waits 3 seconds for the HTTP answer (slash commands, interactions, events alike); after
that the person sees an error and the answer is dropped. :func:`deliver` measures the time to
the answer; :func:`post` raises :class:`~fakeslack.errors.LateAck` when it was late, so a test
whose app acknowledges too slowly fails.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

from fakeslack.errors import LateAck
from fakeslack.records import JsonDict

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
ACK_WITHIN = 3.0  # seconds


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """A request body and the headers Slack would send with it."""

    body: str
    headers: dict[str, str]
    content_type: str

    def payload(self) -> JsonDict:
        """The JSON inside (the interaction ``payload`` field, or the event body)."""
        if self.content_type == JSON:
            data: JsonDict = json.loads(self.body)
            return data
        fields = parse_qs(self.body, keep_blank_values=True)
        if "payload" in fields:
            inner: JsonDict = json.loads(fields["payload"][0])
            return inner
        return {k: v[0] for k, v in fields.items()}


def sign(
    signing_secret: str,
    body: str,
    content_type: str,
    timestamp: int,
    headers: Mapping[str, str] | None = None,
) -> SignedRequest:
    """``body`` with the headers Slack sends, signed at ``timestamp`` (epoch seconds)."""
    stamp = str(timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=stamp, body=body)
    return SignedRequest(
        body=body,
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": str(signature),
            **(headers or {}),
        },
        content_type=content_type,
    )


@dataclass(frozen=True, slots=True)
class Delivery:
    """The app's HTTP answer to a signed request, and how long it took."""

    status: int
    headers: dict[str, str]
    body: str
    elapsed: float
    ack_within: float

    @property
    def late(self) -> bool:
        """Whether Slack would have stopped waiting before this answer came."""
        return self.elapsed > self.ack_within


def deliver(
    url: str,
    request: SignedRequest,
    *,
    ack_within: float = ACK_WITHIN,
    timeout: float = 10.0,
    clock: Callable[[], float] = time.monotonic,
) -> Delivery:
    """POST a signed request (to a local app) and time its answer with ``clock``."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    req = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=request.body.encode("utf-8"), headers=request.headers, method="POST"
    )
    started = clock()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            status, headers, body = resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        status, headers, body = err.code, dict(err.headers.items()), err.read()
    return Delivery(status, headers, body.decode("utf-8"), clock() - started, ack_within)


def post(
    url: str,
    request: SignedRequest,
    timeout: float = 10.0,
    *,
    ack_within: float | None = ACK_WITHIN,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[int, dict[str, str], str]:
    """POST a signed request (to a local app); its status, headers and body text.

    Raises:
        LateAck: the answer took longer than ``ack_within`` seconds (None: no limit).
    """
    limit = float("inf") if ack_within is None else ack_within
    got = deliver(url, request, ack_within=limit, timeout=timeout, clock=clock)
    if got.late:
        raise LateAck(got.elapsed, limit, _kind(request))
    return got.status, got.headers, got.body


def _kind(request: SignedRequest) -> str:
    try:
        payload = request.payload()
    except ValueError:
        return "request"
    return str(payload.get("type") or payload.get("command") or "request")
