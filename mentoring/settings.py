"""Program settings: the rules an admin tunes per workspace, with sensible defaults."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from mentoring.audit import record_event
from mentoring.errors import InvalidInput
from mentoring.taxonomy import TAXONOMY_FIELDS, apply_renames, plan_renames, removal_problem, usage
from mentoring.wording import DEFAULT_WORDS, Words, fill
from mentoring.workspaces import get_workspace

DEFAULT_DECLINE_REASONS = (
    "I don't have time right now",
    "My expertise isn't the right fit",
    "I'm at my mentoring limit",
    "Other",
)

DEFAULT_FUNCTIONAL_AREAS = (
    "Engineering",
    "Product",
    "Design",
    "Data",
    "Marketing",
    "Sales",
    "Customer Success",
    "Finance",
    "People",
    "Operations",
    "Legal",
    "Leadership",
)

DEFAULT_EXPERTISE_TAGS = (
    "career growth",
    "leadership",
    "management",
    "public speaking",
    "negotiation",
    "python",
    "data",
    "machine learning",
    "architecture",
    "frontend",
    "product strategy",
    "ux research",
    "writing",
    "work-life balance",
    "entrepreneurship",
    "sales",
    "marketing",
    "finance",
    "hiring",
    "diversity & inclusion",
)


class DirectoryMode(StrEnum):
    OPEN = "open"  # mentees browse the whole directory
    RECOMMENDATIONS_ONLY = "recommendations_only"  # mentees see only mentors recommended to them


class MatchingMode(StrEnum):
    SELF = "self"  # mentees request mentors directly
    ADMIN_ROUTED = "admin_routed"  # mentees submit ranked preferences; an admin assigns


class Terminology(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mentor: str = Field(default="mentor", min_length=1, max_length=30)
    mentee: str = Field(default="mentee", min_length=1, max_length=30)


class Resource(BaseModel):
    """A program resource shown on App Home: a guide, a template, a sign-up sheet."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=80)
    url: str = Field(min_length=8, max_length=500, pattern=r"^https?://\S+$")
    description: str = Field(default="", max_length=200)


class ProgramSettings(BaseModel):
    """Every rule of the program that an admin may change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_pending_requests_per_mentee: int = Field(default=3, ge=1, le=20)
    max_active_relationships_per_mentee: int = Field(default=1, ge=1, le=10)
    default_mentor_capacity: int = Field(default=3, ge=1, le=50)
    max_mentor_capacity: int = Field(default=10, ge=1, le=50)

    remind_after_days: int = Field(default=3, ge=1, le=60)
    remind_every_days: int = Field(default=3, ge=1, le=60)
    max_reminders: int = Field(default=2, ge=0, le=10)
    auto_close_after_days: int = Field(default=14, ge=1, le=180)
    # Tell admins about requests still pending after this many days (None: never).
    escalate_after_days: int | None = Field(default=10, ge=1, le=180)
    weekly_digest: bool = True
    # Reminders reach mentors between these local hours, Monday to Friday.
    working_hours_start: int = Field(default=9, ge=0, le=23)
    working_hours_end: int = Field(default=18, ge=1, le=24)

    message_min_length: int = Field(default=20, ge=1, le=500)
    message_max_length: int = Field(default=2000, ge=50, le=2900)

    decline_reasons: tuple[str, ...] = Field(default=DEFAULT_DECLINE_REASONS, min_length=1)
    functional_areas: tuple[str, ...] = Field(default=DEFAULT_FUNCTIONAL_AREAS, min_length=1)
    expertise_tags: tuple[str, ...] = Field(default=DEFAULT_EXPERTISE_TAGS, min_length=1)

    directory_mode: DirectoryMode = DirectoryMode.OPEN
    matching_mode: MatchingMode = MatchingMode.SELF
    mentor_offers_enabled: bool = False
    terminology: Terminology = Terminology()
    admins_from_slack: bool = False

    # Flash mentoring: one-time meetings that start no relationship.
    flash_mentoring_enabled: bool = False
    max_pending_meetings_per_mentee: int = Field(default=3, ge=1, le=20)
    resources: tuple[Resource, ...] = Field(default=(), max_length=10)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        if info.context and info.context.get(_FIELDS_ONLY):
            return self
        problems = _consistency_problems(self, skip=())
        if problems:
            raise ValueError(fill(next(iter(problems.values())), DEFAULT_WORDS))
        return self

    @property
    def words(self) -> Words:
        """The program's words for mentor and mentee, in every form."""
        return Words.of(self.terminology)


