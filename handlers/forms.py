"""Turn a modal's ``state.values`` into plain Python values, in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from blocks.ids import Field
from blocks.text import escape
from mentoring.core.errors import InvalidInput


def state_values(view: dict[str, Any]) -> dict[str, Any]:
    """``{block_id: value}`` for every input in the view, whatever its element type."""
    values: dict[str, Any] = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        for element in actions.values():
            values[block_id] = _element_value(element)
    return values


def _element_value(element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        selected = element.get("selected_option")
        return selected["value"] if selected else None
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return [o["value"] for o in element.get("selected_options") or []]
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "timepicker":
        return element.get("selected_time")
    if kind in ("users_select",):
        return element.get("selected_user")
    return element.get("value")


def initial_values(view: dict[str, Any]) -> dict[str, Any]:
    """``{block_id: value}`` of every input as the view was opened, shaped like state_values.

    A submitted view still carries its blocks with their initial values, so comparing the two
    tells what the person changed.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks") or []:
        element = block.get("element")
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        values[str(block.get("block_id"))] = _initial_value(element)
    return values


def _initial_value(element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        chosen = element.get("initial_option")
        return chosen["value"] if chosen else None
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return [o["value"] for o in element.get("initial_options") or []]
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "timepicker":
        return element.get("initial_time")
    if kind in ("users_select",):
        return element.get("initial_user")
    return element.get("initial_value")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    raw = view.get("private_metadata") or "{}"
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True, slots=True)
class DeclineForm:
    """A submitted decline form: the chosen reason, the note, what else it asked."""

    reason: str
    note: str
    values: dict[str, Any]

    @classmethod
    def of(cls, view: dict[str, Any]) -> DeclineForm:
        values = state_values(view)
        return cls(str(values.get(Field.REASON) or ""), text(values, Field.NOTE), values)

    @staticmethod
    def said(reason: str | None) -> str:
        """The confirmation that replaces the form once the decline is saved."""
        return f"Declined. They'll see your reason: _{escape(reason or '')}_."


def text(values: dict[str, Any], key: str) -> str:
    return str(values.get(key) or "").strip()


def split_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def id_number(raw: object, default: int = 0) -> int:
    """The number a button value or stored id carries; ``default`` (matching nothing) if none.

    Values come back from Slack as we sent them, but a forged payload can carry anything: a
    value that is not a number simply finds no request, meeting or page.
    """
    try:
        return int(str(raw))
    except ValueError:
        return default


def integer(values: dict[str, Any], key: str) -> int | None:
    raw = values.get(key)
    if raw in (None, ""):
        return None
    try:
        return int(str(raw))
    except ValueError as exc:
        raise InvalidInput("Enter a whole number.", field=key) from exc


def local_day_start(raw: str | None, tz: str, field: str) -> datetime | None:
    """A datepicker's day as the start of that day in the person's timezone, in UTC."""
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput("Pick a date from the calendar.", field=field) from exc
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(tz)).astimezone(UTC)
