"""Block elements, options and text objects checked the way Slack checks them.

``slack_sdk``'s block models keep a select's options as plain dicts and skip an element type
they do not know (with a log line), so the fake parses those pieces itself with the SDK's own
``BlockElement``/``Option``/``OptionGroup`` models and serialises them (``to_dict()`` runs
``validate_json()``), then adds the rules of Slack's Block Kit reference the SDK leaves out:

- an ``initial_option``/``initial_options`` must be among the element's options;
- a plain_text_input's ``initial_value`` may not exceed its own ``max_length`` (1 to 3000;
  ``min_length`` 0 to 3000);
- a number_input says whether decimals are allowed (``is_decimal_allowed`` is required), and
  its ``min_value`` is not greater than its ``max_value``;
- a multi-select's ``max_selected_items`` is at least 1;
- checkboxes and radio buttons offer at most 10 options;
- a confirm dialog has all of ``title``, ``text``, ``confirm`` and ``deny``;
- an option's ``description`` holds at most 75 characters (plain_text in selects and
  overflow menus), and only an overflow menu's options may have a ``url``;
- button text, placeholders, labels, hints, headers, confirm dialogs and select options are
  ``plain_text`` only; no text object may be empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import BlockElement, Option, OptionGroup

SDK_COMPLAINTS = (SlackObjectFormationError, TypeError, KeyError, AttributeError, ValueError)
MAX_INPUT_LENGTH = 3000
MAX_CHOICES = {"checkboxes": 10, "radio_buttons": 10}
STATIC_CHOICE = frozenset(
    {"static_select", "multi_static_select", "checkboxes", "radio_buttons", "overflow"}
)
PLAIN_ONLY_OPTIONS = frozenset({"static_select", "multi_static_select", "overflow"})
PLAIN_ONLY_KEYS = ("placeholder",)
MAX_OPTION_TEXT = 75  # an option's text, and the text of its description
CONFIRM_KEYS = ("title", "text", "confirm", "deny")  # all required, all plain_text


def element_problems(element: Any, pointer: str) -> list[str]:
    """What Slack would say about one block element (empty when it is valid)."""
    if not isinstance(element, dict):
        return [f"must provide an object [json-pointer:{pointer}]"]
    try:
        parsed = BlockElement.parse(element)
    except SDK_COMPLAINTS as exc:
        return [f"{exc} [json-pointer:{pointer}]"]
    if parsed is None:
        return [f"unsupported type: {element.get('type')} [json-pointer:{pointer}/type]"]
    problems = [
        f"invalid additional property: {key} [json-pointer:{pointer}]"
        for key in element
        if key not in parsed.attributes
    ]
    problems.extend(_option_problems(element, pointer))
    problems.extend(_input_problems(element, pointer))
    if element.get("type") == "button":
        problems.extend(plain_text_problems(element.get("text"), f"{pointer}/text"))
    for key in PLAIN_ONLY_KEYS:
        if key in element:
            problems.extend(plain_text_problems(element[key], f"{pointer}/{key}"))
    confirm = element.get("confirm")
    if isinstance(confirm, dict):
        for key in CONFIRM_KEYS:
            if key not in confirm:
                problems.append(f"missing required field: {key} [json-pointer:{pointer}/confirm]")
            problems.extend(plain_text_problems(confirm.get(key), f"{pointer}/confirm/{key}"))
    most = element.get("max_selected_items")
    if str(element.get("type")).startswith("multi_") and isinstance(most, int) and most < 1:
        problems.append(f"must be at least 1 [json-pointer:{pointer}/max_selected_items]")
    return problems


def plain_text_problems(text: Any, pointer: str) -> list[str]:
    """A text object that must be ``plain_text`` (when present)."""
    if isinstance(text, dict) and text.get("type") != "plain_text":
        return [f"must be a plain_text text object [json-pointer:{pointer}/type]"]
    return []


def empty_text_problems(node: Any, pointer: str) -> list[str]:
    """Every text object under ``node`` with an empty ``text``."""
    return [
        f"must be more than 0 characters [json-pointer:{where}/text]"
        for where, text in _text_objects(node, pointer)
        if text.get("text") == ""
    ]


def _text_objects(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
            yield pointer, node
            return
        for key, value in node.items():
            yield from _text_objects(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_objects(value, f"{pointer}/{i}")


def _option_problems(element: dict[str, Any], pointer: str) -> list[str]:
    kind = str(element.get("type"))
    problems: list[str] = []
    offered: list[dict[str, Any]] = []
    for i, option in enumerate(element.get("options") or []):
        problems.extend(_option_object(option, f"{pointer}/options/{i}", kind))
        offered.append(option)
    for i, group in enumerate(element.get("option_groups") or []):
        where = f"{pointer}/option_groups/{i}"
        try:
            OptionGroup(**group).to_dict()
        except SDK_COMPLAINTS as exc:
            problems.append(f"{exc} [json-pointer:{where}]")
            continue
        for j, option in enumerate(group.get("options") or []):
            problems.extend(_option_object(option, f"{where}/options/{j}", kind))
            offered.append(option)
    limit = MAX_CHOICES.get(kind)
    if limit is not None and len(offered) > limit:
        problems.append(f"no more than {limit} items allowed [json-pointer:{pointer}/options]")
    if kind not in STATIC_CHOICE:
        return problems
    chosen: list[tuple[str, Any]] = []
    if "initial_option" in element:
        chosen.append((f"{pointer}/initial_option", element["initial_option"]))
    for i, option in enumerate(element.get("initial_options") or []):
        chosen.append((f"{pointer}/initial_options/{i}", option))
    keys = {_option_key(o) for o in offered}
    for where, option in chosen:
        if _option_key(option) not in keys:
            problems.append(f"must match one of the element's options [json-pointer:{where}]")
    return problems


def _option_object(option: Any, pointer: str, kind: str) -> list[str]:
    if not isinstance(option, dict):
        return [f"must provide an object [json-pointer:{pointer}]"]
    try:
        Option(**option).to_dict()
    except SDK_COMPLAINTS as exc:
        return [f"{exc} [json-pointer:{pointer}]"]
    problems: list[str] = []
    if kind in PLAIN_ONLY_OPTIONS:
        for key in ("text", "description"):
            problems.extend(plain_text_problems(option.get(key), f"{pointer}/{key}"))
    description = option.get("description")
    if isinstance(description, dict) and len(str(description.get("text", ""))) > MAX_OPTION_TEXT:
        problems.append(
            f"must be less than {MAX_OPTION_TEXT + 1} characters "
            f"[json-pointer:{pointer}/description/text]"
        )
    if "url" in option and kind != "overflow":
        problems.append(f"url is only available in overflow menus [json-pointer:{pointer}/url]")
    return problems


def _option_key(option: Any) -> tuple[Any, ...]:
    """What makes two option objects the same option (Slack wants an exact match)."""
    if not isinstance(option, dict):
        return (repr(option),)
    text = option.get("text")
    if not isinstance(text, dict):
        return (option.get("value"), None, text)
    return (option.get("value"), text.get("type"), text.get("text"))


def _input_problems(element: dict[str, Any], pointer: str) -> list[str]:
    if element.get("type") == "number_input":
        return _number_problems(element, pointer)
    if element.get("type") != "plain_text_input":
        return []
    problems: list[str] = []
    for key, least in (("max_length", 1), ("min_length", 0)):
        value = element.get(key)
        if isinstance(value, int) and value > MAX_INPUT_LENGTH:
            problems.append(
                f"must be less than {MAX_INPUT_LENGTH + 1} [json-pointer:{pointer}/{key}]"
            )
        elif isinstance(value, int) and value < least:
            problems.append(f"must be at least {least} [json-pointer:{pointer}/{key}]")
    initial = element.get("initial_value")
    limit = element.get("max_length")
    limit = limit if isinstance(limit, int) else MAX_INPUT_LENGTH
    if isinstance(initial, str) and len(initial) > limit:
        problems.append(
            f"initial_value is {len(initial)} characters, more than max_length {limit} "
            f"[json-pointer:{pointer}/initial_value]"
        )
    return problems


def _number_problems(element: dict[str, Any], pointer: str) -> list[str]:
    problems: list[str] = []
    if "is_decimal_allowed" not in element:
        problems.append(f"missing required field: is_decimal_allowed [json-pointer:{pointer}]")
    low, high = _number(element.get("min_value")), _number(element.get("max_value"))
    if low is not None and high is not None and low > high:
        problems.append(
            f"min_value {element['min_value']} is greater than max_value {element['max_value']} "
            f"[json-pointer:{pointer}/min_value]"
        )
    return problems


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
