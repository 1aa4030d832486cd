"""What program admins do about relationships: see the pairs at risk and the terms ending
soon, nudge a pair, or end a relationship with a reason both read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from mentoring.asks.followups import check_admin_remind_gap, validated_close_reason
from mentoring.core.actors import Actor, require_admin
from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled
from mentoring.core.members import get_members
from mentoring.core.views import MemberView, RelationshipView
from mentoring.relationships.ending import EndCause, end_relationship, tell_closed
from mentoring.relationships.parties import load_relationship, require_active
from store.enums import RelationshipStatus
from store.models import Relationship

ENDING_WITHIN = timedelta(days=30)
MAX_LISTED = 30  # at-risk pairs and terms listed in the admins' view (a modal holds 100 blocks)


@dataclass(frozen=True, slots=True)
class PairLine:
    relationship: RelationshipView
    mentor: MemberView
    mentee: MemberView


@dataclass(frozen=True, slots=True)
class Oversight:
    active: int
    at_risk: tuple[PairLine, ...]  # longest at risk first
    at_risk_count: int
    ending_soon: tuple[PairLine, ...]  # soonest first
    ending_count: int


def oversight(*, session: Session, team_id: str, now: datetime) -> Oversight:
    """The pairs admins should look at: at risk, and terms ending within 30 days."""
    active = Relationship.team_id == team_id, Relationship.status == RelationshipStatus.ACTIVE
    risky = select(Relationship).where(*active, Relationship.at_risk_since.is_not(None))
    ending = select(Relationship).where(
        *active,
        Relationship.term_ends_at.is_not(None),
        Relationship.term_ends_at <= now + ENDING_WITHIN,
    )
    at_risk = session.scalars(
        risky.order_by(Relationship.at_risk_since, Relationship.id).limit(MAX_LISTED)
    ).all()
    soon = session.scalars(
        ending.order_by(Relationship.term_ends_at, Relationship.id).limit(MAX_LISTED)
    ).all()
    people = get_members(
        session=session,
        team_id=team_id,
        ids={r.mentor_id for r in (*at_risk, *soon)} | {r.mentee_id for r in (*at_risk, *soon)},
    )

    def lines(rows: list[Relationship] | tuple[Relationship, ...]) -> tuple[PairLine, ...]:
        return tuple(
            PairLine(RelationshipView.of(r), people[r.mentor_id], people[r.mentee_id]) for r in rows
        )

    def count(query: Select[Relationship]) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    return Oversight(
        active=session.scalar(select(func.count()).where(*active)) or 0,
        at_risk=lines(list(at_risk)),
        at_risk_count=count(risky),
        ending_soon=lines(list(soon)),
        ending_count=count(ending),
    )


def at_risk_count(*, session: Session, team_id: str) -> int:
    """How many active pairs are at risk now (for the digest and the health report)."""
    return (
        session.scalar(
            select(func.count()).where(
                Relationship.team_id == team_id,
                Relationship.status == RelationshipStatus.ACTIVE,
                Relationship.at_risk_since.is_not(None),
            )
        )
        or 0
    )


def nudge(
    *, session: Session, team_id: str, relationship_id: int, actor: Actor, now: datetime
) -> None:
    """An admin sends both people a friendly nudge (not within an hour of the last one).

    Raises:
        NotAllowed: not an admin.
        AlreadyHandled: the relationship ended, or it was nudged less than an hour ago.
    """
    require_admin(actor)
    relationship = load_relationship(session, team_id, relationship_id)
    require_active(relationship)
    check_admin_remind_gap(relationship.nudged_at, now)
    moved = session.execute(
        update(Relationship)
        .where(
            Relationship.id == relationship.id,
            Relationship.status == RelationshipStatus.ACTIVE,
            or_(Relationship.nudged_at.is_(None), Relationship.nudged_at == relationship.nudged_at),
        )
        .values(nudged_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("Someone nudged this pair a moment ago.")
    record_event(
        session,
        team_id=team_id,
        actor=actor.user_id,
        action="relationship.nudged",
        subject_type="relationship",
        subject_id=relationship.id,
        at=now,
    )
    stamp = now.strftime("%Y%m%dT%H%M%S")
    for member_id in (relationship.mentor_id, relationship.mentee_id):
        enqueue(
            session,
            team_id=team_id,
            notice=Notice.RELATIONSHIP_NUDGE,
            recipient_id=member_id,
            relationship_id=relationship.id,
            dedupe_key=f"nudge:{relationship.id}:{stamp}:{member_id}",
            now=now,
        )


def end_by_admin(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor: Actor,
    reason: str,
    now: datetime,
) -> RelationshipView:
    """An admin ends a relationship with a reason both people read; both are asked feedback.

    Raises:
        NotAllowed: not an admin.
        InvalidInput: no reason, or one too long (``field="reason"``).
        AlreadyHandled: it had ended already.
    """
    require_admin(actor)
    reason = validated_close_reason(reason)
    relationship = load_relationship(session, team_id, relationship_id)
    require_active(relationship)
    end_relationship(
        session,
        relationship,
        status=RelationshipStatus.ABANDONED,
        cause=EndCause.ADMIN,
        reason=reason,
        actor=actor.user_id,
        now=now,
    )
    tell_closed(session, relationship, [relationship.mentor_id, relationship.mentee_id], now)
    return RelationshipView.of(relationship)
