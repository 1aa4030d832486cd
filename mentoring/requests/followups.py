"""What happens to a request nobody answers: reminders, auto-close, an admin closing it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mentoring.asks.lifecycle import (
    answerer_id,
    count_reminder,
    ensure_pending,
    load_request,
    notify,
    request_event,
    transition,
)
from mentoring.core.actors import SYSTEM_SWEEP, Actor
from mentoring.core.audit import Notice, enqueue
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed
from mentoring.core.views import RequestView
from store.enums import RequestKind, RequestStatus
from store.models import Request

MAX_CLOSE_REASON_LENGTH = 500
# An admin's "remind now" waits this long after any reminder, so a second click (or a second
# admin) does not send the same person the same nudge twice in a row.
ADMIN_REMIND_GAP = timedelta(hours=1)


def validated_close_reason(reason: str) -> str:
    """The reason an admin gives for closing a (meeting) request, which the mentee reads.

    Raises:
        InvalidInput: no reason, or one too long (``field="reason"``).
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give a reason: the {mentee} will see it.", field="reason")
    if len(reason) > MAX_CLOSE_REASON_LENGTH:
        raise InvalidInput(
            "Please keep the reason under {limit} characters.",
            field="reason",
            limit=MAX_CLOSE_REASON_LENGTH,
        )
    return reason


def check_admin_remind_gap(last_reminded_at: datetime | None, now: datetime) -> None:
    """Refuse an admin's reminder that would follow another one too closely.

    Raises:
        AlreadyHandled: the last reminder went out less than :data:`ADMIN_REMIND_GAP` ago.
    """
    if last_reminded_at is None or now - last_reminded_at >= ADMIN_REMIND_GAP:
        return
    minutes = int((now - last_reminded_at).total_seconds() // 60)
    wait = max(1, int((last_reminded_at + ADMIN_REMIND_GAP - now).total_seconds() // 60))
    raise AlreadyHandled(
        "A reminder went out {when}. Try again in {wait} min, so nobody gets the same nudge "
        "twice in a row.",
        when=f"{minutes} min ago" if minutes else "just now",
        wait=wait,
    )


def remind(
    *, session: Session, team_id: str, request_id: int, actor: str, now: datetime
) -> RequestView:
    """Queue a reminder to whoever should answer (the sweep, or an admin's "remind now").

    The reminder number is part of the notification's dedupe key, and the counter moves with a
    conditional UPDATE, so two sweeps racing queue each reminder once.
    """
    request = load_request(session, team_id, request_id)
    _not_a_preference(request)
    ensure_pending(request)
    number = count_reminder(session, request, actor, now)
    enqueue(
        session,
        team_id=team_id,
        notice=Notice.REQUEST_REMINDER,
        now=now,
        recipient_id=answerer_id(request),
        request_id=request.id,
        dedupe_key=f"reminder:{request.id}:{number}",
    )
    return RequestView.of(request)


def _not_a_preference(request: Request) -> None:
    # A mentee's ranked preferences wait for an admin, not for the mentor (who was never told);
    # they are closed together from the matching queue (mentoring.routing.preferences).
    if request.kind is RequestKind.ADMIN_ROUTED:
        raise NotAllowed(
            "This is one of {a_mentee}'s preferences for the admins: assign or close them from "
            "`/mentor-admin queue`."
        )


def expire(*, session: Session, team_id: str, request_id: int, now: datetime) -> RequestView:
    """Auto-close a request that waited too long; both sides are told."""
    request = load_request(session, team_id, request_id)
    ensure_pending(request)
    transition(session, request, RequestStatus.EXPIRED, now)
    request_event(session, request, SYSTEM_SWEEP, "request.expired", now)
    for recipient in (request.mentee_id, request.mentor_id):
        notify(session, request, Notice.REQUEST_EXPIRED, recipient, now)
    return RequestView.of(request)


def close_by_admin(
    *, session: Session, team_id: str, request_id: int, actor: Actor, reason: str, now: datetime
) -> RequestView:
    """An admin closes a pending request with a reason the mentee sees."""
    if not actor.is_admin:
        raise NotAllowed("Only program admins can close requests.")
    reason = validated_close_reason(reason)
    request = load_request(session, team_id, request_id)
    _not_a_preference(request)
    ensure_pending(request)
    transition(
        session,
        request,
        RequestStatus.CLOSED_BY_ADMIN,
        now,
        close_reason=reason,
        closed_by=actor.user_id,
    )
    request_event(session, request, actor.user_id, "request.closed", now, reason=reason)
    for recipient in (request.mentee_id, request.mentor_id):
        notify(session, request, Notice.REQUEST_CLOSED, recipient, now)
    return RequestView.of(request)
