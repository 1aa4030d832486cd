"""The one exception a fake Web API method raises to answer ``{"ok": false, ...}``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class ApiError(Exception):
    """A Slack Web API error answer.

    Args:
        error: Slack's error code, e.g. ``"channel_not_found"``.
        messages: Lines for ``response_metadata.messages`` (Slack's ``[ERROR] ...`` notes).
        errors: Lines for the top-level ``errors`` list Slack adds to ``invalid_blocks``.
        extra: Further top-level fields of the answer.
        status: HTTP status; Slack answers ``ok: false`` with 200 except for 429 and 5xx.
        headers: Extra response headers, e.g. ``Retry-After``.
    """

    def __init__(
        self,
        error: str,
        *,
        messages: Sequence[str] = (),
        errors: Sequence[str] = (),
        extra: Mapping[str, Any] | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)
        self.errors = list(errors)
        self.extra = dict(extra or {})
        self.status = status
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body Slack would send for this error."""
        body: dict[str, Any] = {"ok": False, "error": self.error, **self.extra}
        if self.errors:
            body["errors"] = list(self.errors)
        if self.messages:
            body["response_metadata"] = {"messages": list(self.messages)}
        return body
