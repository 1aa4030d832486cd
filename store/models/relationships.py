"""Mentoring relationships and what happens in them: goals, check-ins, closing feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.enums import RelationshipStatus
from store.models.base import TEAM_ID, Row, str_enum


class Relationship(Row):
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

    team_id: Mapped[str] = mapped_column(TEAM_ID, ForeignKey("workspaces.team_id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    status: Mapped[RelationshipStatus] = mapped_column(
        str_enum(RelationshipStatus), default=RelationshipStatus.ACTIVE
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


class Goal(Row):
    """One of the 1-3 goals a pair writes for their relationship."""

    __tablename__ = "relationship_goals"
    __table_args__ = (UniqueConstraint("relationship_id", "position"),)

    team_id: Mapped[str] = mapped_column(TEAM_ID)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2 or 3
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class CheckIn(Row):
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


class Feedback(Row):
    """What one person says about a relationship once it ended (the closure survey)."""

    __tablename__ = "relationship_feedback"
    __table_args__ = (
        UniqueConstraint("relationship_id", "member_id"),
        Index("ix_relationship_feedback_waiting", "team_id", "answered_at", "reminded_at"),
    )

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
