"""Enrollment and profile rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mentoring.core.errors import InvalidInput, LimitReached, NotEnrolled, NotFound
from mentoring.core.members import get_member
from mentoring.profiles.editing import enroll, parse_profile, pause, resume
from mentoring.requests.answers import accept
from mentoring.requests.sending import send_request
from store.db import Database
from store.models import Event, MemberTag
from tests import factories as f
from tests.conftest import NOW, TEAM


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    return db


def enroll_raw(db: Database, user: str = "U1", team: str = TEAM, **fields: Any) -> Any:
    data = {"display_name": "Ada", "as_mentee": True, **fields}
    with db.write() as s:
        return enroll(
            session=s, team_id=team, slack_user_id=user, profile=parse_profile(data), now=NOW
        )


def test_a_new_mentor_without_a_capacity_gets_the_programs_default(program: Database) -> None:
    """default_mentor_capacity moved off 3 (the default of three other limits too)."""
    f.settings(program, default_mentor_capacity=5)
    mentor = enroll_raw(program, as_mentor=True, expertise=["python"])
    assert mentor.mentor_capacity == 5


def test_enroll_normalises_taxonomy_and_updates_in_place(program: Database) -> None:
    m = enroll_raw(
        program,
        as_mentor=True,
        functional_area="engineering",
        expertise=["PYTHON", "data", "python"],
        languages=["English", "English"],
        mentor_capacity=2,
    )
    assert (m.functional_area, m.expertise, m.languages) == (
        "Engineering",
        ("python", "data"),
        ("English",),
    )
    assert m.mentor_capacity == 2
    again = enroll_raw(
        program, display_name="Ada L.", as_mentor=True, expertise=["leadership"], location="Lisbon"
    )
    assert again.id == m.id
    assert (again.display_name, again.expertise, again.location) == (
        "Ada L.",
        ("leadership",),
        "Lisbon",
    )
    assert again.mentor_capacity == 2  # unchanged when not given
    with program.read() as s:
        tags = s.scalars(select(MemberTag.tag).where(MemberTag.member_id == m.id)).all()
        actions = s.scalars(select(Event.action).order_by(Event.id)).all()
    assert tags == ["leadership"]
    assert actions == ["member.enrolled", "member.updated"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"as_mentee": False}, "roles"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 500}, "display_name"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"functional_area": "Astrology"}, "functional_area"),
        ({"interests": ["underwater basket weaving"]}, "interests"),
        ({"as_mentor": True, "expertise": []}, "expertise"),
        ({"as_mentor": True, "expertise": ["python"], "mentor_capacity": -1}, "mentor_capacity"),
        (
            {"as_mentor": True, "expertise": ["python"], "mentor_capacity": 10_000},
            "mentor_capacity",
        ),
        ({"bio": "b" * 10_000}, "bio"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_bad_profiles_are_rejected_and_nothing_is_saved(
    program: Database, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        enroll_raw(program, **fields)
    assert info.value.field == field
    with program.read() as s:
        assert get_member(session=s, team_id=TEAM, slack_user_id="U1") is None


def test_unknown_workspace_and_user(program: Database) -> None:
    with pytest.raises(NotFound):
        enroll_raw(program, team="TNOPE")
    with pytest.raises(NotEnrolled), program.write() as s:
        resume(session=s, team_id=TEAM, slack_user_id="UNOBODY", now=NOW)


def test_capacity_cannot_drop_below_current_mentees(program: Database) -> None:
    f.mentor(program, "UM", mentor_capacity=2)
    for mentee in ("UA", "UB"):
        f.mentee(program, mentee)
        with program.write() as s:
            req = send_request(
                session=s,
                team_id=TEAM,
                mentee_user_id=mentee,
                mentor_user_id="UM",
                message="Please mentor me in python!",
                now=NOW,
            )
        with program.write() as s:
            accept(session=s, team_id=TEAM, request_id=req.id, actor_user_id="UM", now=NOW)
    with pytest.raises(LimitReached) as info:
        f.mentor(program, "UM", mentor_capacity=1)
    assert info.value.field == "mentor_capacity"
    with pytest.raises(LimitReached):
        f.mentor(program, "UM", as_mentor=False, as_mentee=True)


def test_pause_and_resume(program: Database) -> None:
    f.mentor(program, "UM")
    f.mentee(program, "UE")
    with program.write() as s:
        with pytest.raises(NotEnrolled):
            pause(
                session=s, team_id=TEAM, slack_user_id="UE", until=NOW + timedelta(days=1), now=NOW
            )
        with pytest.raises(InvalidInput):
            pause(
                session=s,
                team_id=TEAM,
                slack_user_id="UM",
                until=NOW + timedelta(days=400),
                now=NOW,
            )
        paused = pause(
            session=s, team_id=TEAM, slack_user_id="UM", until=NOW + timedelta(days=3), now=NOW
        )
    assert paused.is_paused(NOW)
    assert not paused.is_paused(NOW + timedelta(days=3))
    with program.write() as s:
        resumed = resume(session=s, team_id=TEAM, slack_user_id="UM", now=NOW)
    assert resumed.paused_until is None


def test_resume_is_for_mentors_and_repeating_it_changes_nothing(program: Database) -> None:
    f.mentor(program, "UM")
    f.mentee(program, "UE")
    with pytest.raises(NotEnrolled), program.write() as s:
        resume(session=s, team_id=TEAM, slack_user_id="UE", now=NOW)
    with program.write() as s:
        pause(session=s, team_id=TEAM, slack_user_id="UM", until=NOW + timedelta(days=3), now=NOW)
    for _ in range(2):
        with program.write() as s:
            assert resume(session=s, team_id=TEAM, slack_user_id="UM", now=NOW).paused_until is None
    with program.read() as s:
        actions = s.scalars(select(Event.action).where(Event.subject_type == "member")).all()
    assert actions.count("member.paused") == 1 and actions.count("member.resumed") == 1
