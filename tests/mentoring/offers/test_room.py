"""Offers wait only while their mentor has room, and the offer form's checks, on both databases.

The rule (mentoring.offers.room): the moment a mentor has no open slot left, their offers still
waiting are cancelled in the same transaction, so a mentee never accepts an offer that can't be
honoured.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from mentoring import requests as ops
from mentoring import routing
from mentoring.core.actors import Actor
from mentoring.core.errors import AlreadyHandled, Duplicate, LimitReached, Unavailable
from mentoring.offers.browsing import mentees_looking
from mentoring.offers.room import NO_ROOM
from mentoring.offers.sending import check_can_offer
from store.db import Database
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Event, Member, OutboxMessage, Relationship, Request
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.offers.test_offers import offer
from tests.mentoring.routing.test_routing import configure
from tests.snapshot import snapshot

MESSAGE = "I'd love help growing into a staff engineer role this year."


@pytest.fixture
def program(db: Database) -> Database:
    """UM takes one mentee and offers it to UE1; UE2 and UE3 are looking too."""
    f.workspace(db)
    configure(db, mentor_offers_enabled=True)
    f.mentor(db, "UM", mentor_capacity=1, expertise=["python"])
    for mentee in ("UE1", "UE2", "UE3"):
        f.mentee(db, mentee, interests=["python"])
    return db


def request(db: Database, mentee: str, mentor: str = "UM") -> Any:
    with db.write() as s:
        return ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            message=MESSAGE,
            now=NOW,
        )


def accept(db: Database, request_id: int, actor: str) -> ops.AcceptResult:
    with db.write() as s:
        return ops.accept(
            session=s, team_id=TEAM, request_id=request_id, actor_user_id=actor, now=NOW
        )


def status(db: Database, request_id: int) -> RequestStatus:
    with db.read() as s:
        return s.get_one(Request, request_id).status


def notices_about(db: Database, request_id: int) -> list[tuple[str, int | None]]:
    with db.read() as s:
        rows = s.execute(
            select(OutboxMessage.kind, OutboxMessage.recipient_id)
            .where(OutboxMessage.request_id == request_id)
            .order_by(OutboxMessage.id)
        ).all()
    return [(kind, recipient) for kind, recipient in rows]


def cancel_events(db: Database, request_id: int) -> list[dict[str, Any]]:
    with db.read() as s:
        return [
            dict(e.after or {})
            for e in s.scalars(
                select(Event).where(
                    Event.subject_type == "request",
                    Event.subject_id == str(request_id),
                    Event.action == "request.cancelled",
                )
            )
        ]


def assert_cancelled_for_room(db: Database, sent: Any, actor: str) -> None:
    assert status(db, sent.id) is RequestStatus.CANCELLED
    assert cancel_events(db, sent.id) == [{"status": "cancelled", "reason": NO_ROOM}]
    with db.read() as s:
        actors = s.scalars(
            select(Event.actor).where(
                Event.subject_id == str(sent.id), Event.action == "request.cancelled"
            )
        ).all()
    assert actors == [actor]
    # The mentee's card changes, and the mentor is told; nobody is asked anything again.
    assert notices_about(db, sent.id)[1:] == [
        ("offer.cancelled", sent.mentee_id),
        ("offer.cancelled", sent.mentor_id),
    ]


def test_a_request_filling_the_promised_slot_cancels_the_offer(program: Database) -> None:
    sent = offer(program, "UE1")
    asked = request(program, "UE2")  # UE2 may still ask: the mentor decides
    result = accept(program, asked.id, "UM")

    assert [o.id for o in result.withdrawn_offers] == [sent.id]
    assert_cancelled_for_room(program, sent, "UM")
    # UE1's card no longer offers an Accept that would fail: a stale click is answered plainly.
    before = snapshot(program)
    with pytest.raises(AlreadyHandled) as err:
        accept(program, sent.id, "UE1")
    assert err.value.message == "This offer was already cancelled."
    assert snapshot(program) == before


def test_accepting_one_offer_cancels_the_rest_once_the_mentor_is_full(program: Database) -> None:
    f.mentor(program, "UM", mentor_capacity=2, expertise=["python"])
    first, second = offer(program, "UE1"), offer(program, "UE2")
    took = accept(program, request(program, "UE3").id, "UM")
    # One of two slots is taken: a slot is left, so both offers stay (the first to accept wins).
    assert took.withdrawn_offers == ()
    assert {status(program, first.id), status(program, second.id)} == {RequestStatus.PENDING}

    done = accept(program, first.id, "UE1")  # the last slot: the other offer can't be kept
    assert done.relationship.status is RelationshipStatus.ACTIVE
    assert [o.id for o in done.withdrawn_offers] == [second.id]
    assert_cancelled_for_room(program, second, "UE1")


def test_an_admin_assignment_filling_the_slot_cancels_the_offer(program: Database) -> None:
    sent = offer(program, "UE1")
    configure(program, matching_mode="admin_routed")
    with program.write() as s:
        routing.submit_preferences(
            session=s,
            team_id=TEAM,
            mentee_user_id="UE2",
            mentor_user_ids=["UM"],
            message=MESSAGE,
            now=NOW,
        )
        preference = s.scalars(
            select(Request.id).where(Request.kind == RequestKind.ADMIN_ROUTED)
        ).one()
        routing.assign(
            session=s,
            team_id=TEAM,
            request_id=preference,
            actor=Actor("UADMIN", is_admin=True),
            now=NOW,
        )
    assert_cancelled_for_room(program, sent, "UADMIN")


def test_lowering_capacity_or_leaving_the_role_cancels_offers_without_room(
    program: Database,
) -> None:
    f.mentor(program, "UM2", mentor_capacity=2)
    kept, dropped = offer(program, "UE1", "UM2"), offer(program, "UE2", "UM")
    accept(program, request(program, "UE3", "UM2").id, "UM2")
    # UM2 still has a slot for UE1: an edit that keeps room keeps the offer.
    f.mentor(program, "UM2", mentor_capacity=2, title="Principal Engineer")
    assert status(program, kept.id) is RequestStatus.PENDING
    f.mentor(program, "UM2", mentor_capacity=1)  # now exactly full
    assert_cancelled_for_room(program, kept, "UM2")

    # A mentor who stops mentoring can't honour an offer either.
    f.mentee(program, "UM", display_name="Mentor UM")
    assert_cancelled_for_room(program, dropped, "UM")


def test_an_offer_left_from_before_the_rule_is_refused_in_the_mentees_words(
    program: Database,
) -> None:
    sent = offer(program, "UE1")
    with program.write() as s:  # an offer waiting while its mentor is full: older data
        mentor = s.scalars(select(Member).where(Member.slack_user_id == "UM")).one()
        mentee = s.scalars(select(Member).where(Member.slack_user_id == "UE2")).one()
        s.add(
            Relationship(
                team_id=TEAM,
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                status=RelationshipStatus.ACTIVE,
                started_at=NOW,
            )
        )
    before = snapshot(program)
    with pytest.raises(LimitReached) as err:
        accept(program, sent.id, "UE1")
    assert err.value.message == (
        "Mentor UM has no open slot for a new mentee any more, so this offer can't be "
        "accepted. Type `/find-mentor` to look for another mentor."
    )
    assert snapshot(program) == before


def test_the_offer_form_runs_every_rule_about_the_two_people(program: Database) -> None:
    def check(mentee: str, mentor: str = "UM") -> Any:
        with program.read() as s:
            return check_can_offer(
                session=s, team_id=TEAM, mentor_user_id=mentor, mentee_user_id=mentee
            )

    f.mentor(program, "UM2", mentor_capacity=3)
    f.mentor(program, "UM3", mentor_capacity=3)
    mentor, mentee = check("UE1")
    assert (mentor.slack_user_id, mentee.slack_user_id) == ("UM", "UE1")

    offer(program, "UE1", "UM2")
    with pytest.raises(Duplicate, match="already have a pending offer to Mentee UE1"):
        check("UE1", "UM2")
    offer(program, "UE3", "UM")
    # UM's only slot is promised to UE3: refused before the form, not after the message.
    with pytest.raises(LimitReached, match="every slot is taken or promised"):
        check("UE2", "UM")

    request(program, "UE2", "UM2")
    with pytest.raises(Duplicate, match="already asked you to be their mentor"):
        check("UE2", "UM2")

    configure(program, max_pending_requests_per_mentee=1)
    with pytest.raises(Unavailable, match="Mentee UE1 already has 1 offer waiting"):
        check("UE1", "UM3")

    accept(program, request(program, "UE3", "UM2").id, "UM2")
    with pytest.raises(Unavailable, match="Mentee UE3 already has a mentor"):
        check("UE3", "UM3")


def test_browsing_pages_through_mentees_and_flags_only_the_waiting_ones(
    program: Database,
) -> None:
    f.mentor(program, "UM2", mentor_capacity=5, expertise=["python", "sales"])
    for n in range(4):  # a shared tag as well, but another functional area: ranked lower
        f.mentee(
            program, f"UF{n}", interests=["sales"], functional_area="Sales", display_name=f"S{n}"
        )
    offer(program, "UF2", "UM2")

    def browse(page: int) -> Any:
        with program.read() as s:
            return mentees_looking(
                session=s, team_id=TEAM, mentor_user_id="UM2", now=NOW, page=page, page_size=3
            )

    pages = [browse(1), browse(2), browse(3)]
    shown = [m.mentee.slack_user_id for p in pages for m in p.results]
    # Seven mentees, best score first, then (all enrolled at once) by name.
    assert shown == ["UE1", "UE2", "UE3", "UF0", "UF1", "UF2", "UF3"]
    assert [p.total for p in pages] == [7, 7, 7]
    assert [p.has_more for p in pages] == [True, True, False]
    assert [m.mentee.slack_user_id for p in pages for m in p.results if m.waiting] == ["UF2"]
    assert pages[0].open_slots == 4
    assert browse(4).results == ()
