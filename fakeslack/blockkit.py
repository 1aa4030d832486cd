"""Block Kit checks the way Slack makes them, with the limits taken from ``slack_sdk.models``.

Slack rejects a bad message with ``invalid_blocks`` and a bad view with ``invalid_arguments``;
both carry ``response_metadata.messages`` lines like
``[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]``. The SDK's
serialiser (``to_dict()``) validates an object and everything inside it, so the limits (3000
characters of section text, 75 of button text, 100 options, 24 of modal title, ...) are the
SDK's; this module adds what the SDK only warns about or does not check (unknown block types,
unknown properties, text given as a bare string, duplicate ids, ``submit`` for input modals,
the 2000 characters of each section field).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

# A limit exceeded raises SlackObjectFormationError; a malformed shape (a missing required
# argument, a string where an object belongs) surfaces as one of the built-in errors.
from fakeslack.elements import (
    SDK_COMPLAINTS,
    element_problems,
    empty_text_problems,
    plain_text_problems,
)

MAX_MESSAGE_BLOCKS = 50
MAX_EXTERNAL_ID = 255  # views.open: external_id "has a max length of 255 characters"
APP_VIEW_KEYS = (
    "type",
    "title",
    "submit",
    "close",
    "blocks",
    "private_metadata",
    "callback_id",
    "clear_on_close",
    "notify_on_close",
    "external_id",
    "submit_disabled",
)
# What Slack adds to a view it returns; an app that sends a view back as it got it is let be.
SLACK_VIEW_KEYS = frozenset(
    {"id", "team_id", "state", "hash", "root_view_id", "previous_view_id", "app_id"}
    | {"app_installed_team_id", "bot_id"}
)
MAX_VIEW_BLOCKS = 100
MAX_FIELD_TEXT = 2000  # section block: "Maximum length for the text in each item is 2000"

INTERACTIVE_TYPES = frozenset(
    {
        "button",
        "checkboxes",
        "radio_buttons",
        "overflow",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "rich_text_input",
        "file_input",
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "workflow_button",
    }
)
# Which elements each block holds, as Slack's own types list them (@slack/types on
# docs.slack.dev: ActionsBlockElement, SectionBlockAccessory, InputBlockElement,
# ContextBlockElement).
_SELECTS = frozenset(
    f"{multi}{kind}_select"
    for multi in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
)
_HOLDS = {
    ("actions", "elements"): _SELECTS
    | {"button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons"}
    | {"timepicker", "workflow_button", "rich_text_input"},
    ("section", "accessory"): _SELECTS
    | {"button", "checkboxes", "datepicker", "image", "overflow", "radio_buttons"}
    | {"timepicker", "workflow_button"},
    ("input", "element"): _SELECTS
    | {"checkboxes", "datepicker", "datetimepicker", "email_text_input", "file_input"}
    | {"number_input", "plain_text_input", "radio_buttons", "rich_text_input", "timepicker"}
    | {"url_text_input"},
    ("context", "elements"): frozenset({"image", "plain_text", "mrkdwn"}),
}
_BLOCK_TEXT_KEYS = {
    "section": ("text",),
    "header": ("text",),
    "input": ("label", "hint"),
    "image": ("title",),
}
_ELEMENT_TEXT_KEYS = ("text", "placeholder")
# Text that Slack takes as plain_text only (Block Kit reference: header, input, image blocks).
_PLAIN_BLOCK_TEXT = {"header": ("text",), "input": ("label", "hint"), "image": ("title",)}
_PLAIN_VIEW_TEXT = ("title", "submit", "close")
_VIEW_POINTERS = (
    ("title", "/view/title/text"),
    ("private_metadata", "/view/private_metadata"),
    ("callback_id", "/view/callback_id"),
    ("external_id", "/view/external_id"),
    ("submit", "/view/submit/text"),
    ("close", "/view/close/text"),
    ("blocks", "/view/blocks"),
)


def _known_block_types() -> frozenset[str]:
    found: set[str] = set()
    pending: list[type[Block]] = [Block]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        kind = getattr(cls, "type", None)
        if isinstance(kind, str):
            found.add(kind)
    return frozenset(found)


# Block.parse logs a warning and returns None for types it does not know: ask first.
KNOWN_BLOCK_TYPES = _known_block_types()


def decode_json(value: Any) -> Any:
    """A JSON argument as Slack accepts it: already decoded (JSON body) or a JSON string (form).

    Raises:
        ValueError: the string is not JSON.
    """
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def elements_of(block: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Interactive elements of a block, each with its JSON pointer relative to the block."""
    for j, element in enumerate(block.get("elements") or []):
        if isinstance(element, dict) and element.get("type") in INTERACTIVE_TYPES:
            yield f"/elements/{j}", element
    for key in ("element", "accessory"):
        element = block.get(key)
        if isinstance(element, dict) and element.get("type") in INTERACTIVE_TYPES:
            yield f"/{key}", element


