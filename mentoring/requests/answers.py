"""Answering a request: accept (the relationship starts) or decline (with a reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks import moves
from mentoring.asks.lifecycle import (
    answerer_id,
    ensure_pending,
    initiator_id,
    load_request,
    notify,
    request_event,
    require_answerer,
    transition,
)
from mentoring.asks.moves import validated_note
from mentoring.core.audit import Notice, record_event
from mentoring.core.errors import AlreadyHandled, InvalidInput, LimitReached, Unavailable
from mentoring.core.members import active_as_mentee, active_as_mentor, lock_members, member_by_id
from mentoring.core.views import MemberView, RelationshipView, RequestView
from mentoring.core.wording import RoleWords, fill
from mentoring.offers.room import cancel_offers_without_room
from mentoring.profiles.editing import pause
from mentoring.program.settings import ProgramSettings, get_settings
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Relationship, Request

# A mentee declining a mentor's offer picks from these: the program's decline reasons are
# written for mentors ("I'm at my mentoring limit") and would read oddly from a mentee. They are
# templates in the program's words for the roles (see offer_decline_reasons).
OFFER_DECLINE_REASONS = (
    "I'm not looking for {a_mentor} right now",
    "I'd like help with something else",
    "I already have someone in mind",
    "Other",
)


def offer_decline_reasons(words: RoleWords) -> tuple[str, ...]:
    """The reasons a mentee declines an offer with, in the program's words for the roles."""
    return tuple(fill(reason, words) for reason in OFFER_DECLINE_REASONS)


def decline_reasons_for(kind: RequestKind, settings: ProgramSettings) -> tuple[str, ...]:
    """The reasons the answerer of a request of ``kind`` chooses from when declining."""
    if kind is RequestKind.MENTOR_OFFER:
        return offer_decline_reasons(settings.words)
    return settings.decline_reasons


@dataclass(frozen=True, slots=True)
class AcceptResult:
    request: RequestView
    relationship: RelationshipView
    cancelled: tuple[RequestView, ...]  # the mentee's other requests, closed by reaching a limit
    # The mentor's other offers, cancelled because this relationship filled their last slot.
    withdrawn_offers: tuple[RequestView, ...] = ()


def accept(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str, now: datetime
) -> AcceptResult:
    """The addressed person accepts: the pair's relationship starts.

    When the mentee reaches their limit of active relationships, their other pending requests are
    cancelled and those mentors told; when the mentor has no open slot left, their other offers
    waiting are cancelled and both sides told (mentoring.offers.room).

    Raises:
        NotFound / NotAllowed / AlreadyHandled: unknown request, wrong person, already answered.
        LimitReached: the mentor is at capacity or the mentee already has enough mentors.
    """
    settings = get_settings(session=session, team_id=team_id)
    request = load_request(session, team_id, request_id)
    actor = require_answerer(session, request, actor_user_id)
    ensure_pending(request)
    relationship = start_relationship(
        session,
        request,
        actor_user_id=actor.slack_user_id,
        action="request.accepted",
        settings=settings,
        now=now,
    )
    notify(
        session,
        request,
        Notice.REQUEST_ACCEPTED,
        initiator_id(request),
        now,
        relationship_id=relationship.id,
    )
    moves.tell_answered(session, request, None, actor.id, now)
    cancelled = close_open_requests_at_limit(
        session, request.mentee_id, settings, actor.slack_user_id, now
    )
    withdrawn = cancel_offers_without_room(
        session, request.mentor_id, actor=actor.slack_user_id, now=now
    )
    return AcceptResult(
        RequestView.of(request), RelationshipView.of(relationship), cancelled, withdrawn
    )


