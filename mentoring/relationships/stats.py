"""Figures about relationships for the health report: how pairs start, meet, end and rate.

Every figure is over a period ``[start, end)`` unless it says "now":

* ``active`` (now), ``started`` and ``ended`` in the period, and the ``median_length`` of the
  relationships that ended in it;
* check-ins asked in the period: ``checkin_response_rate`` = answers given / answers asked
  (two per check-in), ``checkin_met_rate`` = check-ins where someone answered "yes" / check-ins
  answered at all;
* ``at_risk`` (now) and ``flagged`` (pairs first flagged in the period, ended ones included);
* ``completion_rate`` = finished / ended in the period (an early end, an admin's or a departure
  counts as not completed);
* the closure survey answered in the period: ``average_rating`` and how far goals were met;
* ``match_rate``: of the mentees whose first 30 days ended in the period, the share who had a
  relationship within those 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from store.enums import RelationshipStatus
from store.models import CheckIn, Feedback, Member, Relationship

MATCH_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class RelationshipHealth:
    active: int
    started: int
    ended: int
    median_length: timedelta | None
    checkins_asked: int
    checkin_response_rate: float | None
    checkin_met_rate: float | None
    at_risk: int
    flagged: int
    completion_rate: float | None
    feedback_answers: int
    average_rating: float | None
    goals_fully: int
    goals_partly: int
    goals_not: int
    match_rate: float | None
    match_cohort: int  # mentees whose first 30 days ended in the period


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def relationship_health(
    *, session: Session, team_id: str, start: datetime, end: datetime, now: datetime
) -> RelationshipHealth:
    """The relationship figures of one workspace for ``[start, end)``; see the module."""
    rel = Relationship
    mine = rel.team_id == team_id
    active = rel.status == RelationshipStatus.ACTIVE
    count = func.count()
    ended_rows = session.execute(
        select(rel.status, rel.started_at, rel.ended_at).where(
            mine, rel.ended_at >= start, rel.ended_at < end
        )
    ).all()
    lengths = [e - s for _st, s, e in ended_rows if e is not None]
    checkins = session.execute(
        select(CheckIn.mentor_answer, CheckIn.mentee_answer).where(
            CheckIn.team_id == team_id, CheckIn.asked_at >= start, CheckIn.asked_at < end
        )
    ).all()
    answers = sum((m is not None) + (e is not None) for m, e in checkins)
    answered = [(m, e) for m, e in checkins if m or e]
    feedback = session.execute(
        select(Feedback.outcome, Feedback.rating).where(
            Feedback.team_id == team_id,
            Feedback.answered_at >= start,
            Feedback.answered_at < end,
        )
    ).all()
    ratings = [r for _o, r in feedback if r is not None]
    outcomes = [o for o, _r in feedback]
    cohort, matched = _match(session, team_id, start, end)
    return RelationshipHealth(
        active=session.scalar(select(count).where(mine, active)) or 0,
        started=session.scalar(
            select(count).where(mine, rel.started_at >= start, rel.started_at < end)
        )
        or 0,
        ended=len(ended_rows),
        median_length=_median(lengths),
        checkins_asked=len(checkins),
        checkin_response_rate=_rate(answers, 2 * len(checkins)),
        checkin_met_rate=_rate(sum("yes" in pair for pair in answered), len(answered)),
        at_risk=session.scalar(select(count).where(mine, active, rel.at_risk_since.is_not(None)))
        or 0,
        flagged=session.scalar(
            select(count).where(mine, rel.at_risk_since >= start, rel.at_risk_since < end)
        )
        or 0,
        completion_rate=_rate(
            sum(st is RelationshipStatus.FINISHED for st, _s, _e in ended_rows), len(ended_rows)
        ),
        feedback_answers=len(feedback),
        average_rating=sum(ratings) / len(ratings) if ratings else None,
        goals_fully=outcomes.count("fully"),
        goals_partly=outcomes.count("partly"),
        goals_not=outcomes.count("not"),
        match_rate=_rate(matched, cohort),
        match_cohort=cohort,
    )


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _match(session: Session, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    """Mentees whose first 30 days ended in the period, and how many had a mentor by then."""
    as_mentee = select(Relationship.mentee_id).where(Relationship.team_id == team_id)
    cohort: dict[int, datetime] = dict(
        session.execute(
            select(Member.id, Member.enrolled_at).where(
                Member.team_id == team_id,
                or_(Member.is_mentee.is_(True), Member.id.in_(as_mentee)),
                Member.enrolled_at >= start - MATCH_WINDOW,
                Member.enrolled_at < end - MATCH_WINDOW,
            )
        ).all()
    )
    first: dict[int, datetime] = {}
    ids = list(cohort)
    for at in range(0, len(ids), 5000):
        first.update(
            session.execute(
                select(Relationship.mentee_id, func.min(Relationship.started_at))
                .where(Relationship.mentee_id.in_(ids[at : at + 5000]))
                .group_by(Relationship.mentee_id)
            ).all()
        )
    matched = sum(
        1
        for mentee, joined in cohort.items()
        if mentee in first and first[mentee] < joined + MATCH_WINDOW
    )
    return len(cohort), matched
