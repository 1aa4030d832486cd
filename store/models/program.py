"""A workspace served by the deployment, and the people enrolled in its program."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import TEAM_ID, USER_ID, Base, Row


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


class Member(Row):
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
