"""views.open, views.push, views.update and views.publish."""

from __future__ import annotations

from fakeslack import surfaces
from fakeslack.errors import ApiError
from fakeslack.methods._base import Call, Handler
from fakeslack.records import JsonDict


def _trigger_user(call: Call) -> str | None:
    trigger_id = call.text("trigger_id") or call.text("interactivity_pointer")
    if not trigger_id:
        raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: trigger_id"])
    return call.state.exchange_trigger(trigger_id)


def _team(call: Call) -> str:
    """The workspace the caller's token belongs to (views carry it, as Slack's do)."""
    return call.state.oauth_team(call.token).id


def views_open(call: Call) -> JsonDict:
    """Open a modal with a fresh, unused trigger_id (they live 3 seconds)."""
    definition = surfaces.checked_definition(call.json("view"), expected="modal")
    user_id = _trigger_user(call)
    return {
        "view": surfaces.open_modal(call.state, definition, user_id, team_id=_team(call)).to_api()
    }


def views_push(call: Call) -> JsonDict:
    """Push a modal onto the open stack of the trigger's user."""
    definition = surfaces.checked_definition(call.json("view"), expected="modal")
    user_id = _trigger_user(call)
    return {
        "view": surfaces.push_modal(call.state, definition, user_id, team_id=_team(call)).to_api()
    }


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
    """Publish a user's Home tab."""
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
