"""Requests: sending one, withdrawing it, and the lifecycle's public names.

Answers live in :mod:`mentoring.requests.answers`, follow-ups in
:mod:`mentoring.requests.followups`, the shared
transition machinery in :mod:`mentoring.asks.lifecycle`; every operation is importable from here.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from mentoring.asks import moves
from mentoring.asks.lifecycle import (
    load_request,
)
from mentoring.asks.messages import validated_message
from mentoring.core.errors import (
    Duplicate,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotEnrolled,
    NotFound,
    Unavailable,
)
from mentoring.core.members import (
    MEMBERS,
    active_as_mentee,
    active_as_mentor,
    lock_members,
    pending_sent_by_mentee,
    require_member,
)
from mentoring.core.prebuilt import run
from mentoring.core.views import MemberView, RequestView
from mentoring.program.settings import MatchingMode, ProgramSettings, get_settings
from mentoring.recommendations.service import require_recommended
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, Relationship, Request

# The end of the "too short" error for a request's message (see mentoring.asks.messages).
REQUEST_MESSAGE_HINT = "say why you chose this {mentor} and what you hope to learn."


def _validated_message(message: str, settings: ProgramSettings) -> str:
    """A mentoring request's (or preference's) message, by the shared length rule."""
    return validated_message(message, settings, hint=REQUEST_MESSAGE_HINT)


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
        NotAllowed: the program matches mentees through its admins (admin-routed mode), or the
            directory is recommendations-only and this mentor is not recommended to the mentee.
    """
    settings = get_settings(session=session, team_id=team_id)
    if settings.matching_mode is MatchingMode.ADMIN_ROUTED:
        raise NotAllowed(
            "In this program the admins match {mentees} with {mentors}: choose up to three "
            "preferred {mentors} and send them to the admins instead.",
            field="mentor",
        )
    mentee = require_member(session, team_id, mentee_user_id)
    if not mentee.is_mentee:
        raise NotEnrolled("Add the {mentee} role to your profile to ask for {a_mentor}.")
    if mentor_user_id == mentee_user_id:
        raise InvalidInput("You can't send a mentoring request to yourself.")
    mentor = _require_mentor(session, team_id, mentor_user_id)
    require_recommended(session, settings, mentee, mentor)
    text = _validated_message(message, settings)

    lock_members(session, mentee.id, mentor.id)
    if mentor.paused_until is not None and mentor.paused_until > now:
        until = mentor.paused_until
        raise Unavailable(
            "{name} isn't taking new requests until {until}.",
            name=mentor.display_name,
            until=f"{until:%B} {until.day}, {until:%Y}",
        )
    _check_mentee_limits(session, mentee, settings)
    _check_not_paired(session, mentee.id, mentor)
    if active_as_mentor(session, mentor.id) >= mentor.mentor_capacity:
        raise Unavailable("{name} has no open mentoring slots right now.", name=mentor.display_name)

    pair = (mentee.id, mentor.id)
    request = moves.new_request(RequestKind.MENTEE_REQUEST, team_id, pair, text, now)
    moves.send(
        session,
        request,
        actor_user_id=mentee_user_id,
        duplicate=Duplicate(
            "You already have a pending request to {name}.",
            field="mentor",
            name=mentor.display_name,
        ),
        now=now,
    )
    return RequestView.of(request)


def _require_mentor(session: Session, team_id: str, mentor_user_id: str) -> Member:
    try:
        mentor = require_member(session, team_id, mentor_user_id)
    except NotEnrolled as exc:
        raise NotFound("That person isn't {a_mentor} in this program.", field="mentor") from exc
    if not mentor.is_mentor:
        raise NotFound(
            "{name} isn't {a_mentor} in this program.", field="mentor", name=mentor.display_name
        )
    return mentor


