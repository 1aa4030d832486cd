"""Block Kit model objects to JSON dicts: slack_sdk's validating ``to_dict``, each object once.

``JsonObject.to_dict`` validates an object and turns its attributes into a dict, calling
``to_dict`` on the objects inside; then it walks every dict those calls returned once more,
copying it, so an element deep in a message is copied once for each level above it. The
dispatcher serialises every message it sends, so :func:`as_dicts` does the same work once per
object: the same validation (each validator ``validate_json`` runs, which raise
``SlackObjectFormationError`` on a broken Slack limit; found once per class), the same
attributes left out when empty, the same result. A class that
defines its own ``to_dict`` (options, confirmation dialogs, ...) is left to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from slack_sdk.models.basic_objects import EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST, JsonObject

# (type, attribute) whose empty list Slack accepts, so it is kept (rich text elements).
_EMPTY_ALLOWED = frozenset((e["type"], e["property"]) for e in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST)


def as_dicts(objects: Iterable[JsonObject]) -> list[dict[str, Any]]:
    """``[o.to_dict() for o in objects]``, validated the same, without copying twice."""
    return [as_dict(o) for o in objects]


def as_dict(obj: JsonObject) -> dict[str, Any]:
    """``obj.to_dict()``: validated, then each non-empty attribute, objects inside as dicts."""
    if _own_to_dict(type(obj)):
        return obj.to_dict()
    _validate(obj)
    kind = getattr(obj, "type", None)
    found: dict[str, Any] = {}
    for key in sorted(obj.attributes):
        value = obj.get_object_attribute(key)
        if value is None:
            continue
        if hasattr(value, "__len__") and len(value) == 0 and (kind, key) not in _EMPTY_ALLOWED:
            continue
        found[key] = _json(value)
    return found


def _validate(obj: JsonObject) -> None:
    """``obj.validate_json()``: run each of its validators, in the same (name) order.

    slack_sdk looks them up again for every object, among its class's names and its own
    attributes (data, never validators); they are its class's methods that ``JsonValidator``
    marked, found once per class here.
    """
    cls = type(obj)
    if cls.validate_json is not JsonObject.validate_json:
        obj.validate_json()
        return
    for name in _validator_names(cls):
        validator = getattr(obj, name)
        if _is_validator(validator):  # an attribute of the same name would hide it
            validator()


@cache
def _validator_names(cls: type[JsonObject]) -> tuple[str, ...]:
    names = (name for name in dir(cls) if not name.startswith("__"))
    return tuple(sorted(name for name in names if _is_validator(getattr(cls, name, None))))


def _is_validator(value: Any) -> bool:
    return callable(value) and hasattr(value, "validator")


def _own_to_dict(cls: type[JsonObject]) -> bool:
    """Whether the class serialises itself its own way (then slack_sdk's path is taken)."""
    return (
        cls.to_dict is not JsonObject.to_dict
        or cls.get_non_null_attributes is not JsonObject.get_non_null_attributes
    )


def _json(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, JsonObject) and not _own_to_dict(type(value)):
        return as_dict(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # as slack_sdk: its dict, walked again
        return {k: _json(v) for k, v in to_dict().items()}
    return value
