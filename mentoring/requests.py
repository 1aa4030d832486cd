"""The request lifecycle: send, accept, decline, withdraw, remind, expire, close.

Every transition follows one pattern: authorise the actor from the database, lock the members
whose limits are counted, re-check the limits, move the request with a conditional UPDATE
(``WHERE status = 'pending'``) and check that exactly one row changed, then write the event and
the notifications in the same transaction. A second click, a Slack retry or a race therefore
changes nothing and raises AlreadyHandled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring.audit import Notice, enqueue, record_event
from mentoring.errors import (
    AlreadyHandled,
    Duplicate,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotEnrolled,
    NotFound,
    Unavailable,
)
from mentoring.members import (
    active_as_mentee,
    active_as_mentor,
    lock_members,
    member_by_id,
    pending_sent_by_mentee,
    require_member,
)
from mentoring.profiles import pause
from mentoring.settings import ProgramSettings, get_settings
from mentoring.views import MemberView, RelationshipView, RequestView
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, Relationship, Request

SYSTEM_SWEEP = "system:sweep"
MAX_NOTE_LENGTH = 1000
MAX_CLOSE_REASON_LENGTH = 500

_STATUS_WORDS = {
    RequestStatus.ACCEPTED: "accepted",
    RequestStatus.DECLINED: "declined",
    RequestStatus.WITHDRAWN: "withdrawn",
    RequestStatus.EXPIRED: "closed automatically after waiting too long",
    RequestStatus.CLOSED_BY_ADMIN: "closed by a program admin",
    RequestStatus.CANCELLED: "cancelled because the mentee found a mentor",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a Slack user id, and whether the bot layer verified them as an admin."""

    user_id: str
    is_admin: bool = False


@dataclass(frozen=True, slots=True)
class AcceptResult:
    request: RequestView
    relationship: RelationshipView
    cancelled: tuple[RequestView, ...]  # the mentee's other requests, closed by reaching a limit


def _load(session: Session, team_id: str, request_id: int) -> Request:
    request = session.get(Request, request_id)
    if request is None or request.team_id != team_id:
        raise NotFound("That request no longer exists.")
    return request


def _ensure_pending(request: Request) -> None:
    if request.status is not RequestStatus.PENDING:
        raise AlreadyHandled(f"This request was already {_STATUS_WORDS[request.status]}.")


def _answerer_id(request: Request) -> int:
    return request.mentee_id if request.kind is RequestKind.MENTOR_OFFER else request.mentor_id


def _initiator_id(request: Request) -> int:
    return request.mentor_id if request.kind is RequestKind.MENTOR_OFFER else request.mentee_id


