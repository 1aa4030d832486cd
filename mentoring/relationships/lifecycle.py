"""Mentoring relationships: finishing, abandoning, hiding from profile, listing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import InvalidInput
from mentoring.core.members import member_by_id
from mentoring.core.views import MemberView, RelationshipView
from mentoring.relationships.ending import EndCause, end_relationship
from mentoring.relationships.parties import (
    load_for_party,
    load_relationship,
    other_of,
    require_active,
)
from store.enums import RelationshipStatus
from store.models import Relationship

MAX_REASON_LENGTH = 1000


def _end(
    session: Session,
    *,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    status: RelationshipStatus,
    reason: str | None,
    now: datetime,
) -> RelationshipView:
    relationship, actor = load_for_party(session, team_id, relationship_id, actor_user_id)
    require_active(relationship)
    end_relationship(
        session,
        relationship,
        status=status,
        cause=EndCause.MEMBER,
        reason=reason,
        actor=actor_user_id,
        ended_by=actor.id,
        now=now,
    )
    enqueue(
        session,
        team_id=team_id,
        notice=Notice.RELATIONSHIP_ENDED,
        recipient_id=other_of(relationship, actor.id),
        relationship_id=relationship.id,
        now=now,
    )
    return RelationshipView.of(relationship)


def finish(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    now: datetime,
    note: str = "",
) -> RelationshipView:
    """Either person marks the relationship as completed; the mentor's slot frees up."""
    note = (note or "").strip()
    if len(note) > MAX_REASON_LENGTH:
        raise InvalidInput(
            f"Please keep the note under {MAX_REASON_LENGTH} characters.", field="note"
        )
    return _end(
        session,
        team_id=team_id,
        relationship_id=relationship_id,
        actor_user_id=actor_user_id,
        status=RelationshipStatus.FINISHED,
        reason=note or None,
        now=now,
    )


def abandon(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    reason: str,
    now: datetime,
) -> RelationshipView:
    """Either person ends the relationship early, saying why; the mentor's slot frees up."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Please say briefly why the relationship is ending.", field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            f"Please keep the reason under {MAX_REASON_LENGTH} characters.", field="reason"
        )
    return _end(
        session,
        team_id=team_id,
        relationship_id=relationship_id,
        actor_user_id=actor_user_id,
        status=RelationshipStatus.ABANDONED,
        reason=reason,
        now=now,
    )


def set_hidden(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    hidden: bool,
    now: datetime,
) -> RelationshipView:
    """Hide (or show again) the relationship on both people's profiles."""
    relationship, _ = load_for_party(session, team_id, relationship_id, actor_user_id)
    if relationship.hidden_from_profile != hidden:
        relationship.hidden_from_profile = hidden
        record_event(
            session,
            team_id=team_id,
            actor=actor_user_id,
            action="relationship.hidden" if hidden else "relationship.shown",
            subject_type="relationship",
            subject_id=relationship.id,
            before={"hidden_from_profile": not hidden},
            after={"hidden_from_profile": hidden},
            at=now,
        )
        session.flush()
    return RelationshipView.of(relationship)


def relationship_party(
    *, session: Session, team_id: str, relationship_id: int, actor_user_id: str
) -> tuple[RelationshipView, MemberView]:
    """Check the person is in this active relationship; return it and the other person."""
    relationship, actor = load_for_party(session, team_id, relationship_id, actor_user_id)
    require_active(relationship)
    other = other_of(relationship, actor.id)
    return RelationshipView.of(relationship), MemberView.of(member_by_id(session, team_id, other))


def set_conversation(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    conversation_id: str,
    intro_ts: str | None = None,
) -> None:
    """Remember the pair's shared Slack conversation (and the introduction posted there)."""
    relationship = load_relationship(session, team_id, relationship_id)
    relationship.conversation_id = conversation_id
    if intro_ts:
        relationship.intro_ts = intro_ts


def relationships_of(
    *,
    session: Session,
    team_id: str,
    member_id: int,
    include_ended: bool = False,
    include_hidden: bool = True,
) -> tuple[RelationshipView, ...]:
    """The member's relationships as mentor or mentee, newest first."""
    member_by_id(session, team_id, member_id)
    query = select(Relationship).where(
        Relationship.team_id == team_id,
        or_(Relationship.mentor_id == member_id, Relationship.mentee_id == member_id),
    )
    if not include_ended:
        query = query.where(Relationship.status == RelationshipStatus.ACTIVE)
    if not include_hidden:
        query = query.where(Relationship.hidden_from_profile.is_(False))
    rows = session.scalars(query.order_by(Relationship.started_at.desc(), Relationship.id.desc()))
    return tuple(RelationshipView.of(r) for r in rows)
