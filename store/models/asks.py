"""Asks, and recommendations that lead to them: requests, offers, preferences, meeting requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.enums import RequestKind, RequestStatus
from store.models.base import TEAM_ID, USER_ID, Row, str_enum


class AskColumns:
    """The lifecycle columns every kind of ask has (requests, offers, preferences, meetings).

    ``status`` leaves ``pending`` once, stamping ``answered_at`` and the state's own time.
    """

    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus), default=RequestStatus.PENDING
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


class Request(AskColumns, Row):
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
        str_enum(RequestKind), default=RequestKind.MENTEE_REQUEST
    )
    preference_rank: Mapped[int | None] = mapped_column(Integer)
    escalated_at: Mapped[datetime | None]  # when admins were told it waits too long


class MeetingRequest(AskColumns, Row):
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


class AskMessage(Row):
    """One Slack message whose buttons act on an ask: its first card, each reminder, an admin's
    notice of a submission. Every one is redrawn in place (chat.update) when the ask ends.

    Exactly one of ``request_id`` and ``meeting_id`` is set.
    """

    __tablename__ = "ask_messages"
    __table_args__ = (
        UniqueConstraint("channel", "ts"),
        Index("ix_ask_messages_request", "request_id"),
        Index("ix_ask_messages_meeting", "meeting_id"),
    )

    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_requests.id"))
    role: Mapped[str] = mapped_column(String(16))  # "card", "reminder" or "admin"
    channel: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime]


class Recommendation(Row):
    """A mentor an admin recommended to a mentee; a newer push replaces the mentee's older ones."""

    __tablename__ = "recommendations"
    __table_args__ = (
        Index("ix_recommendations_mentee", "mentee_id", "superseded_at"),
        Index("ix_recommendations_mentor", "mentor_id", "superseded_at"),
    )

    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    rank: Mapped[int] = mapped_column(Integer)  # 1 = shown first
    score: Mapped[int] = mapped_column(Integer)  # the match score when it was pushed
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(USER_ID)
    superseded_at: Mapped[datetime | None]
