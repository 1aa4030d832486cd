"""apps.connections.open: a Socket Mode WebSocket URL, for an app-level token only.

Slack requires an app-level token (``xapp-``) with ``connections:write`` for this method; a bot
or user token gets ``not_allowed_token_type``. The URL comes from the workspace's Socket Mode
endpoint (:class:`fakeslack.socket_mode.SocketModeEndpoint`), which registers itself here.
"""

from __future__ import annotations

from collections.abc import Callable
from weakref import WeakKeyDictionary

from fakeslack.errors import ApiError
from fakeslack.methods._base import Call, Handler
from fakeslack.records import JsonDict
from fakeslack.state import SlackState

APP_TOKEN_PREFIX = "xapp-test"  # noqa: S105 - the fake's app-level tokens, as xoxb-test for bots
# A state's Socket Mode endpoint: issues a single-use WebSocket URL.
ENDPOINTS: WeakKeyDictionary[SlackState, Callable[[], str]] = WeakKeyDictionary()


def apps_connections_open(call: Call) -> JsonDict:
    """A fresh single-use ``ws://`` URL for the app's Socket Mode connection."""
    token = call.token
    if not token:
        raise ApiError("not_authed")
    if token.startswith(("xoxb-", "xoxp-")):
        raise ApiError("not_allowed_token_type")
    if not token.startswith(APP_TOKEN_PREFIX):
        raise ApiError("invalid_auth")
    issue = ENDPOINTS.get(call.state)
    if issue is None:  # the app has Socket Mode turned off
        raise ApiError("socket_mode_not_enabled")
    return {"url": issue()}


METHODS: dict[str, Handler] = {"apps.connections.open": apps_connections_open}
# Checked here, against the app-level token, not by the bot-token check every other method gets.
UNAUTHENTICATED = frozenset(METHODS)
