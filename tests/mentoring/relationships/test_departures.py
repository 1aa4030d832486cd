"""Someone leaves Slack: every ask they are in is cancelled, their pairs end, others are told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mentoring.meetings.asking import send_meeting_request
from mentoring.offers.sending import send_offer
from mentoring.relationships.departures import member_left, member_returned, welcome_newcomer
from mentoring.routing.preferences import submit_preferences
from store.db import Database
from store.enums import RelationshipStatus, RequestStatus
from store.models import Feedback, MeetingRequest, Member, OutboxMessage, Relationship, Request
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.relationships.helpers import MESSAGE, configure, pair, program


@pytest.fixture
def busy(db: Database) -> Database:
    """UMENTOR mentors UMENTEE, has a request from UASK, an offer to UOFFERED and a meeting
    request from UMEET; UROUTED ranked UMENTOR second in a submission to the admins."""
    program(db)
    configure(db, mentor_offers_enabled=True, flash_mentoring_enabled=True)
    for mentee in ("UASK", "UOFFERED", "UMEET"):
        f.mentee(db, mentee)
    f.mentor(db, "UOTHER")
    pair(db)
    with db.write() as s:
        from mentoring.requests.sending import send_request

        send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UASK",
            mentor_user_id="UMENTOR",
            message=MESSAGE,
            now=NOW,
        )
        send_offer(
            session=s,
            team_id=TEAM,
            mentor_user_id="UMENTOR",
            mentee_user_id="UOFFERED",
            message=MESSAGE,
            now=NOW,
        )
        send_meeting_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMEET",
            mentor_user_id="UMENTOR",
            topic="Career question",
            message=MESSAGE,
            proposed_times=[NOW + timedelta(days=3)],
            now=NOW,
        )
    return db


def leave(db: Database, user: str = "UMENTOR") -> object:
    with db.write() as s:
        return member_left(session=s, team_id=TEAM, slack_user_id=user, admins=["UADMIN"], now=NOW)


def test_a_departure_closes_every_ask_and_ends_every_pair(busy: Database) -> None:
    with busy.read() as s:
        last_before = s.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    departure = leave(busy)
    assert departure is not None
    with busy.read() as s:
        assert {r.status for r in s.scalars(select(Request))} == {
            RequestStatus.ACCEPTED,
            RequestStatus.CANCELLED,
        }
        assert s.scalars(select(MeetingRequest)).one().status is RequestStatus.CANCELLED
        rel = s.scalars(select(Relationship)).one()
        assert (rel.status, rel.end_cause) == (RelationshipStatus.ABANDONED, "departure")
        kinds = [
            (o.kind, o.recipient_id)
            for o in s.scalars(select(OutboxMessage).where(OutboxMessage.id > last_before))
        ]
        gone = s.scalars(select(Member.id).where(Member.slack_user_id == "UMENTOR")).one()
        assert not [k for k, who in kinds if who == gone]  # nothing to the one who left
        told = {k for k, _who in kinds}
        assert {"ask.departed", "relationship.closed", "feedback.asked", "admin.departure"} <= told
        # The mentee of the offer answers it: their card is redrawn.
        assert "request.updated" in told
        assert [f.member_id for f in s.scalars(select(Feedback))] == [rel.mentee_id]


def test_a_retried_event_changes_nothing(busy: Database) -> None:
    leave(busy)
    with busy.read() as s:
        before = s.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    assert leave(busy) is None
    with busy.read() as s:
        after = s.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    assert before == after


def test_a_submission_naming_someone_who_left_goes_back_to_its_mentee(db: Database) -> None:
    program(db)
    configure(db, matching_mode="admin_routed")
    f.mentor(db, "USECOND")
    with db.write() as s:
        submit_preferences(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_ids=["USECOND", "UMENTOR"],
            message=MESSAGE,
            now=NOW,
        )
    leave(db)
    with db.read() as s:
        assert {r.status for r in s.scalars(select(Request))} == {RequestStatus.CANCELLED}
        told = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "ask.departed")).all()
        assert len(told) == 1  # once for the whole submission


def test_coming_back_restores_the_roles_not_the_pairs(busy: Database) -> None:
    leave(busy)
    with busy.write() as s:
        assert member_returned(session=s, team_id=TEAM, slack_user_id="UMENTOR", now=NOW)
        assert not member_returned(session=s, team_id=TEAM, slack_user_id="UMENTOR", now=NOW)
    with busy.read() as s:
        member = s.scalars(select(Member).where(Member.slack_user_id == "UMENTOR")).one()
        assert (member.is_mentor, member.deactivated_at) == (True, None)
        assert s.scalars(select(Relationship)).one().status is RelationshipStatus.ABANDONED


def test_newcomers_are_welcomed_only_when_the_program_says_so(db: Database) -> None:
    program(db)
    with db.write() as s:
        assert not welcome_newcomer(session=s, team_id=TEAM, slack_user_id="UNEW", now=NOW)
    configure(db, welcome_newcomers=True)
    with db.write() as s:
        assert welcome_newcomer(session=s, team_id=TEAM, slack_user_id="UNEW", now=NOW)
        assert welcome_newcomer(session=s, team_id=TEAM, slack_user_id="UNEW", now=NOW)
        assert not welcome_newcomer(session=s, team_id=TEAM, slack_user_id="UMENTOR", now=NOW)
    with db.read() as s:
        assert (
            len(
                s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "member.welcome")).all()
            )
            == 1
        )
