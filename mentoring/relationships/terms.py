"""Terms: a relationship that runs for ``relationship_term_days``, unless the pair extends it.

With a term set, every active relationship gets an end date (its start plus the term; one that
is already past it gets :data:`NOTICE` from now, so nobody ends unasked). :data:`NOTICE`
before that date both are asked in their group DM: **Extend by N days** or **Finish on
<date>**. Extending moves the date (and they are asked again before the new one); a pair that
does not answer finishes on the date, with the closure survey. The buttons carry the end date
they were drawn with, and every move is guarded by it, so a double click extends once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from mentoring.asks.reminders import next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled
from mentoring.core.outbox import insert_events, insert_ignoring_duplicates, outbox_row
from mentoring.program.settings import ProgramSettings, get_settings
from mentoring.relationships.ending import EndCause, end_relationship, tell_closed
from mentoring.relationships.parties import load_for_party, require_active
from store.enums import RelationshipStatus
from store.models import Member, Relationship

NOTICE = timedelta(days=10)
FINISH = "finish"


@dataclass(frozen=True, slots=True)
class TermSweep:
    asked: int = 0
    finished: int = 0


def sweep_terms(
    session: Session, team_id: str, settings: ProgramSettings, now: datetime
) -> TermSweep:
    """Date the undated, ask those within :data:`NOTICE` of their end, finish those past it."""
    if settings.relationship_term_days is None:
        return TermSweep()
    _date_new(session, team_id, settings.relationship_term_days, now)
    return TermSweep(_ask_due(session, team_id, settings, now), _finish_due(session, team_id, now))


def _date_new(session: Session, team_id: str, term_days: int, now: datetime) -> None:
    undated = session.execute(
        select(Relationship.id, Relationship.started_at).where(
            Relationship.team_id == team_id,
            Relationship.status == RelationshipStatus.ACTIVE,
            Relationship.term_ends_at.is_(None),
        )
    ).all()
    if not undated:
        return
    session.connection().execute(
        update(Relationship)
        .where(Relationship.id == bindparam("rel"), Relationship.term_ends_at.is_(None))
        .values(term_ends_at=bindparam("ends")),
        [
            {"rel": rel, "ends": max(started + timedelta(days=term_days), now + NOTICE)}
            for rel, started in undated
        ],
    )


def _ask_due(session: Session, team_id: str, settings: ProgramSettings, now: datetime) -> int:
    due = session.execute(
        select(Relationship.id, Relationship.term_ends_at, Member.tz)
        .join(Member, Member.id == Relationship.mentor_id)
        .where(
            Relationship.team_id == team_id,
            Relationship.status == RelationshipStatus.ACTIVE,
            Relationship.term_ends_at <= now + NOTICE,
            Relationship.term_ends_at > now,
            (Relationship.term_asked_for.is_(None))
            | (Relationship.term_asked_for != Relationship.term_ends_at),
        )
    ).all()
    asked: list[tuple[int, datetime, str]] = []
    for rel, ends, tz in due:
        moved = session.execute(
            update(Relationship)
            .where(
                Relationship.id == rel,
                Relationship.status == RelationshipStatus.ACTIVE,
                Relationship.term_ends_at == ends,
            )
            .values(term_asked_for=ends, term_decision=None, term_card_ts=None)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1 and ends is not None:  # type: ignore[attr-defined]
            asked.append((rel, ends, tz))
    insert_events(
        session,
        [
            {
                "team_id": team_id,
                "at": now,
                "actor": SYSTEM_SWEEP,
                "action": "relationship.term_asked",
                "subject_type": "relationship",
                "subject_id": str(rel),
                "before": None,
                "after": {"term_ends_at": ends.isoformat()},
            }
            for rel, ends, _tz in asked
        ],
    )
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.TERM_ASKED,
                now,
                relationship_id=rel,
                dedupe_key=f"term:{rel}:{ends:%Y%m%dT%H%M%S}",
                deliver_at=min(next_working_moment(now, tz, settings), ends),
            )
            for rel, ends, tz in asked
        ],
    )
    return len(asked)


def _finish_due(session: Session, team_id: str, now: datetime) -> int:
    due = session.scalars(
        select(Relationship).where(
            Relationship.team_id == team_id,
            Relationship.status == RelationshipStatus.ACTIVE,
            Relationship.term_ends_at <= now,
        )
    ).all()
    finished = 0
    for relationship in due:
        if not end_relationship(
            session,
            relationship,
            if_active=True,
            status=RelationshipStatus.FINISHED,
            cause=EndCause.TERM,
            reason=None,
            actor=SYSTEM_SWEEP,
            now=now,
        ):
            continue
        tell_closed(session, relationship, [relationship.mentor_id, relationship.mentee_id], now)
        finished += 1
    return finished


def _decide(
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    seen_end: datetime,
    now: datetime,
    **values: object,
) -> Relationship:
    relationship, _actor = load_for_party(session, team_id, relationship_id, actor_user_id)
    require_active(relationship)
    moved = session.execute(
        update(Relationship)
        .where(
            Relationship.id == relationship.id,
            Relationship.status == RelationshipStatus.ACTIVE,
            Relationship.term_ends_at == seen_end,
            Relationship.term_decision.is_(None),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("This was already decided: the message above shows what.")
    session.refresh(relationship)
    return relationship


def extend_term(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    seen_end: datetime,
    now: datetime,
) -> datetime:
    """Either person extends the term by the program's extension; returns the new end.

    Raises:
        NotAllowed / AlreadyHandled: not one of the pair, ended, or already decided.
    """
    days = get_settings(session=session, team_id=team_id).relationship_extension_days
    new_end = seen_end + timedelta(days=days)
    relationship = _decide(
        session, team_id, relationship_id, actor_user_id, seen_end, now, term_ends_at=new_end
    )
    _record(session, relationship, actor_user_id, "term_extended", seen_end, now)
    return new_end


def confirm_finish(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    seen_end: datetime,
    now: datetime,
) -> None:
    """Either person confirms the relationship finishes on its end date.

    Raises:
        NotAllowed / AlreadyHandled: not one of the pair, ended, or already decided.
    """
    relationship = _decide(
        session, team_id, relationship_id, actor_user_id, seen_end, now, term_decision=FINISH
    )
    _record(session, relationship, actor_user_id, "term_confirmed", seen_end, now)


def _record(
    session: Session,
    relationship: Relationship,
    actor: str,
    action: str,
    seen_end: datetime,
    now: datetime,
) -> None:
    assert relationship.term_ends_at is not None  # noqa: S101 - set by the guarded move
    record_event(
        session,
        team_id=relationship.team_id,
        actor=actor,
        action=f"relationship.{action}",
        subject_type="relationship",
        subject_id=relationship.id,
        before={"term_ends_at": seen_end.isoformat()},
        after={"term_ends_at": relationship.term_ends_at.isoformat()},
        at=now,
    )
    enqueue(
        session,
        team_id=relationship.team_id,
        notice=Notice.TERM_UPDATED,
        relationship_id=relationship.id,
        now=now,
    )


def remember_term_card(*, session: Session, team_id: str, relationship_id: int, ts: str) -> None:
    """Remember the message asking about the term (to redraw it in place)."""
    session.execute(
        update(Relationship)
        .where(Relationship.team_id == team_id, Relationship.id == relationship_id)
        .values(term_card_ts=ts)
    )