def _check_mentee_limits(session: Session, mentee: Member, settings: ProgramSettings) -> None:
    active = active_as_mentee(session, mentee.id)
    if active >= settings.max_active_relationships_per_mentee:
        raise LimitReached(
            "You already have as many {mentors} as the program allows ({limit}). Finish a "
            "mentoring relationship before asking someone new.",
            limit=settings.max_active_relationships_per_mentee,
        )
    pending = pending_sent_by_mentee(session, mentee.id)
    if pending >= settings.max_pending_requests_per_mentee:
        raise LimitReached(
            "You have {pending} waiting for an answer, the most the program allows. "
            "Withdraw one or wait for an answer before sending another.",
            pending="1 request" if pending == 1 else f"{pending} requests",
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
            "You already have a pending request to {name}.",
            field="mentor",
            name=mentor.display_name,
        )
    active = session.scalar(
        select(Relationship.id).where(
            Relationship.mentee_id == mentee_id,
            Relationship.mentor_id == mentor.id,
            Relationship.status == RelationshipStatus.ACTIVE,
        )
    )
    if active is not None:
        raise Duplicate(
            "{name} is already your {mentor}.", field="mentor", name=mentor.display_name
        )


def withdraw(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str, now: datetime
) -> RequestView:
    """The person who sent the request (or offer) takes it back."""
    request = load_request(session, team_id, request_id)
    if request.kind is RequestKind.ADMIN_ROUTED:
        # Preferences are withdrawn together (mentoring.routing.preferences), and their mentors
        # never knew.
        raise NotAllowed("Withdraw your preferences from the app's Home tab.")
    moves.withdraw(session, request, actor_user_id=actor_user_id, now=now)
    return RequestView.of(request)


REQUESTS = cast(Table, Request.__table__)
_REQUEST_FIELDS = tuple(f.name for f in fields(RequestView))
# What a RequestView holds, by id: built once (prebuilt.run), read for every notice rendered.
_REQUEST_VIEW = select(*(REQUESTS.c[name] for name in _REQUEST_FIELDS)).where(
    REQUESTS.c.id == bindparam("request_id")
)

_MEMBER_FIELDS = tuple(f.name for f in fields(MemberView))
_MENTEE, _MENTOR = MEMBERS.alias("mentee"), MEMBERS.alias("mentor")
# A request and both its people, for every notice about a request: one statement, not two.
# Outer joins: a person gone from the table is missing from the people, as with get_members.
_REQUEST_AND_PEOPLE = (
    select(
        *(REQUESTS.c[name] for name in _REQUEST_FIELDS),
        *(_MENTEE.c[name] for name in _MEMBER_FIELDS),
        *(_MENTOR.c[name] for name in _MEMBER_FIELDS),
    )
    .select_from(
        REQUESTS.outerjoin(_MENTEE, _MENTEE.c.id == REQUESTS.c.mentee_id).outerjoin(
            _MENTOR, _MENTOR.c.id == REQUESTS.c.mentor_id
        )
    )
    .where(REQUESTS.c.id == bindparam("request_id"))
)


def get_request_and_people(
    *, session: Session, team_id: str, request_id: int
) -> tuple[RequestView, dict[int, MemberView]]:
    """:func:`get_request` and ``get_members`` of its mentee and mentor, in one statement.

    Raises:
        NotFound: no such request in this workspace.
    """
    row = run(session, _REQUEST_AND_PEOPLE, {"request_id": request_id}).one_or_none()
    values = tuple(row) if row is not None else ()
    split = len(_REQUEST_FIELDS)
    asked = dict(zip(_REQUEST_FIELDS, values[:split], strict=True)) if values else None
    if asked is None or asked["team_id"] != team_id:
        raise NotFound("That request no longer exists.")
    request = RequestView.of_row(asked)
    people: dict[int, MemberView] = {}
    for start in (split, split + len(_MEMBER_FIELDS)):
        person = dict(zip(_MEMBER_FIELDS, values[start : start + len(_MEMBER_FIELDS)], strict=True))
        if person["id"] is not None and person["team_id"] == team_id:
            people[person["id"]] = MemberView.of_row(person)
    return request, people


def get_request(*, session: Session, team_id: str, request_id: int) -> RequestView:
    """A request, offer or preference of this workspace, as it is in the database.

    Raises:
        NotFound: no such row in this workspace (as :func:`load_request`).
    """
    row = run(session, _REQUEST_VIEW, {"request_id": request_id}).mappings().one_or_none()
    if row is None or row["team_id"] != team_id:
        raise NotFound("That request no longer exists.")
    return RequestView.of_row(row)
