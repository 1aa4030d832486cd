"""SQLAlchemy 2 typed models. Every row carries the Slack team id of its workspace."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.enums import OutboxStatus, RelationshipStatus, RequestKind, RequestStatus
from store.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TEAM_ID = String(32)
USER_ID = String(32)


def _str_enum(enum_cls: type[StrEnum], length: int = 20) -> Enum:
    """A portable VARCHAR column holding a StrEnum's values (no native ENUM type to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Workspace(Base):
    """One Slack workspace served by this deployment, with its program settings."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(TEAM_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    # ProgramSettings (mentoring.program.settings) serialised as JSON; validated on every read and
    # write.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    settings_updated_at: Mapped[datetime | None]
    settings_updated_by: Mapped[str | None] = mapped_column(USER_ID)


class Member(Base):
    """A person enrolled in the program, with their profile."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("team_id", "slack_user_id"),
        # Covers what directory ranking reads for every candidate (mentoring.directory.search), so a
        # broad search walks this narrow index instead of the wide member rows.
        Index(
            "ix_members_directory_scan",
            "team_id",
            "is_mentor",
            "functional_area",
            "paused_until",
            "mentor_capacity",
            "tz",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    slack_user_id: Mapped[str] = mapped_column(USER_ID)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    is_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    is_mentee: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolled_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    title: Mapped[str] = mapped_column(String(150), default="")
    functional_area: Mapped[str | None] = mapped_column(String(80))
    # Mentor: what they can help with. Mentee: what they want to learn. Taxonomy tags.
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    goals: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(120))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    gender: Mapped[str | None] = mapped_column(String(60))
    bio: Mapped[str] = mapped_column(Text, default="")
    # Lower-cased name, title, bio and expertise: what free-text search looks in.
    search_text: Mapped[str] = mapped_column(Text, default="")

    mentor_capacity: Mapped[int] = mapped_column(Integer, default=3)
    paused_until: Mapped[datetime | None]
    # When their Slack account was deactivated (user_change with ``deleted``): out of the program.
    deactivated_at: Mapped[datetime | None]


class MemberTag(Base):
    """A mentor's expertise tag, one row per tag, so directory filters can use an index."""

    __tablename__ = "member_tags"
    __table_args__ = (Index("ix_member_tags_lookup", "team_id", "tag", "member_id"),)

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(80), primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)


