"""What the fake does with a payload an app POSTs to a response_url it issued.

Slack accepts a response_url "up to 5 times within 30 minutes" (docs.slack.dev/interactivity/
handling-user-interaction); after that it answers 404 ``used_url`` or ``expired_url``
(``SlackState.clock`` tells the time). A payload is ephemeral unless
``response_type`` is ``in_channel``; ``replace_original`` edits the message the interaction
came from and ``delete_original`` removes it. Answers are plain text: ``ok`` or an error.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fakeslack.blockkit import message_block_problems, with_generated_ids
from fakeslack.records import JsonDict, ResponsePost, ResponseUrl
from fakeslack.state import RESPONSE_URL_TTL, SlackState

MAX_USES = 5
Outcome = Literal["ephemeral", "in_channel", "replaced", "deleted", "rejected"]


def handle_response_url(state: SlackState, url_id: str, body: bytes) -> tuple[int, str]:
    """Apply one response_url POST; the HTTP status and text body to answer."""
    with state.lock:
        target = state.response_url(url_id)
        if target is None:
            return 404, "no_service"
        try:
            payload = json.loads(body.decode() or "{}")
        except ValueError:
            return 400, "invalid_payload"
        if not isinstance(payload, dict):
            return 400, "invalid_payload"
        if state.clock() - target.issued_at > RESPONSE_URL_TTL:
            return _reject(state, target, payload, 404, "expired_url")
        if target.uses >= MAX_USES:
            return _reject(state, target, payload, 404, "used_url")
        blocks = payload.get("blocks")
        if blocks is not None and message_block_problems(blocks):
            return _reject(state, target, payload, 400, "invalid_blocks")
        delete = _truthy(payload.get("delete_original"))
        if not delete and not payload.get("text") and not blocks:
            return _reject(state, target, payload, 400, "no_text")
        target.uses += 1
        outcome = _apply(state, target, payload, delete)
        state.record_response_post(ResponsePost(target.id, payload, outcome, state.wall_clock()))
        return 200, "ok"


def _apply(state: SlackState, target: ResponseUrl, payload: JsonDict, delete: bool) -> Outcome:
    text = str(payload.get("text") or "")
    blocks = with_generated_ids(list(payload.get("blocks") or []), f"{target.id}:{target.uses}")
    channel, ts = target.channel_id, target.message_ts
    if delete:
        _delete_original(state, target)
        return "deleted"
    if _truthy(payload.get("replace_original")) and channel and ts:
        if target.is_ephemeral:
            for note in state.ephemerals(channel=channel, user=target.user_id):
                if note.ts == ts:
                    note.text, note.blocks = text, blocks
                    return "replaced"
        else:
            message = state.message(channel, ts)
            if message is not None:
                message.text, message.blocks = text, blocks
                message.edited = {"user": state.bot_user_id, "ts": state.next_ts()}
                return "replaced"
    thread_ts = payload.get("thread_ts")
    if payload.get("response_type") == "in_channel" and channel:
        state.post_message(
            channel,
            text=text,
            blocks=blocks,
            user=state.bot_user_id,
            bot_id=state.bot_id,
            thread_ts=str(thread_ts) if thread_ts else None,
        )
        return "in_channel"
    if channel and target.user_id:
        state.add_ephemeral(channel, target.user_id, text=text, blocks=blocks)
    return "ephemeral"


def _delete_original(state: SlackState, target: ResponseUrl) -> None:
    channel, ts = target.channel_id, target.message_ts
    if not channel or not ts:
        return
    if target.is_ephemeral:
        for note in state.ephemerals(channel=channel, user=target.user_id):
            if note.ts == ts:
                note.deleted = True
    else:
        state.delete_message(channel, ts)


def _reject(
    state: SlackState, target: ResponseUrl, payload: JsonDict, status: int, error: str
) -> tuple[int, str]:
    state.record_response_post(ResponsePost(target.id, payload, "rejected", state.wall_clock()))
    return status, error


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")
