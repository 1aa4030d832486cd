"""The closure survey: once a relationship ends, each person says how it went.

Each is asked (a DM with a button) for the outcome (goals met fully, partly or not), a 1-5
rating and an optional note. What they write is for the program's admins; the mentee's rating
of the mentor shows on the mentor's profile only when the program makes ratings public. A
person who has not answered after :data:`REMIND_AFTER` is reminded once, then never again
(:func:`remind_due`, a guarded bulk UPDATE of ``reminded_at IS NULL``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed
from mentoring.core.outbox import insert_events, insert_ignoring_duplicates, outbox_row
from mentoring.relationships.parties import load_for_party
from store.enums import RelationshipStatus
from store.models import Feedback, Relationship

REMIND_AFTER = timedelta(days=3)
MAX_NOTE_LENGTH = 1000
BATCH = 5000


class Outcome(StrEnum):
    """Were the pair's goals met?"""

    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"


OUTCOME_WORDS = {Outcome.FULLY: "Fully", Outcome.PARTLY: "Partly", Outcome.NOT: "Not really"}


@dataclass(frozen=True, slots=True)
class FeedbackView:
    id: int
    relationship_id: int
    member_id: int
    asked_at: datetime
    reminded_at: datetime | None
    answered_at: datetime | None
    outcome: Outcome | None
    rating: int | None

    @classmethod
    def of(cls, f: Feedback) -> FeedbackView:
        return cls(
            f.id,
            f.relationship_id,
            f.member_id,
            f.asked_at,
            f.reminded_at,
            f.answered_at,
            Outcome(f.outcome) if f.outcome else None,
            f.rating,
        )


def ask_feedback(
    session: Session, relationship: Relationship, member_ids: Iterable[int], now: datetime
) -> None:
    """Ask each of ``member_ids`` for their feedback on the ended relationship (once each)."""
    for member_id in member_ids:
        try:
            with session.begin_nested():
                session.add(
                    Feedback(
                        team_id=relationship.team_id,
                        relationship_id=relationship.id,
                        member_id=member_id,
                        asked_at=now,
                    )
                )
        except IntegrityError:
            continue  # asked already
        enqueue(
            session,
            team_id=relationship.team_id,
            notice=Notice.FEEDBACK_ASKED,
            recipient_id=member_id,
            relationship_id=relationship.id,
            dedupe_key=f"feedback:{relationship.id}:{member_id}",
            now=now,
        )


def _mine(session: Session, team_id: str, relationship_id: int, actor_user_id: str) -> Feedback:
    relationship, actor = load_for_party(session, team_id, relationship_id, actor_user_id)
    found = session.scalars(
        select(Feedback).where(
            Feedback.relationship_id == relationship.id, Feedback.member_id == actor.id
        )
    ).one_or_none()
    if found is None:
        raise NotAllowed("There is no feedback to give about this relationship yet.")
    return found


def check_can_answer(
    *, session: Session, team_id: str, relationship_id: int, actor_user_id: str
) -> FeedbackView:
    """Refuse before the form opens: a stranger, or feedback already given."""
    mine = _mine(session, team_id, relationship_id, actor_user_id)
    if mine.answered_at is not None:
        raise AlreadyHandled("You already shared your feedback. Thank you!")
    return FeedbackView.of(mine)


