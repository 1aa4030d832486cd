"""Read models: plain frozen values that leave the session (ORM objects never do)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping

from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, Relationship, Request


@dataclass(frozen=True, slots=True)
class MemberView:
    id: int
    team_id: str
    slack_user_id: str
    display_name: str
    tz: str
    is_mentor: bool
    is_mentee: bool
    title: str
    functional_area: str | None
    expertise: tuple[str, ...]
    interests: tuple[str, ...]
    goals: str
    location: str | None
    languages: tuple[str, ...]
    gender: str | None
    bio: str
    mentor_capacity: int
    paused_until: datetime | None
    enrolled_at: datetime

    def is_paused(self, now: datetime) -> bool:
        return self.paused_until is not None and self.paused_until > now

    @classmethod
    def of(cls, m: Member) -> MemberView:
        return cls(
            id=m.id,
            team_id=m.team_id,
            slack_user_id=m.slack_user_id,
            display_name=m.display_name,
            tz=m.tz,
            is_mentor=m.is_mentor,
            is_mentee=m.is_mentee,
            title=m.title,
            functional_area=m.functional_area,
            expertise=tuple(m.expertise),
            interests=tuple(m.interests),
            goals=m.goals,
            location=m.location,
            languages=tuple(m.languages),
            gender=m.gender,
            bio=m.bio,
            mentor_capacity=m.mentor_capacity,
            paused_until=m.paused_until,
            enrolled_at=m.enrolled_at,
        )

    @classmethod
    def of_row(cls, row: RowMapping | Mapping[str, Any]) -> MemberView:
        """The view of a row holding exactly this view's columns (a Core select of them)."""
        values: dict[str, Any] = {str(name): value for name, value in row.items()}
        for name in ("expertise", "interests", "languages"):
            values[name] = tuple(values[name])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class RequestView:
    id: int
    team_id: str
    kind: RequestKind
    status: RequestStatus
    mentee_id: int
    mentor_id: int
    message: str
    created_at: datetime
    answered_at: datetime | None
    decline_reason: str | None
    decline_note: str | None
    close_reason: str | None
    reminder_count: int
    last_reminded_at: datetime | None
    slack_channel: str | None
    slack_ts: str | None

    @property
    def answerer_id(self) -> int:
        """The member who accepts or declines: the mentor, or the mentee for a mentor offer."""
        return self.mentee_id if self.kind is RequestKind.MENTOR_OFFER else self.mentor_id

    @property
    def initiator_id(self) -> int:
        return self.mentor_id if self.kind is RequestKind.MENTOR_OFFER else self.mentee_id

    @classmethod
    def of(cls, r: Request) -> RequestView:
        return cls(
            id=r.id,
            team_id=r.team_id,
            kind=r.kind,
            status=r.status,
            mentee_id=r.mentee_id,
            mentor_id=r.mentor_id,
            message=r.message,
            created_at=r.created_at,
            answered_at=r.answered_at,
            decline_reason=r.decline_reason,
            decline_note=r.decline_note,
            close_reason=r.close_reason,
            reminder_count=r.reminder_count,
            last_reminded_at=r.last_reminded_at,
            slack_channel=r.slack_channel,
            slack_ts=r.slack_ts,
        )

    @classmethod
    def of_row(cls, row: RowMapping | Mapping[str, Any]) -> RequestView:
        """The view of a row holding exactly this view's columns (a Core select of them)."""
        return cls(**{str(name): value for name, value in row.items()})


@dataclass(frozen=True, slots=True)
class RelationshipView:
    id: int
    team_id: str
    mentor_id: int
    mentee_id: int
    request_id: int | None
    status: RelationshipStatus
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    hidden_from_profile: bool
    conversation_id: str | None
    end_cause: str | None = None
    at_risk_since: datetime | None = None
    at_risk_reason: str | None = None
    term_ends_at: datetime | None = None
    term_decision: str | None = None
    last_checkin_at: datetime | None = None

    @classmethod
    def of(cls, r: Relationship) -> RelationshipView:
        return cls(
            id=r.id,
            team_id=r.team_id,
            mentor_id=r.mentor_id,
            mentee_id=r.mentee_id,
            request_id=r.request_id,
            status=r.status,
            started_at=r.started_at,
            ended_at=r.ended_at,
            end_reason=r.end_reason,
            hidden_from_profile=r.hidden_from_profile,
            conversation_id=r.conversation_id,
            end_cause=r.end_cause,
            at_risk_since=r.at_risk_since,
            at_risk_reason=r.at_risk_reason,
            term_ends_at=r.term_ends_at,
            term_decision=r.term_decision,
            last_checkin_at=r.last_checkin_at,
        )
