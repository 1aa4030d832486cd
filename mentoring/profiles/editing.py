"""Enrolling, editing profiles, mentor capacity, and pausing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from sqlalchemy.orm import Session

from mentoring.core.audit import record_event
from mentoring.core.errors import InvalidInput, LimitReached, NotEnrolled
from mentoring.core.fields import OptionalText
from mentoring.core.members import (
    active_as_mentor,
    find_member,
    lock_members,
    refresh_search_data,
    require_member,
    search_text_of,
)
from mentoring.core.views import MemberView
from mentoring.offers.room import cancel_offers_without_room
from mentoring.profiles import limits
from mentoring.program.settings import ProgramSettings, get_settings
from mentoring.program.taxonomy import canonical_values
from store.models import Member

MAX_PAUSE = timedelta(days=366)

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=limits.TITLE)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.TAG)]
Language = Annotated[str, StringConstraints(min_length=1, max_length=limits.LANGUAGE)]


class ProfileInput(BaseModel):
    """What a person fills in to enroll or edit their profile."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    display_name: str = Field(min_length=1, max_length=120)
    tz: str = "UTC"
    email: OptionalText = Field(default=None, max_length=254)
    as_mentor: bool = False
    as_mentee: bool = False
    title: ShortText = ""
    functional_area: OptionalText = Field(default=None, max_length=limits.FUNCTIONAL_AREA)
    expertise: list[Tag] = Field(default_factory=list, max_length=limits.TAGS)
    interests: list[Tag] = Field(default_factory=list, max_length=limits.TAGS)
    goals: str = Field(default="", max_length=limits.GOALS)
    location: OptionalText = Field(default=None, max_length=limits.LOCATION)
    languages: list[Language] = Field(default_factory=list, max_length=limits.LANGUAGES)
    gender: OptionalText = Field(default=None, max_length=limits.GENDER)
    bio: str = Field(default="", max_length=limits.BIO)
    mentor_capacity: int | None = None

    @field_validator("tz")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if not _zone_exists(value):
            raise ValueError(f"unknown timezone {value!r}")
        return value


@lru_cache(maxsize=1024)
def _zone_exists(name: str) -> bool:
    # ZoneInfo keeps only zones someone holds: an import of 100,000 rows read tzdata files
    # again and again (a third of its time).
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_FIELD_LABELS = {
    "display_name": "Name",
    "tz": "Timezone",
    "title": "Title",
    "functional_area": "Functional area",
    "expertise": "Expertise",
    "interests": "Interests",
    "goals": "Goals",
    "location": "Location",
    "languages": "Languages",
    "gender": "Gender",
    "bio": "Bio",
    "mentor_capacity": "{Mentee} capacity",
    "email": "Email",
}


def parse_profile(data: dict[str, object]) -> ProfileInput:
    """Validate raw profile input, raising InvalidInput naming the first bad field."""
    try:
        return ProfileInput.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else None
        label = _FIELD_LABELS.get(field or "", field or "Profile")
        message = error["msg"].removeprefix("Value error, ")
        # The label may name a role; pydantic's message may quote what was typed.
        raise InvalidInput(label + ": {problem}", field=field, problem=message) from exc


def _validated_capacity(
    profile: ProfileInput, settings: ProgramSettings, current: int | None
) -> int:
    capacity = profile.mentor_capacity
    if capacity is None:
        return current if current is not None else settings.default_mentor_capacity
    if not 1 <= capacity <= settings.max_mentor_capacity:
        raise InvalidInput(
            "{Mentee} capacity must be between 1 and {max}.",
            field="mentor_capacity",
            max=settings.max_mentor_capacity,
        )
    return capacity


@dataclass(frozen=True, slots=True)
class CheckedProfile:
    """A profile that passed the program's rules: taxonomy spelling, capacity decided."""

    functional_area: str | None
    expertise: list[str]
    interests: list[str]
    mentor_capacity: int


def check_profile(
    profile: ProfileInput,
    settings: ProgramSettings,
    *,
    slack_user_id: str,
    current_capacity: int | None,
) -> CheckedProfile:
    """The program's rules for a profile, before anything is written.

    Raises:
        InvalidInput: no role chosen, unknown taxonomy value, capacity out of range.
    """
    if not slack_user_id or len(slack_user_id) > 32:
        raise InvalidInput("That Slack user id is not valid.")
    if not (profile.as_mentor or profile.as_mentee):
        raise InvalidInput("Choose at least one role: {mentor} or {mentee}.", field="roles")
    area = None
    if profile.functional_area:
        area = canonical_values(
            [profile.functional_area],
            settings.functional_areas,
            "functional_area",
            "Functional area",
        )[0]
    expertise = canonical_values(
        profile.expertise, settings.expertise_tags, "expertise", "Expertise"
    )
    interests = canonical_values(
        profile.interests, settings.expertise_tags, "interests", "Interests"
    )
    if profile.as_mentor and not expertise:
        raise InvalidInput("{Mentors}: pick at least one area of expertise.", field="expertise")
    capacity = _validated_capacity(profile, settings, current_capacity)
    return CheckedProfile(area, expertise, interests, capacity)


