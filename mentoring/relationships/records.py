"""What the admins' export says about each relationship after the match, and each check-in.

The export itself (CSV, column names, formula-safe cells) is :mod:`mentoring.reports.export`;
this module reads the figures it adds, a workspace at a time, in a few grouped queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from store.models import CheckIn, Feedback, Goal, Member, Relationship

CHECKIN_COLUMNS = (
    "relationship_id",
    "number",
    "mentor_user_id",
    "mentee_user_id",
    "asked_at",
    "since",
    "closed_at",
    "mentor_answer",
    "mentor_answered_at",
    "mentor_rating",
    "mentor_note",
    "mentee_answer",
    "mentee_answered_at",
    "mentee_rating",
    "mentee_note",
)


@dataclass(slots=True)
class RelationshipRecord:
    """One relationship's goals, check-ins and closure survey, as the export shows them."""

    goals: list[str] = field(default_factory=list)
    goals_done: int = 0
    checkins_asked: int = 0
    checkins_answered: int = 0  # at least one of the pair answered
    checkins_met: int = 0  # at least one answered "yes"
    last_checkin_at: datetime | None = None
    mentor_outcome: str | None = None
    mentor_rating: int | None = None
    mentee_outcome: str | None = None
    mentee_rating: int | None = None


def relationship_records(session: Session, team_id: str) -> dict[int, RelationshipRecord]:
    """Every relationship of the workspace that has goals, check-ins or feedback, by id."""
    records: dict[int, RelationshipRecord] = {}

    def record(rel: int) -> RelationshipRecord:
        return records.setdefault(rel, RelationshipRecord())

    for rel, text, done in session.execute(
        select(Goal.relationship_id, Goal.text, Goal.done_at)
        .where(Goal.team_id == team_id)
        .order_by(Goal.relationship_id, Goal.position)
    ):
        record(rel).goals.append(text)
        record(rel).goals_done += done is not None
    for rel, mentor, mentee, asked in session.execute(
        select(
            CheckIn.relationship_id, CheckIn.mentor_answer, CheckIn.mentee_answer, CheckIn.asked_at
        ).where(CheckIn.team_id == team_id)
    ):
        r = record(rel)
        r.checkins_asked += 1
        r.checkins_answered += bool(mentor or mentee)
        r.checkins_met += "yes" in (mentor, mentee)
        r.last_checkin_at = max(filter(None, (r.last_checkin_at, asked)))
    for rel, member, mentor_id, outcome, rating in session.execute(
        select(
            Feedback.relationship_id,
            Feedback.member_id,
            Relationship.mentor_id,
            Feedback.outcome,
            Feedback.rating,
        )
        .join(Relationship, Relationship.id == Feedback.relationship_id)
        .where(Feedback.team_id == team_id, Feedback.answered_at.is_not(None))
    ):
        r = record(rel)
        if member == mentor_id:
            r.mentor_outcome, r.mentor_rating = outcome, rating
        else:
            r.mentee_outcome, r.mentee_rating = outcome, rating
    return records


def checkin_rows(session: Session, team_id: str) -> Iterator[tuple[Any, ...]]:
    """Every check-in of the workspace, oldest first, in :data:`CHECKIN_COLUMNS` order."""
    mentor, mentee = aliased(Member), aliased(Member)
    query = (
        select(
            CheckIn.relationship_id,
            CheckIn.number,
            mentor.slack_user_id,
            mentee.slack_user_id,
            CheckIn.asked_at,
            CheckIn.since,
            CheckIn.closed_at,
            CheckIn.mentor_answer,
            CheckIn.mentor_answered_at,
            CheckIn.mentor_rating,
            CheckIn.mentor_note,
            CheckIn.mentee_answer,
            CheckIn.mentee_answered_at,
            CheckIn.mentee_rating,
            CheckIn.mentee_note,
        )
        .join(Relationship, Relationship.id == CheckIn.relationship_id)
        .join(mentor, mentor.id == Relationship.mentor_id)
        .join(mentee, mentee.id == Relationship.mentee_id)
        .where(CheckIn.team_id == team_id)
        .order_by(CheckIn.asked_at, CheckIn.id)
    )
    for row in session.execute(query.execution_options(yield_per=500)):
        yield tuple(row)
