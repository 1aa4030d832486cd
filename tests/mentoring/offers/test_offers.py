"""Mentor offers, rule by rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mentoring import requests as ops
from mentoring.core.errors import (
    DomainError,
    Duplicate,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotEnrolled,
    NotFound,
    Unavailable,
)
from mentoring.core.wording import DEFAULT_WORDS
from mentoring.home.app_home import home_for
from mentoring.offers.browsing import mentees_looking
from mentoring.offers.sending import check_can_offer, send_offer
from mentoring.requests.answers import offer_decline_reasons
from store.db import Database
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Event, OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.routing.test_routing import configure
from tests.snapshot import snapshot

OFFER = "I've mentored three engineers into staff roles and would love to help you."


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    configure(db, mentor_offers_enabled=True)
    f.mentor(db, "UM", mentor_capacity=2, expertise=["python", "leadership"])
    f.mentee(db, "UE1", interests=["python", "leadership"])
    f.mentee(db, "UE2", interests=["sales"], functional_area="Sales", tz="Asia/Tokyo")
    return db


def offer(db: Database, mentee: str = "UE1", mentor: str = "UM", **kw: Any) -> Any:
    with db.write() as s:
        return send_offer(
            session=s,
            team_id=TEAM,
            mentor_user_id=mentor,
            mentee_user_id=mentee,
            message=kw.get("message", OFFER),
            now=NOW,
        )


def rejected(db: Database, error: type[DomainError], fn: Callable[[], Any]) -> DomainError:
    before = snapshot(db)
    with pytest.raises(error) as info:
        fn()
    assert snapshot(db) == before
    return info.value


def test_offer_is_a_pending_mentor_offer_the_mentee_is_asked_to_answer(program: Database) -> None:
    sent = offer(program)
    assert (sent.kind, sent.status) == (RequestKind.MENTOR_OFFER, RequestStatus.PENDING)
    assert sent.answerer_id == sent.mentee_id
    with program.read() as s:
        notice = s.scalars(select(OutboxMessage)).one()
        event = s.scalars(select(Event).where(Event.action == "offer.sent")).one()
        home = home_for(session=s, team_id=TEAM, slack_user_id="UE1", is_admin=False, now=NOW)
    assert (notice.kind, notice.recipient_id) == ("request.received", sent.mentee_id)
    assert event.actor == "UM"
    assert [line.request.id for line in home.waiting_for_me] == [sent.id]


def test_offers_are_refused_while_the_setting_is_off(program: Database) -> None:
    configure(program, mentor_offers_enabled=False)
    err = rejected(program, NotAllowed, lambda: offer(program))
    assert err.message == "Offers from mentors are turned off in this program."
    with pytest.raises(NotAllowed), program.read() as s:
        mentees_looking(session=s, team_id=TEAM, mentor_user_id="UM", now=NOW)


def test_offer_rules(program: Database) -> None:
    assert rejected(program, InvalidInput, lambda: offer(program, mentee="UM")).field == "mentee"
    rejected(program, NotEnrolled, lambda: offer(program, mentor="UE2"))  # not a mentor
    rejected(program, NotFound, lambda: offer(program, mentee="UNOBODY"))
    f.mentor(program, "UOTHER")
    rejected(program, NotFound, lambda: offer(program, mentee="UOTHER"))  # not a mentee
    assert rejected(program, InvalidInput, lambda: offer(program, message="hi")).field == "message"
    offer(program)
    assert (
        "already have a pending offer"
        in rejected(program, Duplicate, lambda: offer(program)).message
    )


def test_a_mentor_never_promises_more_than_their_open_slots(program: Database) -> None:
    f.mentee(program, "UE3")
    offer(program, "UE1")
    offer(program, "UE2")
    err = rejected(program, LimitReached, lambda: offer(program, "UE3"))
    assert "every slot is taken or promised" in err.message
    with program.read() as s:
        page = mentees_looking(session=s, team_id=TEAM, mentor_user_id="UM", now=NOW)
    assert page.open_slots == 0


def test_mentee_limits_apply_to_offers_received(program: Database) -> None:
    configure(program, max_pending_requests_per_mentee=1)
    f.mentor(program, "UM2")
    offer(program, "UE1", "UM")
    err = rejected(program, Unavailable, lambda: offer(program, "UE1", "UM2"))
    assert "1 offer waiting" in err.message


def test_accepting_an_offer_starts_the_relationship_once(program: Database) -> None:
    sent = offer(program)
    # Only the mentee answers an offer.
    with pytest.raises(NotAllowed), program.write() as s:
        ops.accept(session=s, team_id=TEAM, request_id=sent.id, actor_user_id="UM", now=NOW)
    with program.write() as s:
        done = ops.accept(session=s, team_id=TEAM, request_id=sent.id, actor_user_id="UE1", now=NOW)
    assert done.relationship.status is RelationshipStatus.ACTIVE
    with program.read() as s:
        kinds = s.execute(
            select(OutboxMessage.kind, OutboxMessage.recipient_id).order_by(OutboxMessage.id)
        ).all()
    assert [(k, r) for k, r in kinds][1:] == [
        ("relationship.started", None),
        ("request.accepted", sent.mentor_id),  # the mentor who offered is told
        ("request.updated", sent.mentee_id),
    ]
    # Now mentored up to the limit, the mentee is no longer offered to.
    assert (
        "already has a mentor"
        in rejected(program, Unavailable, lambda: offer(program, "UE1", "UM")).message
    )


def test_declining_an_offer_uses_the_mentees_reasons(program: Database) -> None:
    sent = offer(program)

    def decline(reason: str, pause_until: Any = None) -> Any:
        with program.write() as s:
            return ops.decline(
                session=s,
                team_id=TEAM,
                request_id=sent.id,
                actor_user_id="UE1",
                reason=reason,
                pause_until=pause_until,
                now=NOW,
            )

    rejected(program, InvalidInput, lambda: decline("I'm at my mentoring limit"))
    not_looking = offer_decline_reasons(DEFAULT_WORDS)[0]
    # Pausing new requests is for mentors; a mentee declining an offer has nothing to pause.
    err = rejected(program, InvalidInput, lambda: decline(not_looking, NOW + timedelta(days=3)))
    assert err.field == "pause_until"
    declined = decline(not_looking)
    assert (declined.status, declined.decline_reason) == (
        RequestStatus.DECLINED,
        "I'm not looking for a mentor right now",
    )
    with program.read() as s:
        to = s.scalars(
            select(OutboxMessage.recipient_id).where(OutboxMessage.kind == "request.declined")
        ).one()
    assert to == sent.mentor_id


def test_browsing_lists_mentees_still_looking_best_fit_first(program: Database) -> None:
    f.mentee(program, "UE3", interests=["python"])
    offer(program, "UE3")
    with program.read() as s:
        page = mentees_looking(session=s, team_id=TEAM, mentor_user_id="UM", now=NOW)
        sales = mentees_looking(
            session=s, team_id=TEAM, mentor_user_id="UM", now=NOW, functional_area="Sales"
        )
        mentor, mentee = check_can_offer(
            session=s, team_id=TEAM, mentor_user_id="UM", mentee_user_id="UE1"
        )
    assert [m.mentee.slack_user_id for m in page.results] == ["UE1", "UE3", "UE2"]
    assert [m.waiting for m in page.results] == [False, True, False]
    assert page.results[0].score.total > page.results[2].score.total
    assert [m.mentee.slack_user_id for m in sales.results] == ["UE2"]
    assert (mentor.slack_user_id, mentee.slack_user_id) == ("UM", "UE1")
