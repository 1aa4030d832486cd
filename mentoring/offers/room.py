"""Offers wait only while the mentor has room to honour them.

An offer promises the mentee a slot: ``send_offer`` refuses one when the mentor's active mentees
and offers waiting already fill their capacity. Mentees' requests and admins' assignments do not
look at offers, though (a mentor may rather take someone who asked, and an admin decides), so a
slot promised in an offer can still be taken. The rule that keeps offers honest:

* the moment a mentor has no open slot left (a relationship starts that fills their last one,
  they lower their capacity to the mentees they have, or they stop mentoring), every offer of
  theirs still waiting is cancelled, in the same transaction, under the mentor's lock;
* each move is guarded (``WHERE status = 'pending'``) and recorded as ``request.cancelled`` with
  ``reason = "no_room"``; the mentee's card loses its buttons in place and says why, and the
  mentor is told which offers were withdrawn (:attr:`Notice.OFFER_CANCELLED`, to both).

So an offer still waiting can always be accepted: accepting one never meets a full mentor. A
mentor with room left keeps every offer, even when offers outnumber the slots (whoever accepts
first takes the slot, and the rest are then cancelled by this rule).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks.lifecycle import notify, request_event, transition
from mentoring.core.audit import Notice
from mentoring.core.errors import AlreadyHandled
from mentoring.core.members import active_as_mentor
from mentoring.core.views import RequestView
from store.enums import RequestKind, RequestStatus
from store.models import Member, Request

NO_ROOM = "no_room"  # the ``reason`` of the event of an offer cancelled by this rule


def has_room(session: Session, mentor: Member) -> bool:
    """Whether the member can take one more mentee now (is a mentor with an open slot)."""
    return mentor.is_mentor and active_as_mentor(session, mentor.id) < mentor.mentor_capacity


def cancel_offers_without_room(
    session: Session, mentor_id: int, *, actor: str, now: datetime
) -> tuple[RequestView, ...]:
    """Cancel the mentor's offers still waiting if they have no open slot left.

    The caller holds the mentor's lock (``lock_members``) and has made its own change (started
    a relationship, saved a profile) in this transaction.

    Returns:
        The offers cancelled (none while the mentor still has room).
    """
    mentor = session.get(Member, mentor_id)
    if mentor is None or has_room(session, mentor):
        return ()
    waiting = session.scalars(
        select(Request)
        .where(
            Request.mentor_id == mentor_id,
            Request.status == RequestStatus.PENDING,
            Request.kind == RequestKind.MENTOR_OFFER,
        )
        .order_by(Request.id)
    ).all()
    cancelled: list[RequestView] = []
    for offer in waiting:
        try:
            transition(session, offer, RequestStatus.CANCELLED, now, why=NO_ROOM)
        except AlreadyHandled:
            continue
        request_event(session, offer, actor, "request.cancelled", now, reason=NO_ROOM)
        # The mentee first: their card is what changes; then the mentor's note of it.
        notify(session, offer, Notice.OFFER_CANCELLED, offer.mentee_id, now)
        notify(session, offer, Notice.OFFER_CANCELLED, offer.mentor_id, now)
        cancelled.append(RequestView.of(offer))
    return tuple(cancelled)
