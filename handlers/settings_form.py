"""The settings modal's state, parsed at the edge into what ``update_settings`` takes.

Each input is read on its own, so one line typed wrong does not hide the problems of the
others: the handler shows every problem at once, each next to its input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from blocks.ids import Setting
from blocks.settings import RENAME_ARROW
from blocks.settings_inputs import ON
from handlers.forms import initial_values, state_values
from mentoring.program.settings import Resource

ARROWS = (RENAME_ARROW, "→")
MAX_RESOURCE_LINES = 10


def _number(raw: object) -> int:
    if raw is None or str(raw).strip() == "":
        raise ValueError("Fill this in.")
    try:
        return int(str(raw).strip())
    except ValueError:
        raise ValueError("Enter a whole number.") from None


def _optional_number(raw: object) -> int | None:
    return None if raw is None or str(raw).strip() == "" else _number(raw)


def _choice(raw: object) -> str:
    if not raw:
        raise ValueError("Choose one of the options.")
    return str(raw)


def _switch(raw: object) -> bool:
    return isinstance(raw, list) and ON in raw


def _word(raw: object) -> str:
    word = " ".join(str(raw or "").split())
    if not word:
        raise ValueError("Fill this in.")
    return word


def _lines(raw: object) -> list[str]:
    return [line.strip() for line in str(raw or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class Renamable:
    """A taxonomy list as typed: its values, and the renames written as ``old -> new``."""

    values: tuple[str, ...]
    renames: dict[str, str] = field(default_factory=dict)


def _taxonomy(raw: object) -> Renamable:
    values: list[str] = []
    renames: dict[str, str] = {}
    for number, line in enumerate(str(raw or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        arrow = next((a for a in ARROWS if a in line), None)
        if arrow is None:
            values.append(line)
            continue
        old, _sep, new = (part.strip() for part in line.partition(arrow))
        if not old or not new or any(a in new for a in ARROWS):
            raise ValueError(
                f"Line {number}: write a rename as “old name {RENAME_ARROW} new name”."
            )
        renames[old] = new
        values.append(new)
    return Renamable(tuple(values), renames)


_RESOURCE_PROBLEMS = {
    "title": "give it a title of up to 80 characters",
    "url": "add a link that starts with https:// (and has no spaces)",
    "description": "keep the description to 200 characters",
}


def _resources(raw: object) -> list[dict[str, str]]:
    resources: list[dict[str, str]] = []
    for number, line in enumerate(str(raw or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, url, description = [*(p.strip() for p in line.split("|", 2)), "", ""][:3]
        item = {"title": title, "url": url, "description": description}
        try:
            Resource.model_validate(item)
        except ValidationError as exc:
            where = str(exc.errors()[0]["loc"][0])
            problem = _RESOURCE_PROBLEMS.get(where, "write it as title | https://link | words")
            raise ValueError(f"Line {number}: {problem}.") from None
        resources.append(item)
    if len(resources) > MAX_RESOURCE_LINES:
        raise ValueError(f"Keep it to {MAX_RESOURCE_LINES} resources (there are {len(resources)}).")
    return resources


Number = Annotated[int, BeforeValidator(_number)]
OptionalNumber = Annotated[int | None, BeforeValidator(_optional_number)]
Choice = Annotated[str, BeforeValidator(_choice)]
Switch = Annotated[bool, BeforeValidator(_switch)]
Word = Annotated[str, BeforeValidator(_word)]
Lines = Annotated[list[str], BeforeValidator(_lines)]
Taxonomy = Annotated[Renamable, BeforeValidator(_taxonomy)]
Resources = Annotated[list[dict[str, str]], BeforeValidator(_resources)]


class SettingsForm(BaseModel):
    """Every input of the settings modal, by its block id (its setting's name)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    max_pending_requests_per_mentee: Number
    max_active_relationships_per_mentee: Number
    message_min_length: Number
    message_max_length: Number
    default_mentor_capacity: Number
    max_mentor_capacity: Number
    remind_after_days: Number
    remind_every_days: Number
    max_reminders: Number
    auto_close_after_days: Number
    escalate_after_days: OptionalNumber
    working_hours_start: Number
    working_hours_end: Number
    weekly_digest: Switch
    directory_mode: Choice
    matching_mode: Choice
    mentor_offers_enabled: Switch
    flash_mentoring_enabled: Switch
    max_pending_meetings_per_mentee: Number
    mentor_word: Word = Field(alias=Setting.MENTOR_WORD.value)
    mentee_word: Word = Field(alias=Setting.MENTEE_WORD.value)
    decline_reasons: Lines
    functional_areas: Taxonomy
    expertise_tags: Taxonomy
    resources: Resources
    admins_from_slack: Switch
    checkin_every_days: Number
    relationship_term_days: OptionalNumber
    relationship_extension_days: Number
    ratings_public: Switch
    welcome_newcomers: Switch


@dataclass(frozen=True)
class FormReading:
    """What the admin changed in the settings modal, and what could not be read."""

    changes: dict[str, Any]  # only the settings the admin edited, so others' saves stand
    renames: dict[str, dict[str, str]]
    errors: dict[str, str]  # block id -> what is wrong with what was typed there

    @property
    def unreadable(self) -> set[str]:
        return set(self.errors)


@cache
def _reader(name: str) -> TypeAdapter[Any]:
    info = SettingsForm.model_fields[name]
    # The field's own type and validators, to read its input without the others.
    kind: Any = Annotated[info.annotation, *info.metadata]
    return TypeAdapter(kind)


def _read(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    read: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, info in SettingsForm.model_fields.items():
        block = info.alias or name
        try:
            read[name] = _reader(name).validate_python(values.get(block))
        except ValidationError as exc:
            errors[block] = exc.errors()[0]["msg"].removeprefix("Value error, ")
    return read, errors


def read_settings_form(view: Mapping[str, Any]) -> FormReading:
    """Read every input of a submitted settings modal (each on its own).

    Only what differs from the values the modal opened with counts as a change: two admins
    editing different settings at the same time both keep their changes.
    """
    read, errors = _read(state_values(dict(view)))
    opened, _unreadable = _read(initial_values(dict(view)))
    edited = {name for name, value in read.items() if opened.get(name) != value}
    renames: dict[str, dict[str, str]] = {}
    changes: dict[str, Any] = {}
    for name in edited - {"mentor_word", "mentee_word"}:
        value = read[name]
        if isinstance(value, Renamable):
            changes[name] = list(value.values)
            if value.renames:
                renames[name] = value.renames
        else:
            changes[name] = value
    if edited & {"mentor_word", "mentee_word"} and {"mentor_word", "mentee_word"} <= set(read):
        changes["terminology"] = {"mentor": read["mentor_word"], "mentee": read["mentee_word"]}
    return FormReading(changes, renames, errors)
