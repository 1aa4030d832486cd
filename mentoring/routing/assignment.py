"""Deciding on admin-routed submissions: assigning, closing, withdrawing, auto-closing.

See :mod:`mentoring.routing.preferences` for the rules. Every decision locks the mentee (assigning
also the
mentor, through :func:`mentoring.requests.answers.start_relationship`), so a submission is always
decided whole, once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.asks.followups import mark_closed, validated_close_reason
from mentoring.asks.lifecycle import notify, request_event, transition
from mentoring.core.actors import Actor
from mentoring.core.audit import Notice
from mentoring.core.errors import NotAllowed, Unavailable
from mentoring.core.members import lock_members, member_by_id
from mentoring.core.views import RelationshipView
from mentoring.offers.room import cancel_offers_without_room
from mentoring.program.settings import get_settings
from mentoring.requests.answers import close_open_requests_at_limit, start_relationship
from mentoring.routing.submissions import (
    Assignment,
    Submission,
    load_preference,
    require_pending,
    rows_of,
    submission_of,
)
from store.enums import RequestStatus
from store.models import Request


def assign(
    *, session: Session, team_id: str, request_id: int, actor: Actor, now: datetime
) -> Assignment:
    """An admin matches the mentee with one of their preferred mentors.

    The relationship starts exactly as when a mentor accepts a request (same locks, same
    limits, same group DM); the submission's other preferences are cancelled without telling
    those mentors, who were never asked. The mentee and the mentor are told. When the mentor has
    no open slot left, their offers waiting are cancelled (mentoring.offers.room).

    Raises:
        NotAllowed: the actor is not a program admin.
        NotFound: no such preference.
        AlreadyHandled: the submission was decided meanwhile.
        Unavailable: the mentor paused new mentees, or someone lost their role.
        LimitReached: the mentor is at capacity or the mentee already has enough mentors.
    """
    if not actor.is_admin:
        raise NotAllowed("Only program admins can assign {mentors}.")
    settings = get_settings(session=session, team_id=team_id)
    request = load_preference(session, team_id, request_id)
    require_pending(rows_of(session, request))
    mentor = member_by_id(session, team_id, request.mentor_id)
    if mentor.paused_until is not None and mentor.paused_until > now:
        until = mentor.paused_until
        raise Unavailable(
            "{name} paused new {mentees} until {until}.",
            name=mentor.display_name,
            until=f"{until:%B} {until.day}, {until:%Y}",
        )
    relationship = start_relationship(
        session,
        request,
        actor_user_id=actor.user_id,
        action="request.assigned",
        settings=settings,
        now=now,
    )
    rows = rows_of(session, request)
    for other in rows:
        if other.id == request.id or other.status is not RequestStatus.PENDING:
            continue
        transition(session, other, RequestStatus.CANCELLED, now)
        request_event(session, other, actor.user_id, "request.cancelled", now)
    for recipient in (request.mentee_id, request.mentor_id):
        notify(
            session, request, Notice.MATCH_ASSIGNED, recipient, now, relationship_id=relationship.id
        )
    close_open_requests_at_limit(session, request.mentee_id, settings, actor.user_id, now)
    # An offer the mentor made elsewhere can no longer be kept once this fills their last slot.
    cancel_offers_without_room(session, request.mentor_id, actor=actor.user_id, now=now)
    return Assignment(submission_of(session, rows, now), RelationshipView.of(relationship))


def close_submission(
    *, session: Session, team_id: str, request_id: int, actor: Actor, reason: str, now: datetime
) -> Submission:
    """An admin closes a submission without assigning anyone; the mentee sees the reason.

    Raises:
        NotAllowed: the actor is not a program admin.
        InvalidInput: no reason, or one that is too long.
        NotFound: no such preference.
        AlreadyHandled: the submission was decided meanwhile.
    """
    if not actor.is_admin:
        raise NotAllowed("Only program admins can close submitted preferences.")
    reason = validated_close_reason(reason)
    rows = _locked_rows(session, team_id, request_id)
    for row in rows:
        if row.status is RequestStatus.PENDING:
            mark_closed(session, row, actor=actor, reason=reason, now=now)
    notify(session, rows[0], Notice.MATCH_CLOSED, rows[0].mentee_id, now)
    return submission_of(session, rows, now)


def withdraw_submission(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str, now: datetime
) -> Submission:
    """The mentee takes their preferences back (to change them, or because plans changed).

    Raises:
        NotFound: no such preference.
        NotAllowed: the actor is not the mentee who submitted it.
        AlreadyHandled: the submission was decided meanwhile.
    """
    rows = _locked_rows(session, team_id, request_id)
    mentee = member_by_id(session, team_id, rows[0].mentee_id)
    if mentee.slack_user_id != actor_user_id:
        raise NotAllowed("Only the person who submitted these preferences can withdraw them.")
    for row in rows:
        if row.status is RequestStatus.PENDING:
            transition(session, row, RequestStatus.WITHDRAWN, now)
            request_event(session, row, actor_user_id, "request.withdrawn", now)
    return submission_of(session, rows, now)


def _locked_rows(session: Session, team_id: str, request_id: int) -> list[Request]:
    """The submission's rows, read again under the mentee's lock (which assigning also takes)."""
    request = load_preference(session, team_id, request_id)
    lock_members(session, request.mentee_id)
    rows = rows_of(session, request)
    for row in rows:
        session.refresh(row)
    require_pending(rows)
    return rows
