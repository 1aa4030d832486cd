"""Errors: a Web API error answer, and Slack refusing an app's answer to what it sent."""

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


class AnswerRefused(AssertionError):
    """Slack would not take the app's HTTP answer to something it sent (the person sees an
    error, the app's answer has no effect). Raised where a test delivers that answer, so the
    test fails."""


class LateAck(AnswerRefused):
    """The app answered after Slack stopped waiting (3 seconds).

    Slack shows the person an error ("operation timed out") and drops the answer: a
    view_submission's ``response_action`` is not applied, an event is retried.
    """

    def __init__(self, elapsed: float, limit: float, what: str = "request") -> None:
        super().__init__(
            f"the app answered a {what} after {elapsed:.3f} s; Slack waits {limit:g} s, then "
            "shows an error and drops the answer"
        )
        self.elapsed, self.limit = elapsed, limit
