"""Modal stacks and Home tabs: what views.open/push/update/publish and submissions do."""

from __future__ import annotations

import json
from typing import Any

from fakeslack.blockkit import APP_VIEW_KEYS, decode_json, view_problems, with_generated_ids
from fakeslack.errors import AnswerRefused, ApiError
from fakeslack.records import JsonDict, ViewRecord
from fakeslack.state import SlackState

MAX_STACK = 3  # views.push: "Currently the limit is 3" (a root and two pushed views)
# views.open/push/update/publish: view_too_large "if the provided view is greater than 250kb";
# counted here as the SDK sends it, JSON-encoded, and as 250,000 bytes (not 256,000: stricter).
MAX_VIEW_BYTES = 250_000
RESPONSE_ACTIONS = (None, "errors", "clear", "update", "push")


def checked_definition(raw: Any, *, expected: str | None = None) -> JsonDict:
    """The view an app sent, decoded and checked; ``invalid_arguments`` if Slack would refuse."""
    if raw is None or raw == "":
        raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: view"])
    try:
        view = decode_json(raw)
    except ValueError:
        raise ApiError("invalid_arguments", messages=["[ERROR] view is not valid JSON"]) from None
    size = len(raw.encode()) if isinstance(raw, str) else len(json.dumps(view).encode())
    if size > MAX_VIEW_BYTES:
        raise ApiError("view_too_large", messages=[f"[ERROR] the view is {size} bytes, over 250kb"])
    problems = view_problems(view)
    if not problems and expected is not None and view.get("type") != expected:
        problems = [f"must be `{expected}` here [json-pointer:/view/type]"]
    if problems:
        raise ApiError("invalid_arguments", messages=[f"[ERROR] {p}" for p in problems])
    return {k: view[k] for k in APP_VIEW_KEYS if k in view}


def open_modal(
    state: SlackState, definition: JsonDict, user_id: str | None, *, team_id: str | None = None
) -> ViewRecord:
    """Open a modal as the root of a new stack for ``user_id`` (in ``team_id``'s workspace)."""
    with state.lock:
        key = user_id or ""
        view_id = state.new_id("V")
        record = _new_record(
            state, definition, view_id, user_id, root=view_id, previous=None, team_id=team_id
        )
        state.close_modals(key)
        state.views[view_id] = record
        state.modal_stacks[key] = [view_id]
        return record


def push_modal(
    state: SlackState, definition: JsonDict, user_id: str | None, *, team_id: str | None = None
) -> ViewRecord:
    """Push a modal onto the user's open stack (at most three views deep)."""
    with state.lock:
        key = user_id or ""
        stack = state.modal_stacks.get(key)
        if not stack:
            raise ApiError("not_found")
        if len(stack) >= MAX_STACK:
            raise ApiError("push_limit_reached")
        view_id = state.new_id("V")
        record = _new_record(
            state, definition, view_id, user_id, root=stack[0], previous=stack[-1], team_id=team_id
        )
        state.views[view_id] = record
        stack.append(view_id)
        return record


def update_view(
    state: SlackState,
    definition: JsonDict,
    *,
    view_id: str | None,
    external_id: str | None,
    hash: str | None,
) -> ViewRecord:
    """Replace a shown view's definition; a stale ``hash`` is a ``hash_conflict``."""
    with state.lock:
        record = _find_shown(state, view_id, external_id)
        if hash and hash != record.hash:
            raise ApiError("hash_conflict")
        if definition["type"] != record.type:
            raise ApiError(
                "invalid_arguments",
                messages=[f"[ERROR] must be `{record.type}` here [json-pointer:/view/type]"],
            )
        _claim_external_id(state, definition.get("external_id"), record.id)
        _redefine(state, record, definition)
        return record


def publish_home(
    state: SlackState,
    definition: JsonDict,
    user_id: str,
    hash: str | None,
    *,
    team_id: str | None = None,
) -> ViewRecord:
    """Publish (or republish, keeping its id) the user's Home tab."""
    with state.lock:
        existing = state.home(user_id)
        if existing is not None:
            if hash and hash != existing.hash:
                raise ApiError("hash_conflict")
            _claim_external_id(state, definition.get("external_id"), existing.id)
            _redefine(state, existing, definition)
            return existing
        view_id = state.new_id("V")
        _claim_external_id(state, definition.get("external_id"), view_id)
        record = _new_record(
            state, definition, view_id, user_id, root=view_id, previous=None, team_id=team_id
        )
        state.views[view_id] = record
        state.home_views[user_id] = view_id
        return record


