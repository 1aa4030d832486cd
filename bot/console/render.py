"""Block Kit as readable terminal text, with every control numbered so it can be used."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]

MENTION = re.compile(r"<@([A-Z0-9]+)>")
CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")
DATE = re.compile(r"<!date\^(\d+)\^([^|>]*)\|([^>]*)>")
EMOJI = re.compile(r":([a-z0-9_+-]+):")
EMOJI_TEXT = {
    "white_check_mark": "✓",
    "tada": "🎉",
    "handshake": "🤝",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "no_entry_sign": "✗",
    "lock": "🔒",
    "wave": "👋",
    "mag": "🔍",
    "warning": "⚠",
    "rotating_light": "🚨",
    "double_vertical_bar": "⏸",
    "leftwards_arrow_with_hook": "↩",
    "bell": "🔔",
    "information_source": "ℹ",
    "calendar": "📅",
    "alarm_clock": "⏰",
    "seedling": "🌱",
}
SELECTS = frozenset({"static_select", "radio_buttons", "checkboxes", "multi_static_select"})
BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


@dataclass
class Control:
    """A numbered thing a person can press or fill."""

    number: int
    kind: str  # "button", "input"
    label: str
    block_id: str | None
    element: Json
    block: Json


@dataclass
class Screen:
    lines: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)

    def add_control(self, kind: str, label: str, block: Json, element: Json) -> int:
        number = len(self.controls) + 1
        self.controls.append(Control(number, kind, label, block.get("block_id"), element, block))
        return number


def mrkdwn(text: str, name_of: Callable[[str], str]) -> str:
    """Slack's markup as plain text: mentions by name, dates by their fallback, entities."""
    text = MENTION.sub(lambda m: "@" + name_of(m.group(1)), text)
    text = CHANNEL.sub(lambda m: f"#conversation-{m.group(1)}", text)
    text = DATE.sub(_date, text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = BOLD.sub(r"\1", text)
    text = EMOJI.sub(lambda m: EMOJI_TEXT.get(m.group(1), ""), text)
    return html.unescape(text)


def _date(match: re.Match[str]) -> str:
    """A date by itself as a day; a date and time by its fallback, which names its zone."""
    if "{time" in match.group(2):
        return match.group(3)
    return datetime.fromtimestamp(int(match.group(1)), tz=UTC).strftime("%a %d %b %Y")


def _text(obj: Json | None, name_of: Callable[[str], str]) -> str:
    if not obj:
        return ""
    return mrkdwn(str(obj.get("text", "")), name_of)


def render_blocks(
    blocks: list[Json],
    screen: Screen,
    name_of: Callable[[str], str],
    values: dict[str, Any] | None = None,
) -> None:
    """Append the blocks to ``screen``: text as lines, buttons and inputs as numbered controls."""
    values = values or {}
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            screen.lines.append(f"== {_text(block.get('text'), name_of)} ==")
        elif kind == "section":
            if block.get("text"):
                screen.lines.extend(_text(block["text"], name_of).splitlines())
            for f in block.get("fields") or []:
                screen.lines.append(_text(f, name_of))
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                label = _text(accessory.get("text"), name_of)
                number = screen.add_control("button", label, block, accessory)
                screen.lines.append(f"    [{number}] {label}")
        elif kind == "context":
            parts = [_text(e, name_of) for e in block.get("elements", []) if "text" in e]
            screen.lines.append("  · " + " · ".join(parts))
        elif kind == "divider":
            screen.lines.append("-" * 40)
        elif kind == "actions":
            buttons = []
            for element in block.get("elements", []):
                if element.get("type") in SELECTS:
                    # A choice that acts at once (a filter): filled like an input.
                    screen.lines.extend(_choice(block, element, screen, name_of))
                    continue
                label = _text(element.get("text"), name_of)
                number = screen.add_control("button", label, block, element)
                buttons.append(f"[{number}] {label}")
            if buttons:
                screen.lines.append("    " + "   ".join(buttons))
        elif kind == "input":
            screen.lines.extend(_input(block, screen, name_of, values))


def _input(
    block: Json, screen: Screen, name_of: Callable[[str], str], values: dict[str, Any]
) -> list[str]:
    element = block["element"]
    label = _text(block.get("label"), name_of)
    number = screen.add_control("input", label, block, element)
    current = values.get(block.get("block_id", ""), _initial(element))
    optional = " (optional)" if block.get("optional") else ""
    lines = [f"  ({number}) {label}{optional}: {format_value(element, current)}"]
    options = [o["text"]["text"] for o in element.get("options", [])]
    if options:
        shown = ", ".join(options[:25]) + (" …" if len(options) > 25 else "")
        lines.append(f"        choices: {shown}")
    if block.get("hint"):
        lines.append(f"        {_text(block['hint'], name_of)}")
    return lines


def _choice(block: Json, element: Json, screen: Screen, name_of: Callable[[str], str]) -> list[str]:
    label = _text(element.get("placeholder"), name_of) or "Choose"
    number = screen.add_control("input", label, block, element)
    lines = [f"  ({number}) {label}: {format_value(element, _initial(element))}"]
    options = [o["text"]["text"] for o in element.get("options", [])]
    if options:
        lines.append(
            f"        choices: {', '.join(options[:25])}" + (" …" if len(options) > 25 else "")
        )
    return lines


def _initial(element: Json) -> Any:
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons"):
        opt = element.get("initial_option")
        return opt["value"] if opt else None
    if kind in ("multi_static_select", "checkboxes"):
        return [o["value"] for o in element.get("initial_options") or []]
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "timepicker":
        return element.get("initial_time")
    return element.get("initial_value")


def format_value(element: Json, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    labels = {o["value"]: o["text"]["text"] for o in element.get("options", [])}
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value)
    return str(labels.get(str(value), value))


def parse_value(element: Json, raw: str) -> Any:
    """What a person typed for an input, as the value Slack would report.

    Raises:
        ValueError: a choice that is not offered, or a malformed date or number.
    """
    kind = element.get("type")
    raw = raw.strip()
    options = {o["text"]["text"].lower(): o["value"] for o in element.get("options", [])}
    options.update({o["value"].lower(): o["value"] for o in element.get("options", [])})

    def choose(label: str) -> str:
        found = options.get(label.strip().lower())
        if found is None:
            raise ValueError(f"{label.strip()!r} is not one of the choices")
        return str(found)

    if kind in ("static_select", "radio_buttons"):
        return choose(raw) if raw else None
    if kind in ("multi_static_select", "checkboxes"):
        return [choose(part) for part in raw.split(",") if part.strip()]
    if kind == "datepicker":
        if raw:
            datetime.strptime(raw, "%Y-%m-%d")  # noqa: DTZ007 - only checks the format
        return raw or None
    if kind == "timepicker":
        if raw:
            datetime.strptime(raw, "%H:%M")  # noqa: DTZ007 - only checks the format
        return raw or None
    if kind == "number_input":
        if raw:
            int(raw)
        return raw or None
    return raw
