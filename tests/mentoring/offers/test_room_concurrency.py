"""An offer never meets a full mentor, even when its slot is taken at the very same moment.

A mentor with three slots has promised all three in offers, and has 21 requests waiting. The
three mentees accept the offers while the mentor accepts every request, all at once: exactly
three relationships start, no offer is left waiting, and no mentee accepting an offer is ever
told the mentor is full; they either get the mentor or find the offer already cancelled.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring import requests as requests
from mentoring.core.errors import AlreadyHandled, LimitReached
from mentoring.offers.room import NO_ROOM
from mentoring.offers.sending import send_offer
from store.db import Database
from store.enums import RequestStatus
from store.models import Event
from tests import factories
from tests.conftest import NOW, TEAM
from tests.mentoring.requests.test_concurrency import (
    THREADS,
    accepting,
    active_relationships,
    outbox_count,
    race,
    racing_db,  # noqa: F401 - the fixture, used by name
    send,
    set_limits,
    statuses,
)

pytestmark = pytest.mark.slow
CAPACITY = 3
OFFER = "I've mentored three engineers into staff roles and would love to help you."


def test_offers_and_requests_accepted_at_once_never_overfill_the_mentor(
    db: Database,
    racing_db: Database,  # noqa: F811 - the fixture imported above
) -> None:
    factories.workspace(db)
    set_limits(db, mentor_offers_enabled=True)
    mentor = factories.mentor(db, "UMENTOR", mentor_capacity=CAPACITY)
    offered = []
    for n in range(CAPACITY):
        factories.mentee(db, f"UO{n}")
        with db.write() as session:
            offered.append(
                send_offer(
                    session=session,
                    team_id=TEAM,
                    mentor_user_id="UMENTOR",
                    mentee_user_id=f"UO{n}",
                    message=OFFER,
                    now=NOW,
                )
            )
    asked = []
    for n in range(THREADS - CAPACITY):
        factories.mentee(db, f"UR{n:02d}")
        asked.append(send(db, f"UR{n:02d}", "UMENTOR"))

    def answering(offer: Any, mentee: str) -> Any:
        return lambda session: (
            "offer",
            requests.accept(
                session=session, team_id=TEAM, request_id=offer.id, actor_user_id=mentee, now=NOW
            ),
        )

    def by_mentor(request: Any) -> Any:
        def run(session: Session) -> Any:
            try:
                return ("request", accepting(request, "UMENTOR")(session))
            except LimitReached as err:
                raise RequestRefused(err) from err

        return run

    outcome = race(
        racing_db,
        [answering(o, f"UO{n}") for n, o in enumerate(offered)] + [by_mentor(r) for r in asked],
    )

    # A mentee accepting an offer is never refused for a full mentor: the offer was cancelled
    # in the transaction that filled the last slot. The mentor's own accepts may find it full.
    outcome.assert_only(AlreadyHandled, RequestRefused)
    assert len(outcome.results) == CAPACITY
    assert [m for m, _ in active_relationships(db)] == [mentor.id] * CAPACITY
    taken = sum(1 for kind, _ in outcome.results if kind == "offer")
    cancelled = CAPACITY - taken  # the offers whose slot a request took
    counts = statuses(db)
    assert counts[RequestStatus.ACCEPTED] == CAPACITY
    assert counts[RequestStatus.CANCELLED] == cancelled
    assert counts[RequestStatus.PENDING] == THREADS - CAPACITY - cancelled  # refused requests
    assert sum(counts.values()) == THREADS
    with db.read() as session:
        reasons = [
            (e.after or {}).get("reason")
            for e in session.scalars(select(Event).where(Event.action == "request.cancelled"))
        ]
    assert reasons == [NO_ROOM] * cancelled
    assert outbox_count(db, "offer.cancelled") == 2 * cancelled  # the mentee and the mentor


class RequestRefused(Exception):
    """The mentor's accept of a request found them full (expected for all but a few)."""

    def __init__(self, err: LimitReached) -> None:
        super().__init__(err.message)
