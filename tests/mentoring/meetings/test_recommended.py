"""Meeting requests follow the directory: recommendations-only means recommended mentors only.

On SQLite and PostgreSQL. Recommendations come from an admin's push, as in the product.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mentoring import meetings as ops
from mentoring.core.actors import Actor
from mentoring.core.errors import NotAllowed
from mentoring.core.wording import Words
from mentoring.profiles.page import profile_page
from mentoring.recommendations.service import push_recommendations
from store.db import Database
from store.enums import RequestStatus
from store.models import Member, Recommendation
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.meetings.test_asking import ask, enable, rejected

MENTORS = ("UMENTOR", "UOTHER", "UTHIRD")


@pytest.fixture
def program(db: Database) -> Database:
    """Three mentors, two mentees; each mentee has one mentor recommended by an admin."""
    f.workspace(db)
    for mentor in MENTORS:
        f.mentor(db, mentor)
    f.mentee(db, "UMENTEE")
    f.mentee(db, "USECOND")
    enable(db, directory_mode="recommendations_only")
    push_recommendations(
        db=db,
        team_id=TEAM,
        actor=Actor("UADMIN", is_admin=True),
        per_mentee=1,
        functional_area=None,
        now=NOW,
    )
    return db


def recommended_to(db: Database, mentee: str) -> str:
    """The mentor currently recommended to ``mentee`` (one each in this program)."""
    with db.read() as s:
        mentee_id = s.scalars(select(Member.id).where(Member.slack_user_id == mentee)).one()
        mentor_id = s.scalars(
            select(Recommendation.mentor_id).where(
                Recommendation.mentee_id == mentee_id, Recommendation.superseded_at.is_(None)
            )
        ).one()
        return str(s.get_one(Member, mentor_id).slack_user_id)


def can_meet(db: Database, viewer: str, mentor: str) -> bool:
    with db.read() as s:
        page = profile_page(
            session=s, team_id=TEAM, slack_user_id=mentor, viewer_user_id=viewer, now=NOW
        )
    return page.can_request_meeting


def test_a_mentor_not_recommended_is_refused_and_has_no_button(program: Database) -> None:
    mine = recommended_to(program, "UMENTEE")
    other = next(m for m in MENTORS if m != mine)
    err = rejected(program, NotAllowed, lambda: ask(program, mentor=other))
    assert err.field == "mentor"
    assert "isn't one of yours right now" in err.say(Words())
    with program.read() as s, pytest.raises(NotAllowed):
        ops.check_can_request_meeting(
            session=s, team_id=TEAM, mentee_user_id="UMENTEE", mentor_user_id=other, now=NOW
        )
    assert not can_meet(program, "UMENTEE", other)
    assert can_meet(program, "UMENTEE", mine)
    meeting = ask(program, mentor=mine)
    assert meeting.status is RequestStatus.PENDING


def test_a_new_push_moves_the_rule_with_it(program: Database) -> None:
    first = recommended_to(program, "UMENTEE")
    # The admin pushes again after the first mentor paused: the recommendation moves.
    with program.write() as s:
        s.scalars(select(Member).where(Member.slack_user_id == first)).one().paused_until = (
            NOW + timedelta(days=30)
        )
    push_recommendations(
        db=program,
        team_id=TEAM,
        actor=Actor("UADMIN", is_admin=True),
        per_mentee=1,
        functional_area=None,
        now=NOW + timedelta(minutes=1),
    )
    second = recommended_to(program, "UMENTEE")
    assert second != first
    assert can_meet(program, "UMENTEE", second) and not can_meet(program, "UMENTEE", first)
    assert ask(program, mentor=second).status is RequestStatus.PENDING


def test_the_open_directory_lets_a_mentee_ask_any_mentor(program: Database) -> None:
    enable(program, directory_mode="open")
    mine = recommended_to(program, "UMENTEE")
    other = next(m for m in MENTORS if m != mine)
    assert can_meet(program, "UMENTEE", other)
    assert ask(program, mentor=other).status is RequestStatus.PENDING


def test_the_button_shows_only_where_the_form_would_open(program: Database) -> None:
    mine = recommended_to(program, "UMENTEE")
    assert not can_meet(program, mine, mine)  # yourself
    assert not can_meet(program, "UOTHER" if mine != "UOTHER" else "UTHIRD", mine)  # a mentor
    assert not can_meet(program, "USTRANGER", mine)  # not in the program
    assert not can_meet(program, "USECOND", "UMENTEE")  # a mentee is nobody's mentor
    enable(program, flash_mentoring_enabled=False)
    assert not can_meet(program, "UMENTEE", mine)
