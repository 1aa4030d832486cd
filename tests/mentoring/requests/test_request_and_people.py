"""get_request_and_people: a request and its two people in one read, as the two reads give."""

from __future__ import annotations

import pytest

from mentoring.core.errors import NotFound
from mentoring.core.members import get_members
from mentoring.requests.sending import get_request, get_request_and_people
from store.db import Database
from tests import factories as f
from tests.conftest import TEAM


@pytest.fixture
def asked(db: Database) -> int:
    f.workspace(db)
    f.mentor(db, "UMENTOR", expertise=["python", "leadership"], languages=["English"])
    f.mentee(db, "UMENTEE", interests=["python"], goals="Lead a team")
    return f.ask(db, "UMENTEE", "UMENTOR").id


def test_a_request_and_its_people_read_together_equal_the_two_reads(
    db: Database, asked: int
) -> None:
    with db.read() as session:
        together = get_request_and_people(session=session, team_id=TEAM, request_id=asked)
        request = get_request(session=session, team_id=TEAM, request_id=asked)
        people = get_members(
            session=session, team_id=TEAM, ids=(request.mentee_id, request.mentor_id)
        )

    assert together == (request, people)
    assert len(people) == 2


def test_another_workspaces_request_or_none_is_not_found(db: Database, asked: int) -> None:
    with db.read() as session:
        with pytest.raises(NotFound):
            get_request_and_people(session=session, team_id="T0OTHER", request_id=asked)
        with pytest.raises(NotFound):
            get_request_and_people(session=session, team_id=TEAM, request_id=asked + 1000)