def answer_feedback(
    *,
    session: Session,
    team_id: str,
    relationship_id: int,
    actor_user_id: str,
    outcome: str,
    rating: int | None,
    note: str,
    now: datetime,
) -> FeedbackView:
    """One of the pair gives their feedback (once).

    Raises:
        InvalidInput: no outcome or rating, or a note too long (its field).
        NotAllowed / AlreadyHandled: not asked, or already answered.
    """
    if outcome not in set(Outcome):
        raise InvalidInput("Choose how far your goals were met.", field="outcome")
    if rating is None or not 1 <= rating <= 5:
        raise InvalidInput("Choose a rating from 1 to 5.", field="rating")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            "Please keep the note under {max} characters.", field="note", max=MAX_NOTE_LENGTH
        )
    mine = _mine(session, team_id, relationship_id, actor_user_id)
    result = session.execute(
        update(Feedback)
        .where(Feedback.id == mine.id, Feedback.answered_at.is_(None))
        .values(answered_at=now, outcome=outcome, rating=rating, note=note or None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("You already shared your feedback. Thank you!")
    session.refresh(mine)
    record_event(
        session,
        team_id=team_id,
        actor=actor_user_id,
        action="relationship.feedback",
        subject_type="relationship",
        subject_id=relationship_id,
        after={"outcome": outcome, "rating": rating},
        at=now,
    )
    enqueue(
        session,
        team_id=team_id,
        notice=Notice.FEEDBACK_UPDATED,
        recipient_id=mine.member_id,
        relationship_id=relationship_id,
        now=now,
    )
    return FeedbackView.of(mine)


def remind_due(session: Session, team_id: str, now: datetime) -> int:
    """Remind, once, everyone asked :data:`REMIND_AFTER` ago who has not answered."""
    candidates = list(
        session.scalars(
            select(Feedback.id).where(
                Feedback.team_id == team_id,
                Feedback.answered_at.is_(None),
                Feedback.reminded_at.is_(None),
                Feedback.asked_at <= now - REMIND_AFTER,
            )
        )
    )
    moved: list[tuple[int, int, int]] = []
    for start in range(0, len(candidates), BATCH):
        moved += (
            session.connection()
            .execute(
                update(Feedback)
                .where(
                    Feedback.id.in_(candidates[start : start + BATCH]),
                    Feedback.answered_at.is_(None),
                    Feedback.reminded_at.is_(None),
                )
                .values(reminded_at=now)
                .returning(Feedback.id, Feedback.relationship_id, Feedback.member_id)
            )
            .all()
        )
    insert_events(
        session,
        [
            {
                "team_id": team_id,
                "at": now,
                "actor": SYSTEM_SWEEP,
                "action": "relationship.feedback_reminded",
                "subject_type": "relationship",
                "subject_id": str(rel),
                "before": None,
                "after": {"member_id": member},
            }
            for _id, rel, member in moved
        ],
    )
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.FEEDBACK_REMINDER,
                now,
                recipient_id=member,
                relationship_id=rel,
                dedupe_key=f"feedback-reminder:{feedback_id}",
            )
            for feedback_id, rel, member in moved
        ],
    )
    return len(moved)


def feedback_of(
    session: Session, team_id: str, relationship_id: int, member_id: int
) -> FeedbackView | None:
    """One person's feedback on a relationship, if they were asked."""
    found = session.scalars(
        select(Feedback).where(
            Feedback.team_id == team_id,
            Feedback.relationship_id == relationship_id,
            Feedback.member_id == member_id,
        )
    ).one_or_none()
    return FeedbackView.of(found) if found else None


def remember_feedback_card(
    *, session: Session, team_id: str, relationship_id: int, member_id: int, channel: str, ts: str
) -> None:
    """Remember the latest message asking for this feedback (to redraw it once answered)."""
    session.execute(
        update(Feedback)
        .where(
            Feedback.team_id == team_id,
            Feedback.relationship_id == relationship_id,
            Feedback.member_id == member_id,
        )
        .values(slack_channel=channel, slack_ts=ts)
    )


@dataclass(frozen=True, slots=True)
class MentorRatings:
    """What mentees said of one mentor once their relationships ended."""

    average: float | None
    count: int


def mentor_ratings(session: Session, team_id: str, mentor_id: int) -> MentorRatings:
    """The average rating the mentor's former mentees gave (public only if the program says)."""
    average, count = session.execute(
        select(func.avg(Feedback.rating), func.count(Feedback.rating))
        .join(Relationship, Relationship.id == Feedback.relationship_id)
        .where(
            Feedback.team_id == team_id,
            Relationship.mentor_id == mentor_id,
            Feedback.member_id == Relationship.mentee_id,
            Feedback.rating.is_not(None),
            Relationship.status != RelationshipStatus.ACTIVE,
        )
    ).one()
    return MentorRatings(float(average) if average is not None else None, int(count or 0))
