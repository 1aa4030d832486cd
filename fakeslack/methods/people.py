"""users.info, users.list, users.lookupByEmail, conversations.open and conversations.info."""

from __future__ import annotations

import base64

from fakeslack.errors import ApiError
from fakeslack.methods._base import Call, Handler
from fakeslack.records import Conversation, JsonDict

MAX_MPIM_USERS = 8  # conversations.open: "Provide 1 to 8 user IDs" (counted as given)
USERS_LIST_DEFAULT = 100
USERS_LIST_MAX = 1000


def users_info(call: Call) -> JsonDict:
    """A member's profile, time zone and roles."""
    user = call.state.user(call.required("user", "user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user.to_api(call.state.wall_clock())}


def users_list(call: Call) -> JsonDict:
    """Every member, a page at a time: ``limit`` per page, ``cursor`` from the last page.

    The cursor is an opaque string (here the offset, base64-encoded as Slack's look); the last
    page has an empty ``next_cursor``. An unreadable cursor is ``invalid_cursor``.
    """
    raw_limit = call.text("limit")
    try:
        limit = int(raw_limit) if raw_limit else USERS_LIST_DEFAULT
    except ValueError:
        raise ApiError("invalid_limit") from None
    limit = max(1, min(limit, USERS_LIST_MAX))
    cursor = call.text("cursor") or ""
    try:
        start = int(base64.b64decode(cursor).decode()) if cursor else 0
    except ValueError:
        raise ApiError("invalid_cursor") from None
    everyone = call.state.users()
    if start < 0 or start > len(everyone):
        raise ApiError("invalid_cursor")
    at = call.state.wall_clock()
    page = everyone[start : start + limit]
    after = start + len(page)
    following = base64.b64encode(str(after).encode()).decode() if after < len(everyone) else ""
    return {
        "members": [u.to_api(at) for u in page],
        "cache_ts": int(at),
        "response_metadata": {"next_cursor": following},
    }


def users_lookup_by_email(call: Call) -> JsonDict:
    """The member with this email address (``users_not_found`` otherwise)."""
    user = call.state.user_by_email(call.required("email", "users_not_found"))
    if user is None:
        raise ApiError("users_not_found")
    return {"user": user.to_api(call.state.wall_clock())}


def conversations_open(call: Call) -> JsonDict:
    """Open (or resume) an IM with one user or an MPIM with several; same users, same id."""
    state = call.state
    channel = call.text("channel")
    users_arg = call.text("users")
    if channel:
        convo = state.conversation(channel)
        if convo is None or convo.is_channel:
            raise ApiError("channel_not_found")
        call.require_scopes("im:write" if convo.is_im else "mpim:write")
        existed = True
    elif users_arg:
        ids = [u.strip() for u in users_arg.split(",") if u.strip()]
        if len(ids) > MAX_MPIM_USERS:
            raise ApiError("too_many_users")
        for user_id in ids:
            user = state.user(user_id)
            if user is None:
                raise ApiError("user_not_found")
            if user.deleted:
                raise ApiError("user_disabled")
        others = [u for u in dict.fromkeys(ids) if u != call.actor]
        # A DM needs im:write, a group DM mpim:write (conversations.open's reference).
        call.require_scopes("im:write" if len(others) <= 1 else "mpim:write")
        if len(others) <= 1:
            convo, existed = state.open_im(others[0] if others else call.actor)
        else:
            convo, existed = state.open_mpim(others)
    else:
        raise ApiError("users_list_not_supplied")
    full = call.flag("return_im") or not convo.is_im
    body: JsonDict = {"channel": convo.to_api(call.actor) if full else {"id": convo.id}}
    if existed:
        body.update(no_op=True, already_open=True)
    return body


def conversations_info(call: Call) -> JsonDict:
    """A conversation object; ``channel_not_found`` for unknown ids."""
    convo = call.state.conversation(call.required("channel", "channel_not_found"))
    if convo is None:
        raise ApiError("channel_not_found")
    call.require_scopes(_read_scope(convo))
    body = convo.to_api(call.actor)
    if convo.is_im:
        body["is_open"] = True
    return {"channel": body}


def _read_scope(convo: Conversation) -> str:
    """The scope conversations.info needs for this kind of conversation."""
    if convo.is_im:
        return "im:read"
    if convo.is_mpim:
        return "mpim:read"
    return "groups:read" if convo.is_private else "channels:read"


METHODS: dict[str, Handler] = {
    "users.info": users_info,
    "users.list": users_list,
    "users.lookupByEmail": users_lookup_by_email,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
}