# Validation context that leaves out the checks between fields (to find each field's value).
_FIELDS_ONLY = "fields_only"
LIST_FIELDS = ("decline_reasons", "functional_areas", "expertise_tags")
# Each list becomes a static select (profile, search, decline), which offers 100 options at most.
MAX_LIST_ENTRIES = 100
MAX_ENTRY_LENGTH = 80
# Role words go into sentences and mrkdwn: letters, with spaces, hyphens or apostrophes between.
_ROLE_WORD = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")


def _consistency_problems(s: ProgramSettings, *, skip: Collection[str]) -> dict[str, str]:
    """Rules between fields that every stored settings object keeps, by the field to fix.

    A rule that involves a field in ``skip`` (one whose value could not be read) is left out.
    """
    problems: dict[str, str] = {}

    def rule(fields: tuple[str, ...], ok: bool, message: str) -> None:
        if not ok and not any(f in skip for f in fields):
            problems.setdefault(fields[0], message)

    rule(
        ("default_mentor_capacity", "max_mentor_capacity"),
        s.default_mentor_capacity <= s.max_mentor_capacity,
        "the default {mentor} capacity cannot exceed the maximum capacity",
    )
    rule(
        ("auto_close_after_days", "remind_after_days"),
        s.auto_close_after_days > s.remind_after_days,
        "requests must be auto-closed later than the first reminder",
    )
    rule(
        ("working_hours_end", "working_hours_start"),
        s.working_hours_start < s.working_hours_end,
        "working hours must start before they end",
    )
    rule(
        ("message_min_length", "message_max_length"),
        s.message_min_length <= s.message_max_length,
        "the minimum message length cannot exceed the maximum",
    )
    for name in LIST_FIELDS:
        values: tuple[str, ...] = getattr(s, name)
        cleaned = [v.strip() for v in values]
        label = name.replace("_", " ")
        rule(
            (name,),
            all(cleaned) and all(len(v) <= MAX_ENTRY_LENGTH for v in cleaned),
            f"{label}: every entry needs 1-{MAX_ENTRY_LENGTH} characters",
        )
        rule(
            (name,),
            len({v.lower() for v in cleaned}) == len(cleaned),
            f"{label}: entries must be unique",
        )
    return problems


def _change_problems(s: ProgramSettings, *, skip: Collection[str]) -> dict[str, InvalidInput]:
    """Rules a change must keep on top of the stored ones (older settings may predate them)."""
    problems: dict[str, InvalidInput] = {}
    for name in LIST_FIELDS:
        values: tuple[str, ...] = getattr(s, name)
        if name not in skip and len(values) > MAX_LIST_ENTRIES:
            problems[name] = InvalidInput(
                "Keep it to {max} entries (there are {count}).",
                field=name,
                max=MAX_LIST_ENTRIES,
                count=len(values),
            )
        elif name not in skip:
            seen: set[str] = set()
            for value in (v.strip() for v in values):
                if not value or len(value) > MAX_ENTRY_LENGTH:
                    problems[name] = InvalidInput(
                        "Every entry needs 1-{max} characters: {value} has {length}.",
                        field=name,
                        max=MAX_ENTRY_LENGTH,
                        value=f"“{value[:30]}…”" if len(value) > 30 else f"“{value}”",
                        length=len(value),
                    )
                    break
                if value.lower() in seen:
                    problems[name] = InvalidInput(
                        "{value} is listed twice.", field=name, value=f"“{value}”"
                    )
                    break
                seen.add(value.lower())
    for role in ("mentor", "mentee"):
        key = f"terminology.{role}"
        word = getattr(s.terminology, role)
        if key not in skip and "terminology" not in skip and not _ROLE_WORD.match(word):
            problems[key] = InvalidInput(
                "Use letters only, with spaces, hyphens or apostrophes between words.", field=key
            )
    terms = s.terminology
    if (
        not {"terminology", "terminology.mentor", "terminology.mentee"} & set(skip)
        and "terminology.mentee" not in problems
        and terms.mentor.strip().lower() == terms.mentee.strip().lower()
    ):
        problems["terminology.mentee"] = InvalidInput(
            "Pick a different word for each role.", field="terminology.mentee"
        )
    if (
        s.escalate_after_days is not None
        and not {"escalate_after_days", "auto_close_after_days"} & set(skip)
        and s.escalate_after_days >= s.auto_close_after_days
    ):
        problems["escalate_after_days"] = InvalidInput(
            "Requests close after {days} days, so admins would never be told: pick fewer days, "
            "or leave it empty for never.",
            field="escalate_after_days",
            days=s.auto_close_after_days,
        )
    return problems


