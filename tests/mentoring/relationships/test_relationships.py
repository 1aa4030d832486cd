"""Finishing, abandoning and hiding relationships; capacity frees up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mentoring import relationships as rel
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed, Unavailable
from mentoring.requests.sending import send_request
from store.db import Database
from store.enums import RelationshipStatus
from store.models import OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.relationships.helpers import MESSAGE, pair


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UMENTOR", mentor_capacity=1)
    f.mentee(db, "UMENTEE")
    f.mentee(db, "UNEXT")
    return db


def test_finishing_frees_the_mentor_slot_and_tells_the_other_person(program: Database) -> None:
    r = pair(program)
    with pytest.raises(Unavailable), program.write() as s:
        send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UNEXT",
            mentor_user_id="UMENTOR",
            message=MESSAGE,
            now=NOW,
        )
    later = NOW + timedelta(days=90)
    with program.write() as s:
        done = rel.finish(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTEE",
            note="Thank you!",
            now=later,
        )
    assert (done.status, done.ended_at, done.end_reason) == (
        RelationshipStatus.FINISHED,
        later,
        "Thank you!",
    )
    with program.read() as s:
        notice = s.execute(
            select(OutboxMessage.kind, OutboxMessage.recipient_id).where(
                OutboxMessage.relationship_id == r.id, OutboxMessage.kind == "relationship.ended"
            )
        ).one()
    assert tuple(notice) == ("relationship.ended", r.mentor_id)
    # The freed slot takes a new mentee, and the first mentee can look for a new mentor.
    pair(program, mentee="UNEXT")


def test_abandon_needs_a_reason_and_only_the_pair_may_end(program: Database) -> None:
    r = pair(program)
    f.mentor(program, "USTRANGER")
    with pytest.raises(InvalidInput), program.write() as s:
        rel.abandon(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTOR",
            reason="  ",
            now=NOW,
        )
    with pytest.raises(NotAllowed), program.write() as s:
        rel.abandon(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="USTRANGER",
            reason="not mine",
            now=NOW,
        )
    with program.write() as s:
        ended = rel.abandon(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTOR",
            reason="Moved teams",
            now=NOW,
        )
    assert ended.status is RelationshipStatus.ABANDONED
    with pytest.raises(AlreadyHandled), program.write() as s:
        rel.finish(session=s, team_id=TEAM, relationship_id=r.id, actor_user_id="UMENTEE", now=NOW)


def test_hidden_relationships_leave_the_profile_listing(program: Database) -> None:
    r = pair(program)
    with program.write() as s:
        rel.set_hidden(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTEE",
            hidden=True,
            now=NOW,
        )
    with program.read() as s:
        public = rel.relationships_of(
            session=s, team_id=TEAM, member_id=r.mentor_id, include_hidden=False
        )
        everything = rel.relationships_of(session=s, team_id=TEAM, member_id=r.mentor_id)
    assert public == ()
    assert [x.id for x in everything] == [r.id]
    assert everything[0].hidden_from_profile is True
