"""Slack's request signing, and delivering a signed request to an app over HTTP.

Slack signs ``v0:{timestamp}:{raw body}`` with HMAC-SHA256 under the app's signing secret and
sends ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature: v0=<hex>``; the signature comes
from ``slack_sdk.signature.SignatureVerifier``, the same code Bolt verifies with.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

from fakeslack.records import JsonDict

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


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


def post(
    url: str, request: SignedRequest, timeout: float = 10.0
) -> tuple[int, dict[str, str], str]:
    """POST a signed request (to a local app); its status, headers and body text."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    req = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=request.body.encode("utf-8"), headers=request.headers, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            return resp.status, dict(resp.headers.items()), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read().decode("utf-8")
