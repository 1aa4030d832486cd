"""Ending a relationship, whoever ends it: one of the pair, an admin, its term, or a departure.

The move is a conditional UPDATE (``status = 'active'``) checked for one row, so a second
click, a racing sweep or an Events API retry ends it once. In the same transaction: the event,
the open check-in closed and its card redrawn, the term card and the introduction (with its
goal buttons) redrawn, and the closure survey asked of each person still in Slack. Telling the
other person is the caller's: what they are told depends on who ended it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled
from mentoring.relationships.checkins import close_open_checkins
from mentoring.relationships.closure import ask_feedback
from mentoring.relationships.parties import ENDED
from store.enums import RelationshipStatus
from store.models import Member, Relationship


class EndCause(StrEnum):
    MEMBER = "member"  # one of the pair: Finish or End early
    ADMIN = "admin"  # a program admin, with a reason both read
    TERM = "term"  # the agreed term ran out
    DEPARTURE = "departure"  # one of the pair left Slack


def end_relationship(
    session: Session,
    relationship: Relationship,
    *,
    status: RelationshipStatus,
    cause: EndCause,
    reason: str | None,
    actor: str,
    now: datetime,
    ended_by: int | None = None,
    if_active: bool = False,
) -> bool:
    """Move an active relationship to ``status`` and do what every ending does; whether it did.

    With ``if_active`` (the paths that end many at once, where one already ended must not undo
    the others) a relationship someone else ended first (a racing sweep, one of the pair) is
    skipped; otherwise that raises.

    Raises:
        AlreadyHandled: it had ended already (without ``if_active``).
    """
    if if_active:
        try:
            with session.begin_nested():
                return end_relationship(
                    session,
                    relationship,
                    status=status,
                    cause=cause,
                    reason=reason,
                    actor=actor,
                    now=now,
                    ended_by=ended_by,
                )
        except AlreadyHandled:
            return False
    result = session.execute(
        update(Relationship)
        .where(
            Relationship.id == relationship.id,
            Relationship.status == RelationshipStatus.ACTIVE,
        )
        .values(status=status, ended_at=now, ended_by=ended_by, end_reason=reason, end_cause=cause)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled(ENDED)
    session.refresh(relationship)
    record_event(
        session,
        team_id=relationship.team_id,
        actor=actor,
        action=f"relationship.{status.value}",
        subject_type="relationship",
        subject_id=relationship.id,
        before={"status": RelationshipStatus.ACTIVE.value},
        after={"status": status.value, "reason": reason, "cause": cause.value},
        at=now,
    )
    close_open_checkins(session, relationship, now)
    for notice, shown in (
        (Notice.TERM_UPDATED, relationship.term_card_ts),
        (Notice.INTRO_UPDATED, relationship.intro_ts),
    ):
        if shown:
            enqueue(
                session,
                team_id=relationship.team_id,
                notice=notice,
                relationship_id=relationship.id,
                now=now,
            )
    still_here = session.scalars(
        select(Member.id).where(
            Member.id.in_([relationship.mentor_id, relationship.mentee_id]),
            Member.deactivated_at.is_(None),
        )
    ).all()
    ask_feedback(session, relationship, sorted(still_here), now)
    return True


def tell_closed(
    session: Session, relationship: Relationship, member_ids: list[int], now: datetime
) -> None:
    """Tell these people that an admin, the term or a departure ended the relationship."""
    for member_id in member_ids:
        enqueue(
            session,
            team_id=relationship.team_id,
            notice=Notice.RELATIONSHIP_CLOSED,
            recipient_id=member_id,
            relationship_id=relationship.id,
            dedupe_key=f"relationship-closed:{relationship.id}:{member_id}",
            now=now,
        )