def _key(loc: tuple[int | str, ...]) -> str:
    """The settings field (``terminology.mentor`` for a role word) an error location names."""
    if loc and loc[0] == "terminology" and len(loc) > 1:
        return f"terminology.{loc[1]}"
    return str(loc[0]) if loc else ""


def _readable(error: ErrorDetails) -> InvalidInput:
    """A pydantic error as a sentence for the person who typed the value, next to the input."""
    loc, kind, ctx = error["loc"], error["type"], error.get("ctx") or {}
    key = _key(loc)
    prefix = ""
    if key == "resources" and len(loc) > 1 and isinstance(loc[1], int):
        prefix = f"Resource {loc[1] + 1}: "
    if kind in ("string_pattern_mismatch", "string_too_short") and loc[-1:] == ("url",):
        text = "The link needs to start with https:// (or http://) and have no spaces."
    elif kind == "greater_than_equal":
        text = f"Enter {ctx['ge']} or more."
    elif kind == "less_than_equal":
        text = f"Enter {ctx['le']} or less."
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        text = "Enter a whole number."
    elif kind == "too_short":
        text = "Add at least one entry." if ctx.get("min_length") == 1 else "Add more entries."
    elif kind == "too_long":
        text = f"Keep it to {ctx.get('max_length')} entries or fewer."
    elif kind == "string_too_short":
        text = "Fill this in." if ctx.get("min_length") == 1 else "This is too short."
    elif kind == "string_too_long":
        text = f"Keep it to {ctx.get('max_length')} characters or fewer."
    elif kind == "missing":
        text = f"Fill in the {loc[-1]}." if len(loc) > 1 else "Fill this in."
    elif kind == "enum":
        text = "Choose one of the options."
    elif kind == "extra_forbidden":
        text = "This is not a setting of the program."
    else:
        text = error["msg"].removeprefix("Value error, ")
    return InvalidInput(prefix + "{problem}", field=key or None, problem=text)


def settings_problems(
    data: Mapping[str, Any], *, unreadable: Collection[str] = ()
) -> dict[str, InvalidInput]:
    """Every problem with ``data`` as a whole set of settings, by the field to fix.

    Args:
        data: settings as field -> value (what ``ProgramSettings.model_dump(mode="json")``
            gives); missing fields take their defaults.
        unreadable: fields whose input could not even be read (the form reports those): their
            values are left out, and so are the rules between them and other fields.

    Returns:
        field -> the problem (an InvalidInput whose message may name the roles); empty when
        the settings are valid. ``terminology.mentor``/``.mentee`` name the role words.
    """
    skip = set(unreadable)
    known = {k: v for k, v in data.items() if k not in skip and _key((k,)) not in skip}
    problems: dict[str, InvalidInput] = {}
    try:
        fields = ProgramSettings.model_validate(known, context={_FIELDS_ONLY: True})
    except ValidationError as exc:
        for error in exc.errors():
            problem = _readable(error)
            problems.setdefault(problem.field or "", problem)
        skip |= set(problems) | {k.split(".")[0] for k in problems}
        valid = {k: v for k, v in known.items() if k not in skip}
        try:
            fields = ProgramSettings.model_validate(valid, context={_FIELDS_ONLY: True})
        except ValidationError:  # a problem not tied to one field: nothing more to check
            return problems
    # The sharper messages of the rules for changes first; the stored rules fill in the rest.
    for name, problem in _change_problems(fields, skip=skip).items():
        problems.setdefault(name, problem)
    for name, message in _consistency_problems(fields, skip=skip).items():
        problems.setdefault(name, InvalidInput(_capitalised(message), field=name))
    return problems


