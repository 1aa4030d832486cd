"""A request or offer nobody answers: reminders, auto-close, an admin closing it.

The lifecycle is the one every ask shares (:mod:`mentoring.asks.followups`); what is a request's
own is that a preference of an admin-routed submission is never reminded or closed one by one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.asks import followups
from mentoring.asks.lifecycle import load_request
from mentoring.core.actors import Actor
from mentoring.core.errors import NotAllowed
from mentoring.core.views import RequestView
from store.enums import RequestKind
from store.models import Request


def remind(
    *, session: Session, team_id: str, request_id: int, actor: str, now: datetime
) -> RequestView:
    """Queue a reminder to whoever should answer (the sweep, or an admin's "remind now")."""
    request = load_request(session, team_id, request_id)
    _not_a_preference(request)
    followups.remind(session, request, actor=actor, now=now)
    return RequestView.of(request)


def expire(*, session: Session, team_id: str, request_id: int, now: datetime) -> RequestView:
    """Auto-close a request that waited too long; both sides are told."""
    request = load_request(session, team_id, request_id)
    followups.expire(session, request, now)
    return RequestView.of(request)


def close_by_admin(
    *, session: Session, team_id: str, request_id: int, actor: Actor, reason: str, now: datetime
) -> RequestView:
    """An admin closes a pending request with a reason the mentee sees."""
    if not actor.is_admin:
        raise NotAllowed("Only program admins can close requests.")
    request = load_request(session, team_id, request_id)
    _not_a_preference(request)
    followups.close_by_admin(session, request, actor=actor, reason=reason, now=now)
    return RequestView.of(request)


def _not_a_preference(request: Request) -> None:
    # A mentee's ranked preferences wait for an admin, not for the mentor (who was never told);
    # they are closed together from the matching queue (mentoring.routing).
    if request.kind is RequestKind.ADMIN_ROUTED:
        raise NotAllowed(
            "This is one of {a_mentee}'s preferences for the admins: assign or close them from "
            "`/mentor-admin queue`."
        )
