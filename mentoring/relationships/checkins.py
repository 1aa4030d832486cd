"""Check-ins: "Have you met since <date>?", answered by each of the pair on a card in their DM.

Each answers once: **Yes**, **Not yet** or **We need help** (with a note; the program admins are
told at once), and may add a 1-5 "how is it going" that only admins see. Every answer is a
conditional UPDATE of that person's column (``IS NULL``, check-in still open), so a double
click, a retry or a stale card changes nothing; the card is redrawn in place after each. A
check-in closes when the next one is asked or the relationship ends. The sweep that asks them
is :mod:`mentoring.relationships.checkin_sweep`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotFound
from mentoring.core.outbox import insert_ignoring_duplicates, outbox_row
from mentoring.relationships.at_risk import RiskReason, clear, flag
from mentoring.relationships.parties import load_for_party, require_active, side_of
from store.models import CheckIn, Relationship

MAX_NOTE_LENGTH = 1000


class Answer(StrEnum):
    YES = "yes"
    NOT_YET = "not_yet"
    HELP = "help"


@dataclass(frozen=True, slots=True)
class CheckInView:
    id: int
    relationship_id: int
    number: int
    since: datetime
    asked_at: datetime
    closed_at: datetime | None
    mentor_answer: Answer | None
    mentee_answer: Answer | None
    mentor_rated: bool
    mentee_rated: bool

    @property
    def complete(self) -> bool:
        return self.mentor_answer is not None and self.mentee_answer is not None

    @classmethod
    def of(cls, c: CheckIn) -> CheckInView:
        return cls(
            id=c.id,
            relationship_id=c.relationship_id,
            number=c.number,
            since=c.since,
            asked_at=c.asked_at,
            closed_at=c.closed_at,
            mentor_answer=Answer(c.mentor_answer) if c.mentor_answer else None,
            mentee_answer=Answer(c.mentee_answer) if c.mentee_answer else None,
            mentor_rated=c.mentor_rating is not None,
            mentee_rated=c.mentee_rating is not None,
        )


def get_checkin(session: Session, team_id: str, relationship_id: int, number: int) -> CheckInView:
    """One check-in of a relationship, by its number."""
    found = session.scalars(
        select(CheckIn).where(
            CheckIn.team_id == team_id,
            CheckIn.relationship_id == relationship_id,
            CheckIn.number == number,
        )
    ).one_or_none()
    if found is None:
        raise NotFound("That check-in no longer exists.")
    return CheckInView.of(found)


def _load(
    session: Session, team_id: str, checkin_id: int, actor_user_id: str
) -> tuple[CheckIn, Relationship, str]:
    checkin = session.get(CheckIn, checkin_id)
    if checkin is None or checkin.team_id != team_id:
        raise NotFound("That check-in no longer exists.")
    relationship, actor = load_for_party(session, team_id, checkin.relationship_id, actor_user_id)
    require_active(relationship)
    if checkin.closed_at is not None:
        raise AlreadyHandled("This check-in is closed: a newer one was sent since.")
    return checkin, relationship, side_of(relationship, actor.id).value


def check_can_answer(
    *, session: Session, team_id: str, checkin_id: int, actor_user_id: str
) -> CheckInView:
    """Refuse before a form opens: a stranger, a closed check-in, or one already answered."""
    checkin, _relationship, side = _load(session, team_id, checkin_id, actor_user_id)
    if getattr(checkin, f"{side}_answer") is not None:
        raise AlreadyHandled("You already answered this check-in. Thank you!")
    return CheckInView.of(checkin)


def answer_checkin(
    *,
    session: Session,
    team_id: str,
    checkin_id: int,
    actor_user_id: str,
    answer: Answer,
    now: datetime,
    note: str = "",
    admins: Sequence[str] = (),
) -> CheckInView:
    """One of the pair answers the check-in (once).

    "We need help" needs a note; it flags the pair at risk and tells each of ``admins``.

    Raises:
        InvalidInput: help without a note, or a note too long (``field="note"``).
        NotAllowed: not one of the pair.
        AlreadyHandled: already answered, the check-in closed, or the relationship ended.
    """
    note = (note or "").strip()
    if answer is Answer.HELP and not note:
        raise InvalidInput("Say briefly what you need help with.", field="note")
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            "Please keep the note under {max} characters.", field="note", max=MAX_NOTE_LENGTH
        )
    checkin, relationship, side = _load(session, team_id, checkin_id, actor_user_id)
    column = getattr(CheckIn, f"{side}_answer")
    values: dict[str, Any] = {f"{side}_answer": answer.value, f"{side}_answered_at": now}
    if answer is Answer.HELP:
        values[f"{side}_note"] = note
    result = session.execute(
        update(CheckIn)
        .where(CheckIn.id == checkin.id, column.is_(None), CheckIn.closed_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("You already answered this check-in. Thank you!")
    session.refresh(checkin)
    record_event(
        session,
        team_id=team_id,
        actor=actor_user_id,
        action="relationship.checkin_answered",
        subject_type="relationship",
        subject_id=relationship.id,
        after={"number": checkin.number, "side": side, "answer": answer.value},
        at=now,
    )
    _redraw(session, checkin, now)
    if answer is Answer.HELP:
        flag(session, team_id, [relationship.id], RiskReason.HELP, actor_user_id, now)
        _tell_admins(session, team_id, checkin, relationship.id, side, admins, now)
    elif checkin.mentor_answer and checkin.mentee_answer:
        _judge(session, relationship, checkin, actor_user_id, now)
    return CheckInView.of(checkin)


def tell_admins_of_help(
    *,
    session: Session,
    team_id: str,
    checkin_id: int,
    actor_user_id: str,
    admins: Sequence[str],
    now: datetime,
) -> None:
    """Tell more admins that ``actor_user_id`` asked for help on this check-in.

    For admins learned after the answer was saved (Slack's workspace admins, listed after the
    ack); the dedupe keys make sure nobody told already hears it twice.

    Raises:
        NotAllowed: not one of the pair.
        AlreadyHandled: the check-in or the relationship is closed.
    """
    checkin, relationship, side = _load(session, team_id, checkin_id, actor_user_id)
    if getattr(checkin, f"{side}_answer") != Answer.HELP.value:
        return  # they did not ask for help; nothing to tell
    _tell_admins(session, team_id, checkin, relationship.id, side, admins, now)


def _tell_admins(
    session: Session,
    team_id: str,
    checkin: CheckIn,
    relationship_id: int,
    side: str,
    admins: Sequence[str],
    now: datetime,
) -> None:
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.CHECKIN_HELP,
                now,
                relationship_id=relationship_id,
                dedupe_key=f"checkin-help:{checkin.id}:{side}:{admin}",
                payload={"user": admin, "number": checkin.number, "side": side},
            )
            for admin in admins
        ],
    )


def _judge(
    session: Session, relationship: Relationship, checkin: CheckIn, actor: str, now: datetime
) -> None:
    """Both answered: both met clears the flag; "not yet" twice in a row raises it."""
    answers = {checkin.mentor_answer, checkin.mentee_answer}
    if answers == {Answer.YES.value}:
        session.refresh(relationship)
        clear(session, relationship, actor, now)
    elif answers == {Answer.NOT_YET.value}:
        previous = session.scalars(
            select(CheckIn).where(
                CheckIn.relationship_id == relationship.id, CheckIn.number == checkin.number - 1
            )
        ).one_or_none()
        if previous is not None and {previous.mentor_answer, previous.mentee_answer} == {
            Answer.NOT_YET.value
        }:
            flag(session, relationship.team_id, [relationship.id], RiskReason.NOT_MET, actor, now)


def rate_checkin(
    *,
    session: Session,
    team_id: str,
    checkin_id: int,
    actor_user_id: str,
    rating: int,
    now: datetime,
) -> CheckInView:
    """One of the pair says how it is going, 1 to 5 (once; only admins see it).

    Raises:
        InvalidInput: not 1-5.
        NotAllowed / AlreadyHandled: not one of the pair, already rated, or closed.
    """
    if not 1 <= rating <= 5:
        raise InvalidInput("Choose 1 to 5.", field="rating")
    checkin, relationship, side = _load(session, team_id, checkin_id, actor_user_id)
    column = getattr(CheckIn, f"{side}_rating")
    result = session.execute(
        update(CheckIn)
        .where(CheckIn.id == checkin.id, column.is_(None), CheckIn.closed_at.is_(None))
        .values(**{f"{side}_rating": rating})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("You already said how it is going for this check-in. Thank you!")
    session.refresh(checkin)
    record_event(
        session,
        team_id=team_id,
        actor=actor_user_id,
        action="relationship.checkin_rated",
        subject_type="relationship",
        subject_id=relationship.id,
        after={"number": checkin.number, "side": side, "rating": rating},
        at=now,
    )
    _redraw(session, checkin, now)
    return CheckInView.of(checkin)


def close_open_checkins(session: Session, relationship: Relationship, now: datetime) -> int:
    """Close the pair's open check-in (the relationship ended); redraw its card if it has one."""
    closed = session.execute(
        update(CheckIn)
        .where(CheckIn.relationship_id == relationship.id, CheckIn.closed_at.is_(None))
        .values(closed_at=now)
        .returning(CheckIn.number, CheckIn.slack_ts)
        .execution_options(synchronize_session=False)
    ).all()
    for number, ts in closed:
        if ts:
            enqueue(
                session,
                team_id=relationship.team_id,
                notice=Notice.CHECKIN_UPDATED,
                relationship_id=relationship.id,
                payload={"number": number},
                now=now,
            )
    return len(closed)


def remember_checkin_card(
    *, session: Session, team_id: str, relationship_id: int, number: int, channel: str, ts: str
) -> None:
    """Remember the message that shows a check-in (to redraw it in place)."""
    session.execute(
        update(CheckIn)
        .where(
            CheckIn.team_id == team_id,
            CheckIn.relationship_id == relationship_id,
            CheckIn.number == number,
        )
        .values(slack_channel=channel, slack_ts=ts)
    )


def _redraw(session: Session, checkin: CheckIn, now: datetime) -> None:
    enqueue(
        session,
        team_id=checkin.team_id,
        notice=Notice.CHECKIN_UPDATED,
        relationship_id=checkin.relationship_id,
        payload={"number": checkin.number},
        now=now,
    )
