"""The lifecycle every ask shares: load, authorise, move guarded, record, notify.

States: ``pending`` and, once it leaves pending, exactly one of ``accepted``, ``declined``,
``withdrawn``, ``expired``, ``cancelled`` or ``closed_by_admin`` (each with its timestamp and
``answered_at``). Every move follows one pattern: authorise the actor from the database, lock
the members whose limits are counted, re-check the limits, move the row with a conditional
UPDATE (``WHERE status = 'pending'``) and check that exactly one row changed, then write the
event and the notifications in the same transaction. A second click, a Slack retry or a race
therefore changes nothing and raises AlreadyHandled. What differs between the kinds of ask
(words, event names, notices) comes from :mod:`mentoring.asks.kinds`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring.asks.cards import redraw_messages
from mentoring.asks.kinds import AskRow, kind_of
from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled, Duplicate, NotAllowed, NotFound
from mentoring.core.members import member_by_id
from store.enums import RequestStatus
from store.models import MeetingRequest, Member, Request

# The column each state after pending stamps, besides ``answered_at``.
STAMPS = {
    RequestStatus.ACCEPTED: "accepted_at",
    RequestStatus.DECLINED: "declined_at",
    RequestStatus.WITHDRAWN: "withdrawn_at",
    RequestStatus.EXPIRED: "expired_at",
    RequestStatus.CLOSED_BY_ADMIN: "closed_at",
    RequestStatus.CANCELLED: "cancelled_at",
}


def load_request(session: Session, team_id: str, request_id: int) -> Request:
    """A request, offer or preference of this workspace.

    Raises:
        NotFound: no such row in this workspace.
    """
    request = session.get(Request, request_id)
    if request is None or request.team_id != team_id:
        raise NotFound("That request no longer exists.")
    return request


def ensure_pending(row: AskRow) -> None:
    """Raise AlreadyHandled, saying what became of it, unless ``row`` is still pending."""
    if row.status is not RequestStatus.PENDING:
        kind = kind_of(row)
        raise AlreadyHandled(f"This {kind.noun} was already {kind.status_words[row.status]}.")


def answerer_id(row: AskRow) -> int:
    """The member who answers ``row`` (for a preference: the mentor it names)."""
    return kind_of(row).answerer_id(row)


def initiator_id(row: AskRow) -> int:
    """The member who sent ``row``."""
    return kind_of(row).asker_id(row)


def transition(
    session: Session,
    row: AskRow,
    status: RequestStatus,
    now: datetime,
    *,
    why: str | None = None,
    **values: Any,
) -> None:
    """Move a pending ask to ``status``; AlreadyHandled if someone got there first.

    ``values`` are further columns to set in the same guarded UPDATE. Every message that shows
    the ask with buttons is queued for its redraw (``why`` as in
    :func:`mentoring.asks.cards.redraw_messages`).
    """
    model = type(row)
    result = session.execute(
        update(model)
        .where(model.id == row.id, model.status == RequestStatus.PENDING)
        .values(status=status, answered_at=now, **{STAMPS[status]: now}, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        ensure_pending(row)
        raise AlreadyHandled(f"This {kind_of(row).noun} has already been answered.")
    session.refresh(row)
    redraw_messages(session, row, now, why)


def count_reminder(session: Session, row: AskRow, actor: str, now: datetime) -> int:
    """Move a pending ask's reminder counter on by one; return the new number.

    The conditional UPDATE (same status, same count) makes two sweeps, or a sweep and an admin,
    racing for the same reminder count it once: the loser gets AlreadyHandled. The event is
    written here; the caller queues the notice with the number in its dedupe key.
    """
    model = type(row)
    number = row.reminder_count + 1
    result = session.execute(
        update(model)
        .where(
            model.id == row.id,
            model.status == RequestStatus.PENDING,
            model.reminder_count == row.reminder_count,
        )
        .values(reminder_count=number, last_reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    kind = kind_of(row)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled(f"This {kind.noun} was reminded or answered a moment ago.")
    session.refresh(row)
    record_event(
        session,
        team_id=row.team_id,
        actor=actor,
        action=f"{kind.subject}.reminded",
        subject_type=kind.subject,
        subject_id=row.id,
        before={"reminder_count": number - 1},
        after={"reminder_count": number},
        at=now,
    )
    return number


def add_pending(session: Session, row: AskRow, duplicate: Duplicate) -> None:
    """Insert a new pending ask, or raise ``duplicate`` when the pair already has one: the
    partial unique index settles a race that the checks before could not see."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        raise duplicate from exc


def request_event(
    session: Session, row: AskRow, actor: str, action: str, now: datetime, **after: Any
) -> None:
    """Record a move out of "pending" (``action`` like ``request.accepted``)."""
    record_event(
        session,
        team_id=row.team_id,
        actor=actor,
        action=action,
        subject_type=kind_of(row).subject,
        subject_id=row.id,
        before={"status": RequestStatus.PENDING.value},
        after={"status": row.status.value, **after},
        at=now,
    )


def notify(
    session: Session,
    row: AskRow,
    notice: Notice,
    recipient_id: int | None,
    now: datetime,
    relationship_id: int | None = None,
    dedupe_key: str | None = None,
    deliver_at: datetime | None = None,
) -> None:
    """Queue one notice about an ask, in the transaction that changed it."""
    meeting = isinstance(row, MeetingRequest)
    enqueue(
        session,
        team_id=row.team_id,
        notice=notice,
        now=now,
        recipient_id=recipient_id,
        request_id=None if meeting else row.id,
        meeting_id=row.id if meeting else None,
        relationship_id=relationship_id,
        dedupe_key=dedupe_key,
        deliver_at=deliver_at,
    )


def notify_once(
    session: Session,
    row: AskRow,
    notice: Notice,
    recipient_id: int | None,
    now: datetime,
    key: str,
    deliver_at: datetime | None = None,
) -> None:
    """Queue a notice unless one with the same dedupe key exists (a racing sweep's)."""
    try:
        with session.begin_nested():
            notify(session, row, notice, recipient_id, now, dedupe_key=key, deliver_at=deliver_at)
    except IntegrityError:
        pass


def require_answerer(session: Session, row: AskRow, actor_user_id: str) -> Member:
    """The member answering ``row``, who must be the one it was sent to.

    Raises:
        NotAllowed: someone else, or a preference (admins decide those).
    """
    kind = kind_of(row)
    answerer = member_by_id(session, row.team_id, kind.answerer_id(row))
    if kind.decided_by_admins or answerer.slack_user_id != actor_user_id:
        raise NotAllowed(f"Only the person this {kind.noun} was sent to can answer it.")
    return answerer