def message_block_problems(blocks: Any) -> list[str]:
    """What Slack would say about a message's ``blocks`` (empty when they are valid)."""
    if not isinstance(blocks, list):
        return ["must provide an array [json-pointer:/blocks]"]
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        return [f"no more than {MAX_MESSAGE_BLOCKS} items allowed [json-pointer:/blocks]"]
    return _blocks_problems(blocks, "/blocks")


_DIVIDER = {"type": "divider"}


def view_problems(view: Any) -> list[str]:
    """What Slack would say about a view definition (empty when it is valid)."""
    if not isinstance(view, dict):
        return ["must provide an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [f"unsupported type: {kind} [json-pointer:/view/type]"]
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        return ["missing required field: blocks [json-pointer:/view]"]
    if len(blocks) > MAX_VIEW_BLOCKS:
        return [f"no more than {MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]"]
    problems = _blocks_problems(blocks, "/view/blocks")
    problems.extend(
        f"invalid additional property: {key} [json-pointer:/view]"
        for key in view
        if key not in APP_VIEW_KEYS and key not in SLACK_VIEW_KEYS
    )
    external_id = view.get("external_id")
    if isinstance(external_id, str) and len(external_id) > MAX_EXTERNAL_ID:
        problems.append(
            f"must be at most {MAX_EXTERNAL_ID} characters [json-pointer:/view/external_id]"
        )
    if kind == "modal":
        if not isinstance(view.get("title"), dict):
            problems.append("missing required field: title [json-pointer:/view]")
        for i, block in enumerate(blocks):
            if isinstance(block, dict) and block.get("type") == "input" and not view.get("submit"):
                problems.append(
                    "must define `submit` to use an `input` block in modals "
                    f"[json-pointer:/view/blocks/{i}/input]"
                )
                break
    for key in _PLAIN_VIEW_TEXT:
        problems.extend(plain_text_problems(view.get(key), f"/view/{key}"))
    problems.extend(empty_text_problems({k: view.get(k) for k in _PLAIN_VIEW_TEXT}, "/view"))
    if problems:
        return problems
    shell = {k: v for k, v in view.items() if k != "blocks"}
    # The view's own limits. Its blocks passed the SDK's checks above, one by one, and their
    # number too: one divider stands in for them (an empty list still fails as Slack fails it).
    stand_in = [_DIVIDER] if blocks else []
    try:
        View(**shell, blocks=stand_in).to_dict()
    except SDK_COMPLAINTS as exc:
        message = str(exc)
        pointer = next((p for word, p in _VIEW_POINTERS if word in message), "/view")
        problems.append(f"{message} [json-pointer:{pointer}]")
    return problems


def with_generated_ids(blocks: list[dict[str, Any]], seed: str) -> list[dict[str, Any]]:
    """A copy of ``blocks`` where missing block_id/action_id are filled in, as Slack does.

    Slack invents short random ids; the fake derives them from ``seed`` and the position so
    that a test sees the same ids on every run.
    """
    out = copy.deepcopy(blocks)
    for i, block in enumerate(out):
        if not block.get("block_id"):
            block["block_id"] = _short_id(f"{seed}/{i}")
        for pointer, element in elements_of(block):
            if not element.get("action_id"):
                element["action_id"] = _short_id(f"{seed}/{i}{pointer}")
    return out


def _short_id(seed: str) -> str:
    return hashlib.blake2s(seed.encode(), digest_size=4).hexdigest()[:5]


def _blocks_problems(blocks: list[Any], base: str) -> list[str]:
    problems: list[str] = []
    seen_block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        pointer = f"{base}/{i}"
        problems.extend(_block_problems(block, pointer))
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id:
            if block_id in seen_block_ids:
                problems.append(f"duplicate block_id: {block_id} [json-pointer:{pointer}/block_id]")
            seen_block_ids.add(block_id)
    return problems


def _block_problems(block: Any, pointer: str) -> list[str]:
    if not isinstance(block, dict):
        return [f"must provide an object [json-pointer:{pointer}]"]
    try:
        text = json.dumps(block)
    except (TypeError, ValueError):
        return _check_block(block, pointer)
    return list(_checked(text, pointer))


@functools.lru_cache(maxsize=4096)
def _checked(text: str, pointer: str) -> tuple[str, ...]:
    """What Slack says about the block serialised as ``text`` at ``pointer``: apps send the
    same blocks again and again (a modal's filters, a Home tab's sections), and checking one
    takes the SDK a parse and a validating serialisation."""
    return tuple(_check_block(json.loads(text), pointer))


def _check_block(block: dict[str, Any], pointer: str) -> list[str]:
    if block.get("type") not in KNOWN_BLOCK_TYPES:
        return [f"unsupported type: {block.get('type')} [json-pointer:{pointer}/type]"]
    try:
        parsed = Block.parse(block)
    except SDK_COMPLAINTS as exc:
        return [f"{exc} [json-pointer:{pointer}]"]
    if parsed is None:
        return [f"unsupported type: {block.get('type')} [json-pointer:{pointer}/type]"]
    problems = [
        f"invalid additional property: {key} [json-pointer:{pointer}]"
        for key in block
        if key not in parsed.attributes
    ]
    problems.extend(_text_shape_problems(block, pointer))
    problems.extend(_placement_problems(block, pointer))
    if problems:
        return problems
    try:
        parsed.to_dict()
    except SDK_COMPLAINTS as exc:
        return [f"{exc} [json-pointer:{pointer}]"]
    for element_pointer, element in _elements(block):
        problems.extend(element_problems(element, f"{pointer}{element_pointer}"))
    for key in _PLAIN_BLOCK_TEXT.get(str(block.get("type")), ()):
        problems.extend(plain_text_problems(block.get(key), f"{pointer}/{key}"))
    problems.extend(empty_text_problems(block, pointer))
    seen_action_ids: set[str] = set()
    for element_pointer, element in elements_of(block):
        action_id = element.get("action_id")
        if action_id:
            if action_id in seen_action_ids:
                problems.append(
                    f'`action_id` "{action_id}" already exists '
                    f"[json-pointer:{pointer}{element_pointer}/action_id]"
                )
            seen_action_ids.add(action_id)
    return problems


def _elements(block: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every block element of a block (known or not): actions' elements, an accessory, an
    input's element. Context and rich_text blocks hold other things (text objects, images,
    rich text) that the block's own SDK model checks."""
    if block.get("type") == "actions":
        for j, element in enumerate(block.get("elements") or []):
            yield f"/elements/{j}", element
    if "accessory" in block:
        yield "/accessory", block["accessory"]
    if block.get("type") == "input" and "element" in block:
        yield "/element", block["element"]


def _placement_problems(block: dict[str, Any], pointer: str) -> list[str]:
    """Elements in a block that does not hold their type (a text input in an actions block)."""
    kind = str(block.get("type"))
    problems: list[str] = []
    for (holder, key), allowed in _HOLDS.items():
        value = block.get(key) if holder == kind else None
        held = (
            [(f"/{key}/{j}", e) for j, e in enumerate(value)]
            if isinstance(value, list)
            else [(f"/{key}", value)]
        )
        problems.extend(
            f"{element.get('type')} is not allowed in {kind} blocks "
            f"[json-pointer:{pointer}{where}/type]"
            for where, element in held
            if isinstance(element, dict) and element.get("type") not in allowed
        )
    return problems


def _text_shape_problems(block: dict[str, Any], pointer: str) -> list[str]:
    problems = [
        f"must provide an object [json-pointer:{pointer}/{key}]"
        for key in _BLOCK_TEXT_KEYS.get(str(block.get("type")), ())
        if key in block and not isinstance(block[key], dict)
    ]
    for j, field in enumerate(block.get("fields") or []):
        if not isinstance(field, dict):
            problems.append(f"must provide an object [json-pointer:{pointer}/fields/{j}]")
        elif isinstance(field.get("text"), str) and len(field["text"]) > MAX_FIELD_TEXT:
            problems.append(
                f"must be less than {MAX_FIELD_TEXT + 1} characters "
                f"[json-pointer:{pointer}/fields/{j}/text]"
            )
    for element_pointer, element in elements_of(block):
        problems.extend(
            f"must provide an object [json-pointer:{pointer}{element_pointer}/{key}]"
            for key in _ELEMENT_TEXT_KEYS
            if key in element and not isinstance(element[key], dict)
        )
    return problems
