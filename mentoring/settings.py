"""Program settings: the rules an admin tunes per workspace, with sensible defaults."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.orm import Session

from mentoring.audit import record_event
from mentoring.errors import InvalidInput
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
    def _consistent(self) -> Self:
        if self.default_mentor_capacity > self.max_mentor_capacity:
            raise ValueError("the default mentor capacity cannot exceed the maximum capacity")
        if self.auto_close_after_days <= self.remind_after_days:
            raise ValueError("requests must be auto-closed later than the first reminder")
        if self.working_hours_start >= self.working_hours_end:
            raise ValueError("working hours must start before they end")
        if self.message_min_length > self.message_max_length:
            raise ValueError("the minimum message length cannot exceed the maximum")
        for name in ("decline_reasons", "functional_areas", "expertise_tags"):
            values: tuple[str, ...] = getattr(self, name)
            cleaned = [v.strip() for v in values]
            if any(not v or len(v) > 80 for v in cleaned):
                raise ValueError(f"{name.replace('_', ' ')}: every entry needs 1-80 characters")
            if len({v.lower() for v in cleaned}) != len(cleaned):
                raise ValueError(f"{name.replace('_', ' ')}: entries must be unique")
        return self


def parse_settings(data: dict[str, Any]) -> ProgramSettings:
    """Validate stored or submitted settings, turning pydantic errors into a readable message."""
    try:
        return ProgramSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidInput(
            f"{where}: {message}" if where else message, field=where or None
        ) from exc


def get_settings(*, session: Session, team_id: str) -> ProgramSettings:
    """The workspace's settings: stored values over the defaults."""
    return parse_settings(get_workspace(session, team_id).settings)


def update_settings(
    *, session: Session, team_id: str, actor: str, changes: dict[str, Any], now: datetime
) -> ProgramSettings:
    """Apply ``changes`` over the current settings after validating the result as a whole.

    Args:
        session: an open write session.
        team_id: the workspace.
        actor: Slack user id of the admin making the change (recorded in the event log).
        changes: field name -> new value; unknown fields are rejected.
        now: the time of the change.

    Raises:
        InvalidInput: a value is out of range or the result is inconsistent; nothing is saved.
    """
    workspace = get_workspace(session, team_id)
    before = parse_settings(workspace.settings)
    after = parse_settings({**before.model_dump(mode="json"), **changes})
    before_json = before.model_dump(mode="json")
    after_json = after.model_dump(mode="json")
    diff_before = {k: v for k, v in before_json.items() if after_json[k] != v}
    diff_after = {k: after_json[k] for k in diff_before}
    if not diff_after:
        return after
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