def start_relationship(
    session: Session,
    request: Request,
    *,
    actor_user_id: str,
    action: str,
    settings: ProgramSettings,
    now: datetime,
) -> Relationship:
    """Accept a pending request and start the pair's relationship, limits checked atomically.

    The one place a relationship starts (a request or offer accepted, an admin's assignment):
    both members are locked, the request is re-read, the mentor's capacity and the mentee's
    limit are counted under the lock, and the request moves with a guarded UPDATE. Records the
    events and queues the pair's group DM introduction; the caller authorises the actor first
    and queues its own notices afterwards, then closes what the new relationship fills up: the
    mentee's other requests (close_open_requests_at_limit) and the mentor's other offers
    (mentoring.offers.room.cancel_offers_without_room).

    Raises:
        AlreadyHandled: the request was answered meanwhile (a double click).
        Unavailable: either person no longer has their role.
        LimitReached: the mentor is at capacity or the mentee already has enough mentors.
    """
    team_id = request.team_id
    lock_members(session, request.mentee_id, request.mentor_id)
    # Whoever held the lock may have answered this very request (a double click): say so,
    # rather than reporting the limit that answer used up.
    session.refresh(request)
    ensure_pending(request)
    mentor = member_by_id(session, team_id, request.mentor_id)
    mentee = member_by_id(session, team_id, request.mentee_id)
    # Roles can change while a request waits: only a current mentor and mentee can be paired.
    if not mentor.is_mentor:
        raise Unavailable(
            "{name} is no longer {a_mentor} in this program.", name=mentor.display_name
        )
    if not mentee.is_mentee:
        raise Unavailable("{name} is no longer looking for {a_mentor}.", name=mentee.display_name)
    offer = request.kind is RequestKind.MENTOR_OFFER
    active = active_as_mentor(session, mentor.id)
    if active >= mentor.mentor_capacity:
        if offer:
            # Told to the mentee accepting. Offers are cancelled as soon as their mentor has no
            # room (mentoring.offers.room), so only an offer from before that rule gets here.
            raise LimitReached(
                "{name} has no open slot for a new {mentee} any more, so this offer can't be "
                "accepted. Type `/find-mentor` to look for another {mentor}.",
                name=mentor.display_name,
            )
        raise LimitReached(
            "{name} already has {active} of {capacity} {mentees}. "
            "Finish a relationship or raise the capacity in the profile first.",
            name=mentor.display_name,
            active=active,
            capacity=mentor.mentor_capacity,
        )
    if active_as_mentee(session, mentee.id) >= settings.max_active_relationships_per_mentee:
        if offer:
            raise LimitReached(
                "You already have as many {mentors} as the program allows ({limit}): finish a "
                "mentoring relationship before accepting another offer.",
                limit=settings.max_active_relationships_per_mentee,
            )
        raise LimitReached(
            "{name} already has {a_mentor} in this program.", name=mentee.display_name
        )

    transition(session, request, RequestStatus.ACCEPTED, now)
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
    request_event(session, request, actor_user_id, action, now)
    record_event(
        session,
        team_id=team_id,
        actor=actor_user_id,
        action="relationship.started",
        subject_type="relationship",
        subject_id=relationship.id,
        after={"status": relationship.status.value, "request_id": request.id},
        at=now,
    )
    # The group DM first: the notices that follow link to it.
    notify(
        session, request, Notice.RELATIONSHIP_STARTED, None, now, relationship_id=relationship.id
    )
    return relationship


def close_open_requests_at_limit(
    session: Session, mentee_id: int, settings: ProgramSettings, actor: str, now: datetime
) -> tuple[RequestView, ...]:
    """Once the mentee has as many mentors as allowed, close their other pending requests."""
    if active_as_mentee(session, mentee_id) < settings.max_active_relationships_per_mentee:
        return ()
    return _cancel_open_requests(session, mentee_id, actor, now)


def _cancel_open_requests(
    session: Session, mentee_id: int, actor: str, now: datetime
) -> tuple[RequestView, ...]:
    """Close the mentee's other pending requests and offers now that they have a mentor."""
    others = session.scalars(
        select(Request)
        .where(Request.mentee_id == mentee_id, Request.status == RequestStatus.PENDING)
        .order_by(Request.id)
    ).all()
    cancelled: list[RequestView] = []
    for other in others:
        try:
            transition(session, other, RequestStatus.CANCELLED, now)
        except AlreadyHandled:
            continue
        request_event(session, other, actor, "request.cancelled", now)
        if other.kind is RequestKind.ADMIN_ROUTED:
            # The preferred mentors were never asked, so there is nobody to tell; the mentee
            # sees the submission closed on Home.
            cancelled.append(RequestView.of(other))
            continue
        notify(session, other, Notice.REQUEST_CANCELLED, answerer_id(other), now)
        if other.kind is RequestKind.MENTOR_OFFER:
            notify(session, other, Notice.REQUEST_CANCELLED, other.mentor_id, now)
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
    request = load_request(session, team_id, request_id)
    reasons = decline_reasons_for(request.kind, settings)
    if pause_until is not None:
        if reason not in reasons:  # nothing is paused for a decline that will be refused
            raise InvalidInput("Choose one of the listed reasons.", field="reason")
        validated_note(note)
        actor = require_answerer(session, request, actor_user_id)
        ensure_pending(request)
        if actor.id != request.mentor_id or not actor.is_mentor:
            raise InvalidInput("Only {mentors} can pause new requests.", field="pause_until")
        pause(
            session=session,
            team_id=team_id,
            slack_user_id=actor_user_id,
            until=pause_until,
            now=now,
        )
    moves.decline(
        session,
        request,
        actor_user_id=actor_user_id,
        reason=reason,
        note=note,
        reasons=reasons,
        now=now,
    )
    return RequestView.of(request)


def check_can_answer(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str
) -> tuple[RequestView, MemberView, MemberView]:
    """Check, before showing a form, that this person may still answer this request.

    Returns:
        The request, the person who sent it, and the person answering.
    """
    request = load_request(session, team_id, request_id)
    answerer = require_answerer(session, request, actor_user_id)
    ensure_pending(request)
    initiator = member_by_id(session, team_id, initiator_id(request))
    return RequestView.of(request), MemberView.of(initiator), MemberView.of(answerer)