def _transition(
    session: Session,
    request: Request,
    status: RequestStatus,
    now: datetime,
    **values: Any,
) -> None:
    """Move a pending request to ``status``; raise AlreadyHandled if someone got there first."""
    stamp = {
        RequestStatus.ACCEPTED: "accepted_at",
        RequestStatus.DECLINED: "declined_at",
        RequestStatus.WITHDRAWN: "withdrawn_at",
        RequestStatus.EXPIRED: "expired_at",
        RequestStatus.CLOSED_BY_ADMIN: "closed_at",
        RequestStatus.CANCELLED: "cancelled_at",
    }[status]
    result = session.execute(
        update(Request)
        .where(Request.id == request.id, Request.status == RequestStatus.PENDING)
        .values(status=status, answered_at=now, **{stamp: now}, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(request)
        _ensure_pending(request)
        raise AlreadyHandled("This request has already been answered.")
    session.refresh(request)


def _event(
    session: Session, request: Request, actor: str, action: str, now: datetime, **after: Any
) -> None:
    record_event(
        session,
        team_id=request.team_id,
        actor=actor,
        action=action,
        subject_type="request",
        subject_id=request.id,
        before={"status": RequestStatus.PENDING.value},
        after={"status": request.status.value, **after},
        at=now,
    )


def _notify(
    session: Session,
    request: Request,
    notice: Notice,
    recipient_id: int | None,
    now: datetime,
    relationship_id: int | None = None,
) -> None:
    """Queue one notice about a request, in the transaction that changed it."""
    enqueue(
        session,
        team_id=request.team_id,
        notice=notice,
        now=now,
        recipient_id=recipient_id,
        request_id=request.id,
        relationship_id=relationship_id,
    )


def _validated_message(message: str, settings: ProgramSettings) -> str:
    text = (message or "").strip()
    if len(text) < settings.message_min_length:
        raise InvalidInput(
            f"Please write at least {settings.message_min_length} characters: say why you chose "
            "this mentor and what you hope to learn.",
            field="message",
        )
    if len(text) > settings.message_max_length:
        raise InvalidInput(
            f"Please keep your message under {settings.message_max_length} characters "
            f"(it has {len(text)}).",
            field="message",
        )
    return text


def send_request(
    *,
    session: Session,
    team_id: str,
    mentee_user_id: str,
    mentor_user_id: str,
    message: str,
    now: datetime,
) -> RequestView:
    """A mentee asks a mentor to mentor them.

    Raises:
        NotEnrolled: the sender is not enrolled as a mentee.
        NotFound: the mentor is not in the program.
        InvalidInput: asking yourself, or a message that is too short or too long.
        Unavailable: the mentor is paused or has no open slot.
        LimitReached: the mentee has too many pending requests or active relationships.
        Duplicate: a request to this mentor is already pending, or they already work together.
    """
    settings = get_settings(session=session, team_id=team_id)
    mentee = require_member(session, team_id, mentee_user_id)
    if not mentee.is_mentee:
        raise NotEnrolled("Add the mentee role to your profile to request a mentor.")
    if mentor_user_id == mentee_user_id:
        raise InvalidInput("You can't send a mentoring request to yourself.")
    mentor = _require_mentor(session, team_id, mentor_user_id)
    text = _validated_message(message, settings)

    lock_members(session, mentee.id, mentor.id)
    if mentor.paused_until is not None and mentor.paused_until > now:
        until = mentor.paused_until
        raise Unavailable(
            f"{mentor.display_name} isn't taking new requests until "
            f"{until:%B} {until.day}, {until:%Y}."
        )
    _check_mentee_limits(session, mentee, settings)
    _check_not_paired(session, mentee.id, mentor)
    if active_as_mentor(session, mentor.id) >= mentor.mentor_capacity:
        raise Unavailable(f"{mentor.display_name} has no open mentoring slots right now.")

    request = Request(
        team_id=team_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        kind=RequestKind.MENTEE_REQUEST,
        message=text,
        status=RequestStatus.PENDING,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(request)
    except IntegrityError as exc:  # the partial unique index: a concurrent identical request
        raise Duplicate(
            f"You already have a pending request to {mentor.display_name}.", field="mentor"
        ) from exc
    record_event(
        session,
        team_id=team_id,
        actor=mentee_user_id,
        action="request.sent",
        subject_type="request",
        subject_id=request.id,
        after={"status": request.status.value, "mentor_id": mentor.id, "mentee_id": mentee.id},
        at=now,
    )
    _notify(session, request, Notice.REQUEST_RECEIVED, mentor.id, now)
    return RequestView.of(request)


def _require_mentor(session: Session, team_id: str, mentor_user_id: str) -> Member:
    try:
        mentor = require_member(session, team_id, mentor_user_id)
    except NotEnrolled as exc:
        raise NotFound("That person isn't a mentor in this program.", field="mentor") from exc
    if not mentor.is_mentor:
        raise NotFound(f"{mentor.display_name} isn't a mentor in this program.", field="mentor")
    return mentor


def _check_mentee_limits(session: Session, mentee: Member, settings: ProgramSettings) -> None:
    active = active_as_mentee(session, mentee.id)
    if active >= settings.max_active_relationships_per_mentee:
        raise LimitReached(
            "You already have as many mentors as the program allows "
            f"({settings.max_active_relationships_per_mentee}). Finish a mentoring relationship "
            "before asking someone new."
        )
    pending = pending_sent_by_mentee(session, mentee.id)
    if pending >= settings.max_pending_requests_per_mentee:
        raise LimitReached(
            f"You have {pending} requests waiting for an answer, the most the program allows. "
            "Withdraw one or wait for an answer before sending another."
        )


def _check_not_paired(session: Session, mentee_id: int, mentor: Member) -> None:
    pending = session.scalar(
        select(Request.id).where(
            Request.mentee_id == mentee_id,
            Request.mentor_id == mentor.id,
            Request.status == RequestStatus.PENDING,
        )
    )
    if pending is not None:
        raise Duplicate(
            f"You already have a pending request to {mentor.display_name}.", field="mentor"
        )
    active = session.scalar(
        select(Relationship.id).where(
            Relationship.mentee_id == mentee_id,
            Relationship.mentor_id == mentor.id,
            Relationship.status == RelationshipStatus.ACTIVE,
        )
    )
    if active is not None:
        raise Duplicate(f"{mentor.display_name} is already your mentor.", field="mentor")


def accept(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str, now: datetime
) -> AcceptResult:
    """The addressed person accepts: the pair's relationship starts.

    When the mentee reaches their limit of active relationships, their other pending requests are
    cancelled and those mentors told.

    Raises:
        NotFound / NotAllowed / AlreadyHandled: unknown request, wrong person, already answered.
        LimitReached: the mentor is at capacity or the mentee already has enough mentors.
    """
    settings = get_settings(session=session, team_id=team_id)
    request = _load(session, team_id, request_id)
    actor = _require_answerer(session, request, actor_user_id)
    _ensure_pending(request)
    lock_members(session, request.mentee_id, request.mentor_id)
    # Whoever held the lock may have answered this very request (a double click): say so,
    # rather than reporting the limit that answer used up.
    session.refresh(request)
    _ensure_pending(request)
    mentor = member_by_id(session, team_id, request.mentor_id)
    mentee = member_by_id(session, team_id, request.mentee_id)
    # Roles can change while a request waits: only a current mentor and mentee can be paired.
    if not mentor.is_mentor:
        raise Unavailable(f"{mentor.display_name} is no longer a mentor in this program.")
    if not mentee.is_mentee:
        raise Unavailable(f"{mentee.display_name} is no longer looking for a mentor.")
    active = active_as_mentor(session, mentor.id)
    if active >= mentor.mentor_capacity:
        raise LimitReached(
            f"{mentor.display_name} already mentors {active} of {mentor.mentor_capacity} people. "
            "Finish a relationship or raise the capacity in the profile first."
        )
    if active_as_mentee(session, mentee.id) >= settings.max_active_relationships_per_mentee:
        raise LimitReached(f"{mentee.display_name} already has a mentor in this program.")

    _transition(session, request, RequestStatus.ACCEPTED, now)
    relationship = Relationship(
        team_id=team_id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        request_id=request.id,
        status=RelationshipStatus.ACTIVE,
        started_at=now,
    )
    session.add(relationship)
    session.flush()
    _event(session, request, actor.slack_user_id, "request.accepted", now)
    record_event(
        session,
        team_id=team_id,
        actor=actor.slack_user_id,
        action="relationship.started",
        subject_type="relationship",
        subject_id=relationship.id,
        after={"status": relationship.status.value, "request_id": request.id},
        at=now,
    )
    initiator = _initiator_id(request)
    # The group DM first: the acceptance notice links to it.
    _notify(
        session, request, Notice.RELATIONSHIP_STARTED, None, now, relationship_id=relationship.id
    )
    _notify(
        session, request, Notice.REQUEST_ACCEPTED, initiator, now, relationship_id=relationship.id
    )
    _notify(session, request, Notice.REQUEST_UPDATED, actor.id, now)

    cancelled: tuple[RequestView, ...] = ()
    if active_as_mentee(session, mentee.id) >= settings.max_active_relationships_per_mentee:
        cancelled = _cancel_open_requests(session, mentee, actor.slack_user_id, now)
    return AcceptResult(RequestView.of(request), RelationshipView.of(relationship), cancelled)


def _require_answerer(session: Session, request: Request, actor_user_id: str) -> Member:
    answerer = member_by_id(session, request.team_id, _answerer_id(request))
    if request.kind is RequestKind.ADMIN_ROUTED or answerer.slack_user_id != actor_user_id:
        raise NotAllowed("Only the person this request was sent to can answer it.")
    return answerer


def _cancel_open_requests(
    session: Session, mentee: Member, actor: str, now: datetime
) -> tuple[RequestView, ...]:
    """Close the mentee's other pending requests and offers now that they have a mentor."""
    others = session.scalars(
        select(Request)
        .where(Request.mentee_id == mentee.id, Request.status == RequestStatus.PENDING)
        .order_by(Request.id)
    ).all()
    cancelled: list[RequestView] = []
    for other in others:
        try:
            _transition(session, other, RequestStatus.CANCELLED, now)
        except AlreadyHandled:
            continue
        _event(session, other, actor, "request.cancelled", now)
        _notify(session, other, Notice.REQUEST_CANCELLED, _answerer_id(other), now)
        if other.kind is RequestKind.MENTOR_OFFER:
            _notify(session, other, Notice.REQUEST_CANCELLED, other.mentor_id, now)
        cancelled.append(RequestView.of(other))
    return tuple(cancelled)


def decline(
    *,
    session: Session,
    team_id: str,
    request_id: int,
    actor_user_id: str,
    reason: str,
    note: str = "",
    pause_until: datetime | None = None,
    now: datetime,
) -> RequestView:
    """The addressed person declines with one of the program's reasons and an optional note.

    The mentee and admins see the reason and note. ``pause_until`` also pauses the mentor.
    """
    settings = get_settings(session=session, team_id=team_id)
    if reason not in settings.decline_reasons:
        raise InvalidInput("Choose one of the listed reasons.", field="reason")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            f"Please keep the note under {MAX_NOTE_LENGTH} characters.", field="note"
        )
    request = _load(session, team_id, request_id)
    actor = _require_answerer(session, request, actor_user_id)
    _ensure_pending(request)
    if pause_until is not None:
        if not actor.is_mentor:
            raise InvalidInput("Only mentors can pause new requests.", field="pause_until")
        pause(
            session=session,
            team_id=team_id,
            slack_user_id=actor_user_id,
            until=pause_until,
            now=now,
        )
    _transition(
        session,
        request,
        RequestStatus.DECLINED,
        now,
        decline_reason=reason,
        decline_note=note or None,
    )
    _event(session, request, actor_user_id, "request.declined", now, reason=reason)
    _notify(session, request, Notice.REQUEST_DECLINED, _initiator_id(request), now)
    _notify(session, request, Notice.REQUEST_UPDATED, actor.id, now)
    return RequestView.of(request)


def withdraw(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str, now: datetime
) -> RequestView:
    """The person who sent the request takes it back."""
    request = _load(session, team_id, request_id)
    initiator = member_by_id(session, team_id, _initiator_id(request))
    if initiator.slack_user_id != actor_user_id:
        raise NotAllowed("Only the person who sent this request can withdraw it.")
    _ensure_pending(request)
    _transition(session, request, RequestStatus.WITHDRAWN, now)
    _event(session, request, actor_user_id, "request.withdrawn", now)
    _notify(session, request, Notice.REQUEST_WITHDRAWN, _answerer_id(request), now)
    return RequestView.of(request)


def remind(
    *, session: Session, team_id: str, request_id: int, actor: str, now: datetime
) -> RequestView:
    """Queue a reminder to whoever should answer (the sweep, or an admin's "remind now").

    The reminder number is part of the notification's dedupe key, and the counter moves with a
    conditional UPDATE, so two sweeps racing queue each reminder once.
    """
    request = _load(session, team_id, request_id)
    _ensure_pending(request)
    number = request.reminder_count + 1
    result = session.execute(
        update(Request)
        .where(
            Request.id == request.id,
            Request.status == RequestStatus.PENDING,
            Request.reminder_count == request.reminder_count,
        )
        .values(reminder_count=number, last_reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("This request was reminded or answered a moment ago.")
    session.refresh(request)
    record_event(
        session,
        team_id=team_id,
        actor=actor,
        action="request.reminded",
        subject_type="request",
        subject_id=request.id,
        before={"reminder_count": number - 1},
        after={"reminder_count": number},
        at=now,
    )
    enqueue(
        session,
        team_id=team_id,
        notice=Notice.REQUEST_REMINDER,
        now=now,
        recipient_id=_answerer_id(request),
        request_id=request.id,
        dedupe_key=f"reminder:{request.id}:{number}",
    )
    return RequestView.of(request)


def expire(*, session: Session, team_id: str, request_id: int, now: datetime) -> RequestView:
    """Auto-close a request that waited too long; both sides are told."""
    request = _load(session, team_id, request_id)
    _ensure_pending(request)
    _transition(session, request, RequestStatus.EXPIRED, now)
    _event(session, request, SYSTEM_SWEEP, "request.expired", now)
    for recipient in (request.mentee_id, request.mentor_id):
        _notify(session, request, Notice.REQUEST_EXPIRED, recipient, now)
    return RequestView.of(request)


def close_by_admin(
    *, session: Session, team_id: str, request_id: int, actor: Actor, reason: str, now: datetime
) -> RequestView:
    """An admin closes a pending request with a reason the mentee sees."""
    if not actor.is_admin:
        raise NotAllowed("Only program admins can close requests.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give a reason: the mentee will see it.", field="reason")
    if len(reason) > MAX_CLOSE_REASON_LENGTH:
        raise InvalidInput(
            f"Please keep the reason under {MAX_CLOSE_REASON_LENGTH} characters.", field="reason"
        )
    request = _load(session, team_id, request_id)
    _ensure_pending(request)
    _transition(
        session,
        request,
        RequestStatus.CLOSED_BY_ADMIN,
        now,
        close_reason=reason,
        closed_by=actor.user_id,
    )
    _event(session, request, actor.user_id, "request.closed", now, reason=reason)
    for recipient in (request.mentee_id, request.mentor_id):
        _notify(session, request, Notice.REQUEST_CLOSED, recipient, now)
    return RequestView.of(request)


def check_can_answer(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str
) -> tuple[RequestView, MemberView, MemberView]:
    """Check, before showing a form, that this person may still answer this request.

    Returns:
        The request, the person who sent it, and the person answering.
    """
    request = _load(session, team_id, request_id)
    answerer = _require_answerer(session, request, actor_user_id)
    _ensure_pending(request)
    initiator = member_by_id(session, team_id, _initiator_id(request))
    return RequestView.of(request), MemberView.of(initiator), MemberView.of(answerer)


def get_request(*, session: Session, team_id: str, request_id: int) -> RequestView:
    return RequestView.of(_load(session, team_id, request_id))


def set_request_message_ref(
    *, session: Session, team_id: str, request_id: int, channel: str, ts: str
) -> None:
    """Remember the Slack message that shows the request to its answerer (for later updates)."""
    request = _load(session, team_id, request_id)
    request.slack_channel = channel
    request.slack_ts = ts
