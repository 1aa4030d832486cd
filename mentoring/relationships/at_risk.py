"""When a pair is at risk, and when it is back on track.

A pair is at risk when nobody answered its last two check-ins, when both answered "Not yet" to
two check-ins in a row, when one of them asked for help, or when one of them left Slack. The
flag keeps the first reason and its time (``at_risk_since``) until both answer "Yes" to a
check-in. Flagging is a conditional UPDATE (``at_risk_since IS NULL``), so two paths flagging the
same pair at once record it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.orm import Session

from mentoring.core.audit import record_event
from mentoring.core.outbox import insert_events
from store.enums import RelationshipStatus
from store.models import Relationship


class RiskReason(StrEnum):
    NO_ANSWER = "no_answer"  # nobody answered the last two check-ins
    NOT_MET = "not_met"  # both answered "Not yet" twice in a row
    HELP = "help"  # someone asked for help
    DEPARTED = "departed"  # one of them left Slack


# What admins read for each reason.
REASON_WORDS = {
    RiskReason.NO_ANSWER: "nobody answered the last two check-ins",
    RiskReason.NOT_MET: "both said “not yet” twice in a row",
    RiskReason.HELP: "asked for help",
    RiskReason.DEPARTED: "one of them left Slack",
}


def reason_words(reason: str | None) -> str:
    """Why a pair is at risk, as admins read it (a stored reason this code no longer knows
    reads as plain "at risk")."""
    try:
        return REASON_WORDS[RiskReason(reason or "")]
    except ValueError:
        return "at risk"


def flag(
    session: Session,
    team_id: str,
    relationship_ids: Sequence[int],
    reason: RiskReason,
    actor: str,
    now: datetime,
) -> list[int]:
    """Mark active pairs at risk (unless they already are); return those newly flagged."""
    if not relationship_ids:
        return []
    flagged = list(
        session.connection()
        .execute(
            update(Relationship)
            .where(
                Relationship.id.in_(list(relationship_ids)),
                Relationship.status == RelationshipStatus.ACTIVE,
                Relationship.at_risk_since.is_(None),
            )
            .values(at_risk_since=now, at_risk_reason=reason.value)
            .returning(Relationship.id)
        )
        .scalars()
    )
    insert_events(
        session,
        [
            {
                "team_id": team_id,
                "at": now,
                "actor": actor,
                "action": "relationship.at_risk",
                "subject_type": "relationship",
                "subject_id": str(r),
                "before": None,
                "after": {"at_risk_reason": reason.value},
            }
            for r in flagged
        ],
    )
    _expire(session, flagged)
    return flagged


def clear(session: Session, relationship: Relationship, actor: str, now: datetime) -> bool:
    """The pair is back on track (both met): drop the flag; True when it was set."""
    result = session.execute(
        update(Relationship)
        .where(Relationship.id == relationship.id, Relationship.at_risk_since.is_not(None))
        .values(at_risk_since=None, at_risk_reason=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    record_event(
        session,
        team_id=relationship.team_id,
        actor=actor,
        action="relationship.back_on_track",
        subject_type="relationship",
        subject_id=relationship.id,
        before={"at_risk_reason": relationship.at_risk_reason},
        after={"at_risk_reason": None},
        at=now,
    )
    session.refresh(relationship)
    return True


def _expire(session: Session, ids: Sequence[int]) -> None:
    """Loaded copies of these relationships are stale after a Core UPDATE."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Relationship) and obj.id in ids:
            session.expire(obj)
