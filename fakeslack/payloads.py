"""Interaction payload pieces shaped as Slack sends them: view state values, actions, options.

Tests say what the user chose in plain Python (``"mentor"``, ``date(2026, 3, 2)``,
``["python", "go"]``); these helpers look the element up in the blocks the app rendered and
shape the value as Slack would for that element type. A value for an element the view does
not have, or an option the select does not offer, is a test bug and raises ``ValueError``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from datetime import time as clock_time
from typing import Any

from fakeslack.blockkit import INTERACTIVE_TYPES, elements_of
from fakeslack.records import JsonDict

STATELESS = frozenset({"button", "overflow", "workflow_button"})
STATEFUL = INTERACTIVE_TYPES - STATELESS
_TEXT_VALUE = ("plain_text_input", "email_text_input", "url_text_input", "number_input")
_ONE_OPTION = ("static_select", "external_select", "radio_buttons")
_MANY_OPTIONS = ("multi_static_select", "multi_external_select", "checkboxes")
_SELECTED_ONE = {
    "users_select": ("selected_user", "initial_user"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "channels_select": ("selected_channel", "initial_channel"),
}
_SELECTED_MANY = {
    "multi_users_select": ("selected_users", "initial_users"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
}


def iter_elements(blocks: Iterable[JsonDict]) -> Iterator[tuple[JsonDict, JsonDict]]:
    """Every (block, interactive element) pair in rendered blocks."""
    for block in blocks:
        for _pointer, element in elements_of(block):
            yield block, element


def find_element(
    blocks: Iterable[JsonDict], action_id: str, block_id: str | None = None
) -> tuple[JsonDict, JsonDict] | None:
    """The block and element carrying ``action_id`` (in ``block_id`` when given)."""
    for block, element in iter_elements(blocks):
        if element.get("action_id") == action_id and block_id in (None, block.get("block_id")):
            return block, element
    return None


def shape_value(element: JsonDict, value: Any) -> JsonDict:
    """The ``state.values`` entry Slack sends for ``element`` holding ``value``.

    A mapping that already has a ``type`` is taken as shaped.
    """
    if isinstance(value, Mapping) and "type" in value:
        return dict(value)
    kind = str(element.get("type"))
    out: JsonDict = {"type": kind}
    if kind in _TEXT_VALUE:
        out["value"] = None if value is None else str(value)
    elif kind in _ONE_OPTION:
        out["selected_option"] = None if value is None else option_for(element, value)
    elif kind in _MANY_OPTIONS:
        out["selected_options"] = [option_for(element, v) for v in value or []]
    elif kind == "datepicker":
        out["selected_date"] = value.isoformat() if isinstance(value, date) else value
    elif kind == "timepicker":
        out["selected_time"] = value.strftime("%H:%M") if isinstance(value, clock_time) else value
    elif kind == "datetimepicker":
        out["selected_date_time"] = int(value.timestamp()) if isinstance(value, datetime) else value
    elif kind in _SELECTED_ONE:
        out[_SELECTED_ONE[kind][0]] = value
    elif kind in _SELECTED_MANY:
        out[_SELECTED_MANY[kind][0]] = list(value or [])
    elif kind == "rich_text_input":
        out["rich_text_value"] = value
    else:
        out["value"] = value
    return out


def initial_value(element: JsonDict) -> JsonDict:
    """The state entry of an element the user left alone (its initial value, or empty)."""
    kind = str(element.get("type"))
    out: JsonDict = {"type": kind}
    if kind in _TEXT_VALUE:
        out["value"] = element.get("initial_value")
    elif kind in _ONE_OPTION:
        out["selected_option"] = copy.deepcopy(element.get("initial_option"))
    elif kind in _MANY_OPTIONS:
        out["selected_options"] = copy.deepcopy(element.get("initial_options") or [])
    elif kind == "datepicker":
        out["selected_date"] = element.get("initial_date")
    elif kind == "timepicker":
        out["selected_time"] = element.get("initial_time")
    elif kind == "datetimepicker":
        out["selected_date_time"] = element.get("initial_date_time")
    elif kind in _SELECTED_ONE:
        field, initial = _SELECTED_ONE[kind]
        out[field] = element.get(initial)
    elif kind in _SELECTED_MANY:
        field, initial = _SELECTED_MANY[kind]
        out[field] = list(element.get(initial) or [])
    elif kind == "rich_text_input":
        out["rich_text_value"] = copy.deepcopy(element.get("initial_value"))
    else:
        out["value"] = element.get("initial_value")
    return out


def option_for(element: JsonDict, value: Any) -> JsonDict:
    """The option object Slack reports for a choice, as the element offered it."""
    if isinstance(value, Mapping):
        return dict(value)
    wanted = str(value)
    offered = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        offered.extend(group.get("options") or [])
    for option in offered:
        if option.get("value") == wanted:
            return copy.deepcopy(option)
    if str(element.get("type")).endswith("external_select"):
        return {"text": {"type": "plain_text", "text": wanted, "emoji": True}, "value": wanted}
    raise ValueError(f"{element.get('action_id')!r} offers no option with value {wanted!r}")


def state_values(
    blocks: Iterable[JsonDict],
    chosen: Mapping[str, Any] | None = None,
    previous: Mapping[str, Mapping[str, JsonDict]] | None = None,
) -> dict[str, dict[str, JsonDict]]:
    """``state.values`` for rendered blocks: every stateful element, keyed block_id/action_id.

    ``chosen`` maps ``block_id -> {action_id: value}`` or, more simply, ``action_id -> value``.
    Elements not chosen keep ``previous`` state, else their initial value.
    """
    blocks = list(blocks)
    wanted = _by_element(blocks, chosen or {})
    out: dict[str, dict[str, JsonDict]] = {}
    for block, element in iter_elements(blocks):
        if element.get("type") not in STATEFUL:
            continue
        block_id, action_id = str(block.get("block_id")), str(element.get("action_id"))
        key = (block_id, action_id)
        if key in wanted:
            entry = shape_value(element, wanted[key])
        elif previous and action_id in previous.get(block_id, {}):
            entry = dict(previous[block_id][action_id])
        else:
            entry = initial_value(element)
        out.setdefault(block_id, {})[action_id] = entry
    return out


def _by_element(blocks: list[JsonDict], chosen: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    pairs = {(str(b.get("block_id")), str(e.get("action_id"))) for b, e in iter_elements(blocks)}
    block_ids = {b for b, _ in pairs}
    out: dict[tuple[str, str], Any] = {}
    for key, value in chosen.items():
        if key in block_ids and isinstance(value, Mapping) and "type" not in value:
            for action_id, inner in value.items():
                if (key, action_id) not in pairs:
                    raise ValueError(f"block {key!r} has no element {action_id!r}")
                out[(key, action_id)] = inner
            continue
        matches = [pair for pair in pairs if pair[1] == key]
        if len(matches) != 1:
            raise ValueError(f"no single element with action_id {key!r} in these blocks")
        out[matches[0]] = value
    return out
