"""Who a relationship belongs to: loading it for one of its two people, and which side is whose."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from mentoring.core.errors import AlreadyHandled, NotAllowed, NotFound
from mentoring.core.members import require_member
from store.enums import RelationshipStatus
from store.models import Member, Relationship

ENDED = "This mentoring relationship has already ended."


class Side(StrEnum):
    """One of the two people of a relationship; also the prefix of their columns."""

    MENTOR = "mentor"
    MENTEE = "mentee"


def load_relationship(session: Session, team_id: str, relationship_id: int) -> Relationship:
    """A relationship of this workspace.

    Raises:
        NotFound: no such relationship here.
    """
    relationship = session.get(Relationship, relationship_id)
    if relationship is None or relationship.team_id != team_id:
        raise NotFound("That mentoring relationship no longer exists.")
    return relationship


def load_for_party(
    session: Session, team_id: str, relationship_id: int, actor_user_id: str
) -> tuple[Relationship, Member]:
    """The relationship and the acting member, who must be its mentor or its mentee.

    Raises:
        NotFound / NotEnrolled: no such relationship, or the actor is not in the program.
        NotAllowed: someone else's relationship.
    """
    relationship = load_relationship(session, team_id, relationship_id)
    actor = require_member(session, team_id, actor_user_id)
    if actor.id not in (relationship.mentor_id, relationship.mentee_id):
        raise NotAllowed("Only the {mentor} and {mentee} of this relationship can do that.")
    return relationship, actor


def require_active(relationship: Relationship) -> None:
    """Raise AlreadyHandled unless the relationship is still active."""
    if relationship.status is not RelationshipStatus.ACTIVE:
        raise AlreadyHandled(ENDED)


def side_of(relationship: Relationship, member_id: int) -> Side:
    """Whether ``member_id`` is the relationship's mentor or its mentee."""
    return Side.MENTOR if member_id == relationship.mentor_id else Side.MENTEE


def other_of(relationship: Relationship, member_id: int) -> int:
    """The other person of the relationship."""
    return relationship.mentee_id if member_id == relationship.mentor_id else relationship.mentor_id
