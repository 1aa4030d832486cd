"""A pair's goals (their agreement): one to three, written and marked done by either of them.

Goals show in the pair's group DM (the introduction, redrawn in place on every change), on both
App Homes and on their profiles. Saving the goals form replaces the texts position by position:
a goal whose text is unchanged keeps its "done" mark, a changed one starts again, an emptied one
goes away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotFound
from mentoring.relationships.parties import load_for_party, require_active
from store.models import Goal, Relationship

MAX_GOALS = 3
MAX_GOAL_LENGTH = 200


@dataclass(frozen=True, slots=True)
class GoalView:
    id: int
    relationship_id: int
    position: int
    text: str
    done_at: datetime | None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @classmethod
    def of(cls, g: Goal) -> GoalView:
        return cls(g.id, g.relationship_id, g.position, g.text, g.done_at)


def goal_field(position: int) -> str:
    """The form input (and error field) of the goal at ``position`` (1-3)."""
    return f"goal_{position}"


def goals_of(session: Session, relationship_ids: Iterable[int]) -> dict[int, tuple[GoalView, ...]]:
    """Each relationship's goals in order (relationships without goals are left out)."""
    wanted = sorted(set(relationship_ids))
    found: dict[int, list[GoalView]] = {}
    for start in range(0, len(wanted), 5000):
        rows = session.scalars(
            select(Goal)
            .where(Goal.relationship_id.in_(wanted[start : start + 5000]))
            .order_by(Goal.relationship_id, Goal.position)
        )
        for goal in rows:
            found.setdefault(goal.relationship_id, []).append(GoalView.of(goal))
    return {rel: tuple(goals) for rel, goals in found.items()}


def validated_goals(texts: Sequence[str]) -> list[str]:
    """The goals as typed (one per position), trimmed; at least one, each short enough.

    Raises:
        InvalidInput: none written, or one longer than :data:`MAX_GOAL_LENGTH` (its field).
    """
    cleaned = [" ".join((t or "").split()) for t in texts][:MAX_GOALS]
    cleaned += [""] * (MAX_GOALS - len(cleaned))
    for position, text in enumerate(cleaned, start=1):
        if len(text) > MAX_GOAL_LENGTH:
            raise InvalidInput(
                "Please keep each goal under {max} characters (this one has {length}).",
                field=goal_field(position),
                max=MAX_GOAL_LENGTH,
                length=len(text),
            )
    if not any(cleaned):
        raise InvalidInput("Write at least one goal.", field=goal_field(1))
    return cleaned


def set_goals(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    texts: Sequence[str],
    now: datetime,
) -> tuple[GoalView, ...]:
    """Either person writes (or rewrites) the pair's 1-3 goals.

    Raises:
        InvalidInput: no goal, or one too long.
        NotAllowed / AlreadyHandled: not one of the pair, or the relationship ended.
    """
    cleaned = validated_goals(texts)
    relationship, _actor = load_for_party(session, team_id, relationship_id, actor_user_id)
    require_active(relationship)
    existing = {
        g.position: g
        for g in session.scalars(select(Goal).where(Goal.relationship_id == relationship.id))
    }
    before = [existing[p].text for p in sorted(existing)]
    for position, text in enumerate(cleaned, start=1):
        goal = existing.get(position)
        if goal is None and text:
            session.add(
                Goal(
                    team_id=team_id,
                    relationship_id=relationship.id,
                    position=position,
                    text=text,
                    created_at=now,
                    updated_at=now,
                )
            )
        elif goal is not None and not text:
            session.delete(goal)
        elif goal is not None and goal.text != text:
            goal.text, goal.updated_at, goal.done_at, goal.done_by = text, now, None, None
    session.flush()
    after = [t for t in cleaned if t]
    if after != before:
        record_event(
            session,
            team_id=team_id,
            actor=actor_user_id,
            action="relationship.goals_set",
            subject_type="relationship",
            subject_id=relationship.id,
            before={"goals": before},
            after={"goals": after},
            at=now,
        )
        _redraw(session, relationship, now)
    return goals_of(session, [relationship.id]).get(relationship.id, ())


def mark_goal_done(
    *, session: Session, team_id: str, goal_id: int, actor_user_id: str, now: datetime
) -> GoalView:
    """Either person marks one of their goals done (once: a second click changes nothing).

    Raises:
        NotFound / NotAllowed: no such goal, or not one of the pair.
        AlreadyHandled: already done, or the relationship ended.
    """
    goal = session.get(Goal, goal_id)
    if goal is None or goal.team_id != team_id:
        raise NotFound("That goal no longer exists: it may have been rewritten.")
    relationship, actor = load_for_party(session, team_id, goal.relationship_id, actor_user_id)
    require_active(relationship)
    result = session.execute(
        update(Goal)
        .where(Goal.id == goal.id, Goal.done_at.is_(None))
        .values(done_at=now, done_by=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("That goal is already marked done.")
    session.refresh(goal)
    record_event(
        session,
        team_id=team_id,
        actor=actor_user_id,
        action="relationship.goal_done",
        subject_type="relationship",
        subject_id=relationship.id,
        after={"goal": goal.text, "position": goal.position},
        at=now,
    )
    _redraw(session, relationship, now)
    return GoalView.of(goal)


def _redraw(session: Session, relationship: Relationship, now: datetime) -> None:
    """Redraw the introduction in the group DM, which lists the goals."""
    enqueue(
        session,
        team_id=relationship.team_id,
        notice=Notice.INTRO_UPDATED,
        relationship_id=relationship.id,
        now=now,
    )
