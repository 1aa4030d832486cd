"""Program settings: the rules an admin tunes per workspace, with sensible defaults."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Any, Self, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from mentoring.core.errors import InvalidInput, NotFound
from mentoring.core.prebuilt import run
from mentoring.core.wording import DEFAULT_WORDS, Words, fill
from mentoring.program.workspaces import WORKSPACE_NOT_SET_UP
from store.models import Workspace

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


MAX_WORD_LENGTH = 30  # what the program calls a mentor, or a mentee


class Terminology(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mentor: str = Field(default="mentor", min_length=1, max_length=MAX_WORD_LENGTH)
    mentee: str = Field(default="mentee", min_length=1, max_length=MAX_WORD_LENGTH)


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

    # After the match (mentoring.relationships): a check-in every N days (0: none), an optional
    # term with N more days when a pair extends it, ratings on profiles, newcomers welcomed.
    checkin_every_days: int = Field(default=14, ge=0, le=180)
    relationship_term_days: int | None = Field(default=None, ge=30, le=1095)
    relationship_extension_days: int = Field(default=30, ge=7, le=365)
    ratings_public: bool = False
    welcome_newcomers: bool = False

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        if info.context and info.context.get(FIELDS_ONLY):
            return self
        problems = consistency_problems(self, skip=())
        if problems:
            raise ValueError(fill(next(iter(problems.values())), DEFAULT_WORDS))
        return self

    @property
    def words(self) -> Words:
        """The program's words for mentor and mentee, in every form."""
        return Words.of(self.terminology)


# Validation context that leaves out the checks between fields (to find each field's value).
FIELDS_ONLY = "fields_only"
LIST_FIELDS = ("decline_reasons", "functional_areas", "expertise_tags")
MAX_ENTRY_LENGTH = 80


def consistency_problems(s: ProgramSettings, *, skip: Collection[str]) -> dict[str, str]:
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


WORKSPACES = cast(Table, Workspace.__table__)
# Read for every notification rendered: built once (prebuilt.run), no ORM object loaded.
_STORED_SETTINGS = select(WORKSPACES.c.settings).where(WORKSPACES.c.team_id == bindparam("team_id"))


def get_settings(*, session: Session, team_id: str) -> ProgramSettings:
    """The workspace's settings: stored values over the defaults.

    Raises:
        NotFound: the workspace is not set up (as :func:`get_workspace`).
    """
    stored = run(session, _STORED_SETTINGS, {"team_id": team_id}).one_or_none()
    if stored is None:
        raise NotFound(WORKSPACE_NOT_SET_UP)
    return parse_settings(stored.settings)


__all__ = [
    "DEFAULT_DECLINE_REASONS",
    "DEFAULT_EXPERTISE_TAGS",
    "DEFAULT_FUNCTIONAL_AREAS",
    "DirectoryMode",
    "MatchingMode",
    "ProgramSettings",
    "Resource",
    "Terminology",
    "consistency_problems",
    "get_settings",
    "parse_settings",
]
