"""chat.postMessage, chat.update, chat.delete, chat.postEphemeral and chat.getPermalink."""

from __future__ import annotations

from fakeslack.blockkit import with_generated_ids
from fakeslack.errors import ApiError
from fakeslack.methods._base import (
    Call,
    Handler,
    conversation_for_post,
    message_blocks,
    require_member,
)
from fakeslack.records import JsonDict

MAX_TEXT = 40_000


def _content(call: Call) -> tuple[str | None, list[JsonDict] | None]:
    text = call.text("text")
    blocks = message_blocks(call)
    if text is not None and len(text) > MAX_TEXT:
        raise ApiError("msg_too_long")
    return text, blocks


def post_message(call: Call) -> JsonDict:
    """Post into a conversation; a user id as ``channel`` posts into the IM with that user."""
    convo = conversation_for_post(call, call.required("channel", "channel_not_found"))
    require_member(call, convo, scopes=("chat:write.public",))
    text, blocks = _content(call)
    if not text and not blocks and not call.params.get("attachments"):
        raise ApiError("no_text")
    seed = f"{convo.id}:{call.state.message_count(convo.id)}"
    message = call.state.post_message(
        convo.id,
        text=text or "",
        blocks=with_generated_ids(blocks or [], seed),
        user=call.actor,
        bot_id=call.bot_id,
        thread_ts=call.text("thread_ts") or None,
    )
    return {"channel": convo.id, "ts": message.ts, "message": message.to_api()}


def update(call: Call) -> JsonDict:
    """Edit a message the caller posted; blocks are kept unless ``blocks`` is sent."""
    channel = call.required("channel", "channel_not_found")
    ts = call.required("ts", "message_not_found")
    state = call.state
    if state.conversation(channel) is None:
        raise ApiError("channel_not_found")
    message = state.message(channel, ts)
    if message is None:
        raise ApiError("message_not_found")
    if message.user != call.actor:
        raise ApiError("cant_update_message")
    text, blocks = _content(call)
    if text is None and blocks is None:
        raise ApiError("no_text")
    if text is not None:
        message.text = text
    if blocks is not None:
        message.blocks = with_generated_ids(blocks, f"{channel}:{ts}")
    message.edited = {"user": call.actor, "ts": state.next_ts()}
    return {
        "channel": channel,
        "ts": ts,
        "text": message.text,
        "message": message.to_api(),
    }


def delete(call: Call) -> JsonDict:
    """Delete a message the caller posted."""
    channel = call.required("channel", "channel_not_found")
    ts = call.required("ts", "message_not_found")
    state = call.state
    if state.conversation(channel) is None:
        raise ApiError("channel_not_found")
    message = state.message(channel, ts)
    if message is None:
        raise ApiError("message_not_found")
    if message.user != call.actor:
        raise ApiError("cant_delete_message")
    state.delete_message(channel, ts)
    return {"channel": channel, "ts": ts}


def post_ephemeral(call: Call) -> JsonDict:
    """Show a message to one member of a conversation (their IM needs no membership)."""
    convo = conversation_for_post(call, call.required("channel", "channel_not_found"))
    user_id = call.required("user", "user_not_found")
    state = call.state
    if state.user(user_id) is None:
        raise ApiError("user_not_found")
    if user_id not in convo.members:
        raise ApiError("user_not_in_channel")
    require_member(call, convo)
    text, blocks = _content(call)
    if not text and not blocks and not call.params.get("attachments"):
        raise ApiError("no_text")
    note = state.add_ephemeral(
        convo.id,
        user_id,
        text=text or "",
        blocks=with_generated_ids(blocks or [], f"{convo.id}:{user_id}:ephemeral"),
        thread_ts=call.text("thread_ts") or None,
    )
    return {"message_ts": note.ts}


def get_permalink(call: Call) -> JsonDict:
    """A permalink in Slack's ``/archives/<channel>/p<ts without dot>`` shape."""
    channel = call.required("channel", "channel_not_found")
    ts = call.required("message_ts", "message_not_found")
    state = call.state
    if state.conversation(channel) is None:
        raise ApiError("channel_not_found")
    message = state.message(channel, ts)
    if message is None:
        raise ApiError("message_not_found")
    link = f"{state.team.url}archives/{channel}/p{ts.replace('.', '')}"
    if message.thread_ts and message.thread_ts != ts:
        link += f"?thread_ts={message.thread_ts}&cid={channel}"
    return {"channel": channel, "permalink": link}


METHODS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.delete": delete,
    "chat.postEphemeral": post_ephemeral,
    "chat.getPermalink": get_permalink,
}
