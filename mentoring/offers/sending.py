"""Mentor offers: the rules of offering to mentor someone, and sending the offer.

An offer is a request of kind MENTOR_OFFER: the mentor sends it, the mentee accepts or declines
it through the same lifecycle as a request (mentoring.requests.answers), and accepting starts the
relationship with the same locks and limits. Rules of sending one, when the program turns
offers on (``mentor_offers_enabled``):

* the sender is a mentor, the receiver an enrolled mentee with fewer active relationships than
  the program allows, and they are two different people not already paired;
* a mentor sends no offer while their active mentees plus offers waiting fill their capacity;
  and since requests and admins' assignments may still take a promised slot, the moment a
  mentor has no open slot left their offers still waiting are cancelled
  (:mod:`mentoring.offers.room`), so every offer a mentee can accept can be honoured;
* a mentee receives at most ``max_pending_requests_per_mentee`` offers waiting at once;
* at most one pending request or offer per (mentee, mentor);
* the message follows the program's length rules.

:func:`check_can_offer` runs the same rules about the two people before the form opens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.asks import moves
from mentoring.asks.messages import validated_message
from mentoring.core import errors
from mentoring.core.members import active_as_mentee, active_as_mentor, lock_members, require_member
from mentoring.core.views import MemberView, RequestView
from mentoring.program.settings import ProgramSettings, get_settings
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, Relationship, Request


def require_offers_enabled(settings: ProgramSettings) -> None:
    """Raise errors.NotAllowed unless the program lets mentors offer."""
    if not settings.mentor_offers_enabled:
        raise errors.NotAllowed("Offers from {mentors} are turned off in this program.")


def check_can_offer(
    *, session: Session, team_id: str, mentor_user_id: str, mentee_user_id: str
) -> tuple[MemberView, MemberView]:
    """Check, before showing the offer form, that this mentor may offer to this mentee.

    Runs every rule :func:`send_offer` runs about the two people (the mentor's open slots less
    their offers waiting, the mentee's mentors and offers waiting, nothing pending between
    them and not already a pair), so a refusal comes before the mentor writes a message.

    Returns:
        The mentor and the mentee.

    Raises:
        The errors of :func:`send_offer`, but for the message's.
    """
    settings = get_settings(session=session, team_id=team_id)
    require_offers_enabled(settings)
    mentor = require_offerer(session, team_id, mentor_user_id, settings)
    mentee = _require_looking(session, team_id, mentor_user_id, mentee_user_id, settings)
    _check_pair(session, mentor, mentee, settings)
    return MemberView.of(mentor), MemberView.of(mentee)


OFFER_HINT = "say why you'd like to be this {mentee}'s {mentor} and how you could help."


def send_offer(
    *,
    session: Session,
    team_id: str,
    mentor_user_id: str,
    mentee_user_id: str,
    message: str,
    now: datetime,
) -> RequestView:
    """A mentor offers to mentor a mentee; the mentee gets a card to accept or decline.

    Raises:
        NotAllowed: offers are turned off in this program.
        NotEnrolled: the sender is not a mentor.
        NotFound: the receiver is not a mentee in this program.
        InvalidInput: offering to yourself, or a message too short or too long.
        LimitReached: the mentor's open slots are all taken or promised in offers waiting.
        Unavailable: the mentee has as many mentors, or as many offers waiting, as allowed.
        Duplicate: a request or offer between the two is already pending, or they are a pair.
    """
    settings = get_settings(session=session, team_id=team_id)
    require_offers_enabled(settings)
    mentor = require_offerer(session, team_id, mentor_user_id, settings)
    mentee = _require_looking(session, team_id, mentor_user_id, mentee_user_id, settings)
    text = validated_message(
        message,
        settings,
        hint="say why you'd like to be this {mentee}'s {mentor} and how you could help.",
    )

    lock_members(session, mentor.id, mentee.id)
    _check_pair(session, mentor, mentee, settings)

    pair = (mentee.id, mentor.id)
    request = moves.new_request(RequestKind.MENTOR_OFFER, team_id, pair, text, now)
    moves.send(
        session,
        request,
        actor_user_id=mentor_user_id,
        duplicate=errors.Duplicate(
            "You already have a pending offer to {name}.", field="mentee", name=mentee.display_name
        ),
        now=now,
    )
    return RequestView.of(request)


def _check_pair(
    session: Session, mentor: Member, mentee: Member, settings: ProgramSettings
) -> None:
    """The rules about the two people now: room on both sides, nothing between them yet.

    :func:`send_offer` runs them under both members' locks; :func:`check_can_offer` runs them
    before the form opens.
    """
    active = active_as_mentor(session, mentor.id)
    offered = offers_waiting_from(session, mentor.id)
    if active + offered >= mentor.mentor_capacity:
        raise errors.LimitReached(
            "You are the {mentor} of {active} of {capacity} people and have {offered} waiting, "
            "so every slot is taken or promised. Withdraw an offer or raise your capacity in "
            "your profile first.",
            active=active,
            capacity=mentor.mentor_capacity,
            offered=f"{offered} {'offer' if offered == 1 else 'offers'}",
        )
    if active_as_mentee(session, mentee.id) >= settings.max_active_relationships_per_mentee:
        raise errors.Unavailable("{name} already has {a_mentor}.", name=mentee.display_name)
    received = _offers_waiting_for(session, mentee.id)
    if received >= settings.max_pending_requests_per_mentee:
        raise errors.Unavailable(
            "{name} already has {received} waiting for an answer. "
            "Try again once they have answered.",
            name=mentee.display_name,
            received=f"{received} {'offer' if received == 1 else 'offers'}",
        )
    _check_not_paired(session, mentor, mentee)


def require_offerer(
    session: Session, team_id: str, user_id: str, settings: ProgramSettings
) -> Member:
    mentor = require_member(session, team_id, user_id)
    if not mentor.is_mentor:
        raise errors.NotEnrolled("Add the {mentor} role to your profile to offer mentoring.")
    return mentor


def _require_looking(
    session: Session,
    team_id: str,
    mentor_user_id: str,
    mentee_user_id: str,
    settings: ProgramSettings,
) -> Member:
    if mentee_user_id == mentor_user_id:
        raise errors.InvalidInput("You can't offer to be your own {mentor}.", field="mentee")
    try:
        mentee = require_member(session, team_id, mentee_user_id)
    except errors.NotEnrolled as exc:
        raise errors.NotFound(
            "That person isn't {a_mentee} in this program.", field="mentee"
        ) from exc
    if not mentee.is_mentee:
        raise errors.NotFound(
            "{name} isn't looking for {a_mentor} in this program.",
            field="mentee",
            name=mentee.display_name,
        )
    return mentee


def _check_not_paired(session: Session, mentor: Member, mentee: Member) -> None:
    pending = session.scalar(
        select(Request.kind).where(
            Request.mentee_id == mentee.id,
            Request.mentor_id == mentor.id,
            Request.status == RequestStatus.PENDING,
        )
    )
    if pending is RequestKind.MENTOR_OFFER:
        raise errors.Duplicate(
            "You already have a pending offer to {name}.", name=mentee.display_name
        )
    if pending is RequestKind.ADMIN_ROUTED:
        raise errors.Duplicate(
            "{name} is waiting for the program admins to match them; they will decide soon.",
            name=mentee.display_name,
        )
    if pending is not None:
        raise errors.Duplicate(
            "{name} already asked you to be their {mentor}: answer their request from the "
            "app's Home tab.",
            name=mentee.display_name,
        )
    paired = session.scalar(
        select(Relationship.id).where(
            Relationship.mentee_id == mentee.id,
            Relationship.mentor_id == mentor.id,
            Relationship.status == RelationshipStatus.ACTIVE,
        )
    )
    if paired is not None:
        raise errors.Duplicate("You are already {name}'s {mentor}.", name=mentee.display_name)


def offers_waiting_from(session: Session, mentor_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Request.mentor_id == mentor_id,
                Request.status == RequestStatus.PENDING,
                Request.kind == RequestKind.MENTOR_OFFER,
            )
        )
        or 0
    )


def _offers_waiting_for(session: Session, mentee_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Request.mentee_id == mentee_id,
                Request.status == RequestStatus.PENDING,
                Request.kind == RequestKind.MENTOR_OFFER,
            )
        )
        or 0
    )
