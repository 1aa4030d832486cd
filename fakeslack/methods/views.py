"""views.open, views.push, views.update and views.publish."""

from __future__ import annotations

from fakeslack import surfaces
from fakeslack.errors import ApiError
from fakeslack.methods._base import Call, Handler
from fakeslack.records import JsonDict
from fakeslack.triggers import Trigger, refuse_open_over_modal, refuse_push


def _trigger(call: Call) -> Trigger:
    trigger_id = call.text("trigger_id") or call.text("interactivity_pointer")
    if not trigger_id:
        raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: trigger_id"])
    return call.state.exchange_trigger(trigger_id)


def _team(call: Call) -> str:
    """The workspace the caller's token belongs to (views carry it, as Slack's do)."""
    return call.state.oauth_team(call.token).id


def views_open(call: Call) -> JsonDict:
    """Open a modal with a fresh, unused trigger_id (they live 3 seconds).

    A trigger from inside a modal that is still open is used up and refused (see
    fakeslack.triggers): the supported answers there are views.push and views.update.
    """
    state = call.state
    definition = surfaces.checked_definition(call.json("view"), expected="modal")
    trigger = _trigger(call)
    if trigger.from_modal and not state.allow_open_over_modal:
        shown = state.view(trigger.view_id or "")
        if shown is not None and not shown.closed:
            refuse_open_over_modal(trigger)
    record = surfaces.open_modal(state, definition, trigger.user_id, team_id=_team(call))
    return {"view": record.to_api()}


def views_push(call: Call) -> JsonDict:
    """Push a modal onto the open stack the trigger came from (at most three views deep)."""
    state = call.state
    definition = surfaces.checked_definition(call.json("view"), expected="modal")
    trigger = _trigger(call)
    stack = state.modal_stacks.get(trigger.user_id or "", [])
    if not state.allow_push_from_elsewhere and not (
        trigger.from_modal and trigger.view_id in stack
    ):
        refuse_push(trigger, stack)
    record = surfaces.push_modal(state, definition, trigger.user_id, team_id=_team(call))
    return {"view": record.to_api()}


def views_update(call: Call) -> JsonDict:
    """Replace a shown view by view_id or external_id, guarded by ``hash`` when sent."""
    definition = surfaces.checked_definition(call.json("view"))
    record = surfaces.update_view(
        call.state,
        definition,
        view_id=call.text("view_id"),
        external_id=call.text("external_id"),
        hash=call.text("hash"),
    )
    return {"view": record.to_api()}


def views_publish(call: Call) -> JsonDict:
    """Publish a user's Home tab (``not_enabled`` when the app's Home tab is off)."""
    if not call.state.home_tab:
        raise ApiError("not_enabled")
    user_id = call.text("user_id")
    if not user_id or call.state.user(user_id) is None:
        raise ApiError("invalid_arguments", messages=["[ERROR] invalid `user_id`"])
    definition = surfaces.checked_definition(call.json("view"), expected="home")
    record = surfaces.publish_home(
        call.state, definition, user_id, call.text("hash"), team_id=_team(call)
    )
    return {"view": record.to_api()}


METHODS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
