"""api.test, auth.test, team.info and oauth.v2.access."""

from __future__ import annotations

from fakeslack.errors import ApiError
from fakeslack.methods._base import Call, Handler
from fakeslack.records import JsonDict


def api_test(call: Call) -> JsonDict:
    """Echo the arguments back (needs no token)."""
    return {"args": {k: v for k, v in call.params.items() if k != "token"}}


def auth_test(call: Call) -> JsonDict:
    """Who the token belongs to; Bolt calls this once to learn its bot user id."""
    state = call.state
    user = state.user(call.actor)
    team = state.oauth_team(call.token)
    body: JsonDict = {
        "url": team.url,
        "team": team.name,
        "user": user.name if user else call.actor.lower(),
        "team_id": team.id,
        "user_id": call.actor,
        "is_enterprise_install": False,
    }
    if call.bot_id is not None:
        body["bot_id"] = call.bot_id
    return body


def team_info(call: Call) -> JsonDict:
    """The workspace's id, name and domain."""
    team = call.text("team")
    if team and team != call.state.team.id:
        raise ApiError("team_not_found")
    return {"team": call.state.team.to_api()}


def oauth_v2_access(call: Call) -> JsonDict:
    """Exchange a code from ``state.new_oauth_code()`` for a fake bot token.

    Client credentials come by HTTP Basic auth (as slack_sdk sends them) or as arguments.
    """
    state = call.state
    client_id, client_secret = call.basic_auth or (
        call.text("client_id") or "",
        call.text("client_secret") or "",
    )
    if client_id != state.client_id:
        raise ApiError("invalid_client_id")
    if client_secret != state.client_secret:
        raise ApiError("bad_client_secret")
    grant_type = call.text("grant_type")
    if grant_type not in (None, "authorization_code"):
        raise ApiError("invalid_grant_type")
    code = call.text("code") or ""
    team = state.oauth_team(code)
    exchanged = state.exchange_oauth_code(code)
    if exchanged is None:
        raise ApiError("invalid_code")
    user_id, scopes = exchanged
    token = f"xoxb-test-{team.id.lower()}-{state.new_id('').lower()}"
    state.bind_oauth_token(code, token, scopes)
    return {
        "access_token": token,
        "token_type": "bot",
        "scope": ",".join(scopes),
        "bot_user_id": state.bot_user_id,
        "app_id": state.app_id,
        "team": {"id": team.id, "name": team.name},
        "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": user_id or state.installer_user_id},
    }


METHODS: dict[str, Handler] = {
    "api.test": api_test,
    "auth.test": auth_test,
    "team.info": team_info,
    "oauth.v2.access": oauth_v2_access,
}
UNAUTHENTICATED = frozenset({"api.test", "oauth.v2.access"})
