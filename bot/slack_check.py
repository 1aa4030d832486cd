"""Reaching Slack at start-up: retry while it cannot be reached, stop when it refuses a token.

An unreachable Slack (a network blip, a proxy not up yet, Slack's own 5xx) is logged as one line
per attempt, ``cannot reach Slack at <url>: <reason>; retrying in N s``, with a backoff. A token
Slack refuses is not going to start working: that ends the process with one line naming the
setting to fix.
"""

from __future__ import annotations

import logging
import threading
import urllib.error
from collections.abc import Callable
from typing import TypeVar

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("bot.slack")

T = TypeVar("T")
FIRST_DELAY = 1.0
MAX_DELAY = 60.0
REFUSED_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)
FIXES = {
    "SLACK_BOT_TOKEN": "copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions",
    "SLACK_APP_TOKEN": "create an app-level token with connections:write under Basic "
    "Information > App-Level Tokens (xapp-...)",
}


class SlackRefused(Exception):
    """Slack refused a token: the operator has to change a setting."""

    def __init__(self, variable: str, error: str) -> None:
        self.variable, self.error = variable, error
        fix = FIXES.get(variable, "check it")
        super().__init__(f"Slack refused {variable} ({error}): {fix}, and set {variable} again.")


def reach_slack(
    attempt: Callable[[], T],
    *,
    url: str,
    variable: str,
    stop: threading.Event,
    on_status: Callable[[bool], None] = lambda _ok: None,
    first_delay: float = FIRST_DELAY,
) -> T | None:
    """Call ``attempt`` until Slack answers; ``None`` if ``stop`` was set meanwhile.

    Raises:
        SlackRefused: Slack answered that the token in ``variable`` is not valid.
    """
    delay = first_delay
    while not stop.is_set():
        try:
            result = attempt()
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "")
            if error in REFUSED_TOKEN_ERRORS:
                raise SlackRefused(variable, error) from None
            status = getattr(exc.response, "status_code", 200)
            reason = f"HTTP {status}" if status >= 500 else error or f"HTTP {status}"
            if error == "ratelimited":
                retry_after = exc.response.headers.get("Retry-After", "")
                delay = max(delay, float(retry_after)) if retry_after.isdigit() else delay
        except (SlackClientError, BoltError, OSError) as exc:
            reason = _reason(exc)
        else:
            on_status(True)
            return result
        on_status(False)
        log.warning("cannot reach Slack at %s: %s; retrying in %g s", url, reason, delay)
        if stop.wait(delay):
            break
        delay = min(delay * 2, MAX_DELAY)
    return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        return str(exc.reason)
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