def profile_columns(
    profile: ProfileInput, checked: CheckedProfile, now: datetime
) -> dict[str, object]:
    """The member columns a checked profile sets (``search_text`` included)."""
    columns: dict[str, object] = {
        "display_name": profile.display_name,
        "tz": profile.tz,
        "email": profile.email,
        "is_mentor": profile.as_mentor,
        "is_mentee": profile.as_mentee,
        "title": profile.title,
        "functional_area": checked.functional_area,
        "expertise": checked.expertise,
        "interests": checked.interests,
        "goals": profile.goals,
        "location": profile.location,
        "languages": list(dict.fromkeys(profile.languages)),
        "gender": profile.gender,
        "bio": profile.bio,
        "mentor_capacity": checked.mentor_capacity,
        "updated_at": now,
    }
    columns["search_text"] = search_text_of(
        profile.display_name, profile.title, profile.bio, checked.expertise
    )
    return columns


def enroll(
    *, session: Session, team_id: str, slack_user_id: str, profile: ProfileInput, now: datetime
) -> MemberView:
    """Create or update a member's profile as mentor and/or mentee.

    An edit that leaves a mentor no open slot (capacity lowered to the mentees they have, or
    the mentor role given up) cancels their offers still waiting (mentoring.offers.room).

    Raises:
        InvalidInput: no role chosen, unknown taxonomy value, capacity out of range.
        LimitReached: capacity lowered below the mentor's current number of mentees.
    """
    settings = get_settings(session=session, team_id=team_id)
    member = find_member(session, team_id, slack_user_id)
    checked = check_profile(
        profile,
        settings,
        slack_user_id=slack_user_id,
        current_capacity=member.mentor_capacity if member else None,
    )
    before = MemberView.of(member) if member else None
    capacity = checked.mentor_capacity
    if member is None:
        member = Member(team_id=team_id, slack_user_id=slack_user_id, enrolled_at=now)
        session.add(member)
    else:
        lock_members(session, member.id)
        active = active_as_mentor(session, member.id)
        if profile.as_mentor and capacity < active:
            raise LimitReached(
                "You have {active} {mentees} now, so your capacity can't go below {active}.",
                field="mentor_capacity",
                active=active,
            )
        if not profile.as_mentor and active:
            raise LimitReached(
                "You still have active {mentees}: finish those relationships before you stop "
                "mentoring.",
                field="roles",
            )

    for column, value in profile_columns(profile, checked, now).items():
        setattr(member, column, value)
    refresh_search_data(session, member)

    after = MemberView.of(member)
    record_event(
        session,
        team_id=team_id,
        actor=slack_user_id,
        action="member.enrolled" if before is None else "member.updated",
        subject_type="member",
        subject_id=member.id,
        before=_profile_json(before) if before else None,
        after=_profile_json(after),
        at=now,
    )
    if before is not None:
        # A lower capacity or the mentor role given up can leave no room for offers waiting.
        cancel_offers_without_room(session, member.id, actor=slack_user_id, now=now)
    return after


def _profile_json(view: MemberView) -> dict[str, object]:
    return profile_json({field: getattr(view, field) for field in PROFILE_EVENT_FIELDS})


PROFILE_EVENT_FIELDS = (
    "is_mentor",
    "is_mentee",
    "title",
    "functional_area",
    "expertise",
    "interests",
    "location",
    "mentor_capacity",
)


def profile_json(columns: Mapping[str, Any]) -> dict[str, object]:
    """What the audit log keeps of a profile (``member.enrolled`` / ``member.updated``)."""
    return {
        field: list(columns[field]) if field in ("expertise", "interests") else columns[field]
        for field in PROFILE_EVENT_FIELDS
    }


def pause(
    *, session: Session, team_id: str, slack_user_id: str, until: datetime, now: datetime
) -> MemberView:
    """Stop new requests reaching a mentor until ``until`` (existing ones stay)."""
    member = require_member(session, team_id, slack_user_id)
    if not member.is_mentor:
        raise NotEnrolled("Only {mentors} can pause new requests.")
    if until.tzinfo is None:
        raise InvalidInput("Pause date needs a timezone.", field="paused_until")
    if until <= now:
        raise InvalidInput("Pick a date in the future to pause until.", field="paused_until")
    if until > now + MAX_PAUSE:
        raise InvalidInput("You can pause for a year at most.", field="paused_until")
    return _set_pause(session, member, until, now, slack_user_id)


def resume(*, session: Session, team_id: str, slack_user_id: str, now: datetime) -> MemberView:
    """Open a paused mentor to new requests again; a no-op (no event) when not paused.

    Raises:
        NotEnrolled: the person has not joined the program, or is not a mentor.
    """
    member = require_member(session, team_id, slack_user_id)
    if not member.is_mentor:
        raise NotEnrolled("Only {mentors} can pause or resume new requests.")
    if member.paused_until is None:
        return MemberView.of(member)
    return _set_pause(session, member, None, now, slack_user_id)


def _set_pause(
    session: Session, member: Member, until: datetime | None, now: datetime, actor: str
) -> MemberView:
    before = member.paused_until
    member.paused_until = until
    member.updated_at = now
    record_event(
        session,
        team_id=member.team_id,
        actor=actor,
        action="member.paused" if until else "member.resumed",
        subject_type="member",
        subject_id=member.id,
        before={"paused_until": before.isoformat() if before else None},
        after={"paused_until": until.isoformat() if until else None},
        at=now,
    )
    session.flush()
    return MemberView.of(member)
