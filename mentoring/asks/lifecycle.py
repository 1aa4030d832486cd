"""Shared machinery of request transitions: load, authorise, move guarded, record, notify.

Every transition follows one pattern: authorise the actor from the database, lock the members
whose limits are counted, re-check the limits, move the request with a conditional UPDATE
(``WHERE status = 'pending'``) and check that exactly one row changed, then write the event and
the notifications in the same transaction. A second click, a Slack retry or a race therefore
changes nothing and raises AlreadyHandled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice, enqueue, record_event
from mentoring.core.errors import AlreadyHandled, Duplicate, NotAllowed, NotFound
from mentoring.core.members import member_by_id
from store.enums import RequestKind, RequestStatus
from store.models import MeetingRequest, Member, Request

# Requests and meeting requests share their lifecycle columns, so one guarded move serves both.
Guarded = Request | MeetingRequest


_STATUS_WORDS = {
    RequestStatus.ACCEPTED: "accepted",
    RequestStatus.DECLINED: "declined",
    RequestStatus.WITHDRAWN: "withdrawn",
    RequestStatus.EXPIRED: "closed automatically after waiting too long",
    RequestStatus.CLOSED_BY_ADMIN: "closed by a program admin",
    RequestStatus.CANCELLED: "cancelled because the {mentee} found {a_mentor}",
}
_MEETING_STATUS_WORDS = {
    **_STATUS_WORDS,
    RequestStatus.EXPIRED: "closed because every proposed time has passed",
}
# Said to the mentee who answers an offer (it is cancelled for more than one reason).
_OFFER_STATUS_WORDS = {
    **_STATUS_WORDS,
    RequestStatus.CLOSED_BY_ADMIN: "withdrawn by a program admin",
    RequestStatus.CANCELLED: "cancelled",
}


def load_request(session: Session, team_id: str, request_id: int) -> Request:
    request = session.get(Request, request_id)
    if request is None or request.team_id != team_id:
        raise NotFound("That request no longer exists.")
    return request


def _noun(row: Guarded) -> str:
    if isinstance(row, MeetingRequest):
        return "meeting request"
    return "offer" if row.kind is RequestKind.MENTOR_OFFER else "request"


def ensure_pending(request: Guarded) -> None:
    if request.status is not RequestStatus.PENDING:
        if isinstance(request, MeetingRequest):
            words = _MEETING_STATUS_WORDS
        elif request.kind is RequestKind.MENTOR_OFFER:
            words = _OFFER_STATUS_WORDS
        else:
            words = _STATUS_WORDS
        raise AlreadyHandled(f"This {_noun(request)} was already {words[request.status]}.")


def answerer_id(request: Request) -> int:
    return request.mentee_id if request.kind is RequestKind.MENTOR_OFFER else request.mentor_id


def initiator_id(request: Request) -> int:
    return request.mentor_id if request.kind is RequestKind.MENTOR_OFFER else request.mentee_id


def transition(
    session: Session,
    request: Guarded,
    status: RequestStatus,
    now: datetime,
    **values: Any,
) -> None:
    """Move a pending (meeting) request to ``status``; AlreadyHandled if someone got there first.

    ``values`` are further columns to set in the same guarded UPDATE.
    """
    model = type(request)
    stamp = {
        RequestStatus.ACCEPTED: "accepted_at",
        RequestStatus.DECLINED: "declined_at",
        RequestStatus.WITHDRAWN: "withdrawn_at",
        RequestStatus.EXPIRED: "expired_at",
        RequestStatus.CLOSED_BY_ADMIN: "closed_at",
        RequestStatus.CANCELLED: "cancelled_at",
    }[status]
    result = session.execute(
        update(model)
        .where(model.id == request.id, model.status == RequestStatus.PENDING)
        .values(status=status, answered_at=now, **{stamp: now}, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(request)
        ensure_pending(request)
        raise AlreadyHandled(f"This {_noun(request)} has already been answered.")
    session.refresh(request)


def count_reminder(session: Session, request: Guarded, actor: str, now: datetime) -> int:
    """Move a pending (meeting) request's reminder counter on by one; return the new number.

    The conditional UPDATE (same status, same count) makes two sweeps, or a sweep and an admin,
    racing for the same reminder count it once: the loser gets AlreadyHandled. The event is
    written here; the caller queues the notice with the number in its dedupe key.
    """
    model = type(request)
    number = request.reminder_count + 1
    result = session.execute(
        update(model)
        .where(
            model.id == request.id,
            model.status == RequestStatus.PENDING,
            model.reminder_count == request.reminder_count,
        )
        .values(reminder_count=number, last_reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled(f"This {_noun(request)} was reminded or answered a moment ago.")
    session.refresh(request)
    record_event(
        session,
        team_id=request.team_id,
        actor=actor,
        action="meeting.reminded" if isinstance(request, MeetingRequest) else "request.reminded",
        subject_type="meeting" if isinstance(request, MeetingRequest) else "request",
        subject_id=request.id,
        before={"reminder_count": number - 1},
        after={"reminder_count": number},
        at=now,
    )
    return number


def add_pending(session: Session, row: Guarded, duplicate: Duplicate) -> None:
    """Insert a new pending (meeting) request, or raise ``duplicate`` when the pair already has
    one: the partial unique index settles a race that the checks before could not see."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        raise duplicate from exc


def request_event(
    session: Session, request: Guarded, actor: str, action: str, now: datetime, **after: Any
) -> None:
    """Record a move out of "pending" of a request or meeting request."""
    record_event(
        session,
        team_id=request.team_id,
        actor=actor,
        action=action,
        subject_type="meeting" if isinstance(request, MeetingRequest) else "request",
        subject_id=request.id,
        before={"status": RequestStatus.PENDING.value},
        after={"status": request.status.value, **after},
        at=now,
    )


def notify(
    session: Session,
    request: Guarded,
    notice: Notice,
    recipient_id: int | None,
    now: datetime,
    relationship_id: int | None = None,
    dedupe_key: str | None = None,
    deliver_at: datetime | None = None,
) -> None:
    """Queue one notice about a (meeting) request, in the transaction that changed it."""
    meeting = isinstance(request, MeetingRequest)
    enqueue(
        session,
        team_id=request.team_id,
        notice=notice,
        now=now,
        recipient_id=recipient_id,
        request_id=None if meeting else request.id,
        meeting_id=request.id if meeting else None,
        relationship_id=relationship_id,
        dedupe_key=dedupe_key,
        deliver_at=deliver_at,
    )


def require_answerer(session: Session, request: Request, actor_user_id: str) -> Member:
    answerer = member_by_id(session, request.team_id, answerer_id(request))
    if request.kind is RequestKind.ADMIN_ROUTED or answerer.slack_user_id != actor_user_id:
        raise NotAllowed("Only the person this request was sent to can answer it.")
    return answerer
