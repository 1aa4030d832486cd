"""users.info, users.lookupByEmail, conversations.open and conversations.info."""

from __future__ import annotations

from fakeslack.errors import ApiError
from fakeslack.methods._base import Call, Handler
from fakeslack.records import JsonDict

MAX_MPIM_USERS = 8


def users_info(call: Call) -> JsonDict:
    """A member's profile, time zone and roles."""
    user = call.state.user(call.required("user", "user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user.to_api(call.state.wall_clock())}


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
        existed = True
    elif users_arg:
        ids = [u.strip() for u in users_arg.split(",") if u.strip()]
        for user_id in ids:
            user = state.user(user_id)
            if user is None:
                raise ApiError("user_not_found")
            if user.deleted:
                raise ApiError("user_disabled")
        others = [u for u in dict.fromkeys(ids) if u != call.actor]
        if len(others) > MAX_MPIM_USERS:
            raise ApiError("too_many_users")
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
    body = convo.to_api(call.actor)
    if convo.is_im:
        body["is_open"] = True
    return {"channel": body}


METHODS: dict[str, Handler] = {
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
}