def apply_submission_ack(state: SlackState, view_id: str, ack_body: str | bytes) -> None:
    """What Slack does to the stack with the app's HTTP answer to a view_submission.

    Raises:
        AnswerRefused: an answer Slack would not take: not JSON, an unknown
            ``response_action``, ``errors`` not keyed by the view's input block ids, or an
            ``update``/``push`` view Slack refuses. The modal stays as it was and the person
            sees Slack's error, so the test fails here.
    """
    text = ack_body.decode() if isinstance(ack_body, bytes) else ack_body
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        raise AnswerRefused(
            f"a view_submission answer must be empty or JSON: {text[:200]!r}"
        ) from None
    if not isinstance(answer, dict):
        raise AnswerRefused(f"a view_submission answer must be a JSON object: {text[:200]!r}")
    action = answer.get("response_action")
    if action not in RESPONSE_ACTIONS:
        raise AnswerRefused(f"unknown response_action {action!r} (Slack knows {RESPONSE_ACTIONS})")
    with state.lock:
        record = state.views.get(view_id)
        if record is None or record.closed:
            return
        key = record.user_id or ""
        stack = state.modal_stacks.get(key, [])
        if action == "errors":
            _check_errors(record, answer.get("errors"))
        elif action == "clear":
            state.close_modals(key)
        elif action == "update":
            _redefine(state, record, _answered_view(answer, action))
        elif action == "push":
            definition = _answered_view(answer, action)
            try:
                push_modal(state, definition, record.user_id)
            except ApiError as exc:
                raise AnswerRefused(f"response_action push: Slack answers {exc.error}") from exc
        elif view_id in stack:
            stack.remove(view_id)
            record.closed = True
            if not stack:
                state.modal_stacks.pop(key, None)


def _answered_view(answer: JsonDict, action: str) -> JsonDict:
    try:
        return checked_definition(answer.get("view"), expected="modal")
    except ApiError as exc:
        raise AnswerRefused(
            f"response_action {action}: Slack refuses the view: {exc.error} {exc.messages}"
        ) from exc


def _check_errors(record: ViewRecord, errors: Any) -> None:
    """``errors`` maps block ids of the view's input blocks to messages (modals reference)."""
    if not isinstance(errors, dict) or not errors:
        raise AnswerRefused(f"response_action errors needs an object of errors, got {errors!r}")
    inputs = {b.get("block_id") for b in record.blocks if b.get("type") == "input"}
    strangers = sorted(str(k) for k in errors if k not in inputs)
    if strangers:
        raise AnswerRefused(
            f"response_action errors names {strangers}, which are not input blocks of view "
            f"{record.id} (its input blocks: {sorted(str(i) for i in inputs)}); Slack shows "
            "the person an error instead"
        )
    empty = sorted(str(k) for k, v in errors.items() if not isinstance(v, str) or not v)
    if empty:
        raise AnswerRefused(f"response_action errors: no message for {empty}")


def _new_record(
    state: SlackState,
    definition: JsonDict,
    view_id: str,
    user_id: str | None,
    *,
    root: str,
    previous: str | None,
    team_id: str | None = None,
) -> ViewRecord:
    _claim_external_id(state, definition.get("external_id"), view_id)
    return ViewRecord(
        id=view_id,
        team_id=team_id or state.team.id,
        app_id=state.app_id,
        bot_id=state.bot_id,
        type=definition["type"],
        user_id=user_id,
        definition=_stamped(definition, view_id),
        hash=state.new_view_hash(),
        root_view_id=root,
        previous_view_id=previous,
        external_id=str(definition.get("external_id") or ""),
    )


def _redefine(state: SlackState, record: ViewRecord, definition: JsonDict) -> None:
    record.definition = _stamped(definition, record.id)
    record.hash = state.new_view_hash()
    record.external_id = str(definition.get("external_id") or record.external_id)
    # Slack keeps what the user typed into inputs whose block_id/action_id survive an update.
    kept = {b.get("block_id") for b in record.blocks}
    record.values = {k: v for k, v in record.values.items() if k in kept}


def _stamped(definition: JsonDict, view_id: str) -> JsonDict:
    out = dict(definition)
    out["blocks"] = with_generated_ids(list(definition.get("blocks", [])), view_id)
    return out


def _find_shown(state: SlackState, view_id: str | None, external_id: str | None) -> ViewRecord:
    if not view_id and not external_id:
        raise ApiError(
            "invalid_arguments", messages=["[ERROR] either view_id or external_id is required"]
        )
    for record in state.views.values():
        if record.closed:
            continue
        if (view_id and record.id == view_id) or (
            external_id and record.external_id == external_id
        ):
            return record
    raise ApiError("not_found")


def _claim_external_id(state: SlackState, external_id: Any, view_id: str) -> None:
    if not external_id:
        return
    for record in state.views.values():
        if not record.closed and record.external_id == external_id and record.id != view_id:
            raise ApiError("duplicate_external_id")
