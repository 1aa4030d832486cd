"""The demo's relationships after the match: goals, months of check-ins, one pair at risk.

Played through the real operations after the requests' history (``bot.demo.timeline``), day by
day from the first relationship to ``now``: each day the sweep's check-in step asks whoever is
due, and the pairs answer as pairs do (most meet, some answer late or not at all). One pair
never answers, so two silent check-ins in a row flag it at risk, as the sweep does in real
life; most ended relationships have their closure survey answered.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.errors import DomainError
from mentoring.program.settings import ProgramSettings
from mentoring.relationships.checkin_sweep import ask_checkins
from mentoring.relationships.checkins import Answer, answer_checkin
from mentoring.relationships.closure import answer_feedback, remind_due
from mentoring.relationships.goals import mark_goal_done, set_goals
from store.enums import RelationshipStatus
from store.models import CheckIn, Feedback, Goal, Member, Relationship

GOALS = (
    ("Lead my first design review", "Write a one-page strategy doc", "Give feedback with care"),
    ("Decide between the staff and the manager track", "Run a team retrospective"),
    ("Present our roadmap to leadership", "Build a habit of weekly planning"),
    ("Get comfortable negotiating scope", "Ship the migration without overtime", "Hire well"),
)
DAY = timedelta(days=1)


def play_after_match(
    session: Session, *, team_id: str, settings: ProgramSettings, rng: random.Random, now: datetime
) -> int | None:
    """Goals, check-ins and feedback for the demo's pairs; returns the pair left at risk."""
    users: dict[int, str] = dict(session.execute(select(Member.id, Member.slack_user_id)).all())
    active = session.scalars(
        select(Relationship)
        .where(Relationship.team_id == team_id, Relationship.status == RelationshipStatus.ACTIVE)
        .order_by(Relationship.started_at)
    ).all()
    if not active:
        return None
    silent = active[0].id  # the longest-running pair never answers: it ends up at risk
    for n, rel in enumerate(active):
        if n % 5 == 4:
            continue  # some pairs never wrote goals
        at = rel.started_at + timedelta(hours=rng.uniform(4, 48))
        texts = list(GOALS[n % len(GOALS)])
        set_goals(
            session=session,
            team_id=team_id,
            relationship_id=rel.id,
            actor_user_id=users[rel.mentee_id],
            texts=texts,
            now=at,
        )
        first = session.scalars(
            select(Goal).where(Goal.relationship_id == rel.id, Goal.position == 1)
        ).one()
        if rng.random() < 0.4 and at + 20 * DAY < now:
            mark_goal_done(
                session=session,
                team_id=team_id,
                goal_id=first.id,
                actor_user_id=users[rel.mentor_id],
                now=at + 20 * DAY,
            )
    day = min(r.started_at for r in active) + DAY
    while day <= now:
        ask_checkins(session, team_id, settings, day)
        for checkin in session.scalars(
            select(CheckIn).where(CheckIn.team_id == team_id, CheckIn.asked_at == day)
        ).all():
            if checkin.relationship_id != silent:
                _answer(session, team_id, checkin, users, rng, day)
        day += DAY
    _closure(session, team_id, users, rng)
    remind_due(session, team_id, now)  # the one reminder those who did not answer got
    return silent


def _answer(
    session: Session,
    team_id: str,
    checkin: CheckIn,
    users: dict[int, str],
    rng: random.Random,
    asked: datetime,
) -> None:
    rel = session.get(Relationship, checkin.relationship_id)
    assert rel is not None  # noqa: S101 - the check-in's own relationship
    roll = rng.random()
    if roll < 0.1:
        return  # missed
    mentor_says = Answer.YES if roll < 0.85 else Answer.NOT_YET
    mentee_says = mentor_says if roll < 0.75 or roll >= 0.9 else None
    for member, says in ((rel.mentor_id, mentor_says), (rel.mentee_id, mentee_says)):
        if says is None:
            continue
        try:
            answer_checkin(
                session=session,
                team_id=team_id,
                checkin_id=checkin.id,
                actor_user_id=users[member],
                answer=says,
                now=asked + timedelta(hours=rng.uniform(2, 50)),
            )
        except DomainError:
            continue  # the pair ended meanwhile


def _closure(session: Session, team_id: str, users: dict[int, str], rng: random.Random) -> None:
    """Most people answer the closure survey of their ended relationship."""
    waiting = session.scalars(
        select(Feedback).where(Feedback.team_id == team_id, Feedback.answered_at.is_(None))
    ).all()
    for feedback in waiting:
        if rng.random() < 0.3:
            continue
        outcome = rng.choice(("fully", "fully", "partly", "not"))
        answer_feedback(
            session=session,
            team_id=team_id,
            relationship_id=feedback.relationship_id,
            actor_user_id=users[feedback.member_id],
            outcome=outcome,
            rating={"fully": 5, "partly": 4, "not": 2}[outcome] - rng.randint(0, 1),
            note="",
            now=feedback.asked_at + timedelta(hours=rng.uniform(3, 60)),
        )