def _capitalised(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class InvalidSettings(InvalidInput):
    """Settings that break rules; ``problems`` holds every one, by field. Nothing was saved."""

    def __init__(self, problems: Mapping[str, InvalidInput]) -> None:
        first_field, first = next(iter(problems.items()))
        super().__init__(
            "{where}: {problem}", field=first_field, where=first_field, problem=first.message
        )
        self.problems = dict(problems)


def parse_settings(data: dict[str, Any]) -> ProgramSettings:
    """Validate stored or submitted settings, turning pydantic errors into a readable message."""
    try:
        return ProgramSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidInput(
            "{where}: {problem}" if where else "{problem}",
            field=where or None,
            where=where,
            problem=message,
        ) from exc


def get_settings(*, session: Session, team_id: str) -> ProgramSettings:
    """The workspace's settings: stored values over the defaults."""
    return parse_settings(get_workspace(session, team_id).settings)


def update_settings(
    *,
    session: Session,
    team_id: str,
    actor: str,
    changes: dict[str, Any],
    now: datetime,
    renames: Mapping[str, Mapping[str, str]] | None = None,
) -> ProgramSettings:
    """Apply ``changes`` over the current settings after validating the result as a whole.

    Functional areas and expertise tags are names profiles use (see :mod:`mentoring.taxonomy`):
    a value whose spelling changes only in case, or that ``renames`` names, moves every profile
    that uses it to the new name in the same transaction; removing a value still in use is
    refused.

    Args:
        session: an open write session.
        team_id: the workspace.
        actor: Slack user id of the admin making the change (recorded in the event log).
        changes: field name -> new value; unknown fields are rejected.
        now: the time of the change.
        renames: ``functional_areas``/``expertise_tags`` -> {old value: new value}.

    Raises:
        InvalidSettings: values out of range, rules between fields broken, a bad rename or a
            value still in use removed; ``problems`` has every one by field. Nothing is saved.
    """
    workspace = get_workspace(session, team_id)
    before = parse_settings(workspace.settings)
    before_json = before.model_dump(mode="json")
    wanted = {**before_json, **changes}
    problems = settings_problems(wanted)
    plans: dict[str, dict[str, str]] = {}
    asked = dict(renames or {})
    for field in set(asked) - set(TAXONOMY_FIELDS):
        problems[field] = InvalidInput("Only areas and tags can be renamed.", field=field)
    for field in TAXONOMY_FIELDS:
        if field in problems:
            continue
        old, new = tuple(before_json[field]), tuple(wanted[field])
        try:
            plans[field] = plan_renames(field, old, new, asked.get(field, {}))
        except InvalidInput as err:
            problems[field] = err
            continue
        if {v.lower() for v in old} - {v.lower() for v in new}:
            counts = usage(session, team_id, field)
            refusal = removal_problem(field, old, new, plans[field], counts)
            if refusal is not None:
                problems[field] = refusal
    if problems:
        raise InvalidSettings(problems)

    after = parse_settings(wanted)
    after_json = after.model_dump(mode="json")
    diff_before = {k: v for k, v in before_json.items() if after_json[k] != v}
    diff_after = {k: after_json[k] for k in diff_before}
    if not diff_after:
        return after
    for field, plan in plans.items():
        apply_renames(session, team_id=team_id, field=field, renames=plan, actor=actor, now=now)
    # Store only what differs from the defaults, so later default changes still reach the team.
    defaults = ProgramSettings().model_dump(mode="json")
    workspace.settings = {k: v for k, v in after_json.items() if defaults[k] != v}
    workspace.settings_updated_at = now
    workspace.settings_updated_by = actor
    record_event(
        session,
        team_id=team_id,
        actor=actor,
        action="settings.updated",
        subject_type="workspace",
        subject_id=team_id,
        before=diff_before,
        after=diff_after,
        at=now,
    )
    return after