class AskColumns:
    """The lifecycle columns every kind of ask has (requests, offers, preferences, meetings).

    ``status`` leaves ``pending`` once, stamping ``answered_at`` and the state's own time.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(
        _str_enum(RequestStatus), default=RequestStatus.PENDING
    )

    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]  # when it left "pending", whatever the outcome
    accepted_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    expired_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    decline_reason: Mapped[str | None] = mapped_column(String(120))
    decline_note: Mapped[str | None] = mapped_column(Text)
    close_reason: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(USER_ID)

    reminder_count: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None]

    # The Slack message that shows it to the person who answers it (for chat.update).
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class Request(AskColumns, Base):
    """A mentoring request (or mentor offer, or admin-routed preference) between two members."""

    __tablename__ = "requests"
    __table_args__ = (
        # At most one pending request per (mentee, mentor), whatever the race.
        Index(
            "uq_requests_one_pending_per_pair",
            "mentee_id",
            "mentor_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_requests_team_status_created", "team_id", "status", "created_at"),
        Index("ix_requests_mentor_status", "mentor_id", "status"),
        Index("ix_requests_mentee_status", "mentee_id", "status"),
    )

    kind: Mapped[RequestKind] = mapped_column(
        _str_enum(RequestKind), default=RequestKind.MENTEE_REQUEST
    )
    preference_rank: Mapped[int | None] = mapped_column(Integer)
    escalated_at: Mapped[datetime | None]  # when admins were told it waits too long


class Relationship(Base):
    """An active or ended mentoring relationship."""

    __tablename__ = "relationships"
    __table_args__ = (
        Index(
            "uq_relationships_one_active_per_pair",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_relationships_mentor_status", "mentor_id", "status"),
        Index("ix_relationships_mentee_status", "mentee_id", "status"),
        Index("ix_relationships_team_status", "team_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    status: Mapped[RelationshipStatus] = mapped_column(
        _str_enum(RelationshipStatus), default=RelationshipStatus.ACTIVE
    )
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    end_reason: Mapped[str | None] = mapped_column(Text)
    hidden_from_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    # The introduction in the pair's group DM, which shows their goals (updated in place).
    intro_ts: Mapped[str | None] = mapped_column(String(32))
    # How it ended: "member" (one of the pair), "admin", "term" or "departure".
    end_cause: Mapped[str | None] = mapped_column(String(16))

    # Check-ins: how many were asked, the last one's time (the sweep's guarded counter).
    checkins_asked: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_checkin_at: Mapped[datetime | None]
    at_risk_since: Mapped[datetime | None]
    at_risk_reason: Mapped[str | None] = mapped_column(String(16))
    nudged_at: Mapped[datetime | None]

    # Terms: when it ends unless extended; the end date the pair was last asked about; "finish"
    # once one of them confirmed it; the ask's message in the group DM (updated in place).
    term_ends_at: Mapped[datetime | None]
    term_asked_for: Mapped[datetime | None]
    term_decision: Mapped[str | None] = mapped_column(String(16))
    term_card_ts: Mapped[str | None] = mapped_column(String(32))


class Goal(Base):
    """One of the 1-3 goals a pair writes for their relationship."""

    __tablename__ = "relationship_goals"
    __table_args__ = (UniqueConstraint("relationship_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2 or 3
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class CheckIn(Base):
    """One periodic "have you met?" question to a pair, with each person's answer.

    ``number`` counts a pair's check-ins from 1; the unique pair (relationship, number) means a
    racing sweep can never ask the same check-in twice. ``closed_at``: a newer one was asked, or
    the relationship ended; answers are taken only before that.
    """

    __tablename__ = "relationship_checkins"
    __table_args__ = (
        UniqueConstraint("relationship_id", "number"),
        Index("ix_relationship_checkins_team_asked", "team_id", "asked_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"))
    number: Mapped[int] = mapped_column(Integer)
    since: Mapped[datetime]  # "Have you met since <since>?"
    asked_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # "yes", "not_yet" or "help"; a 1-5 rating only admins see; the note that came with "help".
    mentor_answer: Mapped[str | None] = mapped_column(String(8))
    mentor_answered_at: Mapped[datetime | None]
    mentor_rating: Mapped[int | None] = mapped_column(Integer)
    mentor_note: Mapped[str | None] = mapped_column(Text)
    mentee_answer: Mapped[str | None] = mapped_column(String(8))
    mentee_answered_at: Mapped[datetime | None]
    mentee_rating: Mapped[int | None] = mapped_column(Integer)
    mentee_note: Mapped[str | None] = mapped_column(Text)
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class Feedback(Base):
    """What one person says about a relationship once it ended (the closure survey)."""

    __tablename__ = "relationship_feedback"
    __table_args__ = (
        UniqueConstraint("relationship_id", "member_id"),
        Index("ix_relationship_feedback_waiting", "team_id", "answered_at", "reminded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    asked_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(8))  # goals met: fully / partly / not
    rating: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class Recommendation(Base):
    """A mentor an admin recommended to a mentee; a newer push replaces the mentee's older ones."""

    __tablename__ = "recommendations"
    __table_args__ = (
        Index("ix_recommendations_mentee", "mentee_id", "superseded_at"),
        Index("ix_recommendations_mentor", "mentor_id", "superseded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    rank: Mapped[int] = mapped_column(Integer)  # 1 = shown first
    score: Mapped[int] = mapped_column(Integer)  # the match score when it was pushed
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(USER_ID)
    superseded_at: Mapped[datetime | None]


class MeetingRequest(AskColumns, Base):
    """A one-time meeting (flash mentoring) a mentee asks a mentor for, with proposed times.

    It never starts a relationship, so it counts neither toward mentor capacity nor toward the
    mentee's active relationships; it has its own pending limit.
    """

    __tablename__ = "meeting_requests"
    __table_args__ = (
        Index(
            "uq_meeting_requests_one_pending_per_pair",
            "mentee_id",
            "mentor_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_meeting_requests_team_status_created", "team_id", "status", "created_at"),
        Index("ix_meeting_requests_mentor_status", "mentor_id", "status"),
        Index("ix_meeting_requests_mentee_status", "mentee_id", "status"),
    )

    topic: Mapped[str] = mapped_column(String(150))
    # Proposed start times as ISO 8601 UTC strings, in the order the mentee gave them.
    proposed_times: Mapped[list[str]] = mapped_column(JSON, default=list)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    meeting_at: Mapped[datetime | None]  # the proposed time the mentor accepted
    # When both were told the meeting is tomorrow; set at acceptance for a meeting less than a
    # day ahead, which needs no such reminder (mentoring.meetings.asking.accept_slot).
    meeting_reminded_at: Mapped[datetime | None]
    conversation_id: Mapped[str | None] = mapped_column(String(32))


class Event(Base):
    """Append-only audit log: every state change, who made it, and what changed."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_subject", "subject_type", "subject_id"),
        Index("ix_events_team_at", "team_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))  # Slack user id, or "system:<job>"
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OutboxMessage(Base):
    """A notification intent, committed with the change it announces and delivered afterwards."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("team_id", "dedupe_key"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    kind: Mapped[str] = mapped_column(String(64))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_requests.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Set when the same notice must never be queued twice (e.g. "reminder #2 of request 7").
    dedupe_key: Mapped[str | None] = mapped_column(String(128))

    status: Mapped[OutboxStatus] = mapped_column(
        _str_enum(OutboxStatus, 16), default=OutboxStatus.PENDING
    )
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A dispatcher owns the row until then; a crash lets the lease run out and another retries.
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class JobRun(Base):
    """When a scheduler job last started, last succeeded and last failed (one row per job).

    Written by whichever process runs the scheduler and read by any other (``/healthz`` of a
    web instance, ``mentor-match doctor``): the database is what they share.
    """

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_started_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
