"""What meeting requests say: names shown as typed, the program's words, meeting decline reasons.

On SQLite and PostgreSQL, in a program that calls its mentors "guides" and its mentees
"learners", with people whose names look like the placeholders of those words.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mentoring import meetings as ops
from mentoring.core.errors import Duplicate, InvalidInput, LimitReached, Unavailable
from mentoring.core.wording import Words
from mentoring.profiles.editing import pause
from store.db import Database
from store.enums import RequestStatus
from store.models import Member
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.meetings.test_asking import act, ask, enable, notices, rejected

GUIDES = Words("guide", "learner")
ANN = "Ann {Mentors}"
BO = "Bo {a_mentee} {name}"


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UMENTOR", display_name=ANN)
    f.mentor(db, "UOTHER")
    f.mentee(db, "UMENTEE", display_name=BO)
    enable(db, terminology={"mentor": "guide", "mentee": "learner"})
    return db


def test_a_name_is_never_read_as_a_template(program: Database) -> None:
    ask(program)
    err = rejected(program, Duplicate, lambda: ask(program))
    assert err.say(GUIDES) == "You already have a meeting request waiting for Ann {Mentors}."
    with program.write() as s:
        pause(
            session=s,
            team_id=TEAM,
            slack_user_id="UOTHER",
            until=NOW + timedelta(days=30),
            now=NOW,
        )
        s.scalars(select(Member).where(Member.slack_user_id == "UOTHER")).one().display_name = ANN
    err = rejected(program, Unavailable, lambda: ask(program, mentor="UOTHER"))
    assert err.say(GUIDES) == "Ann {Mentors} isn't taking new requests until April 1, 2026."
    with program.read() as s, pytest.raises(Unavailable) as caught:
        ops.check_can_request_meeting(
            session=s, team_id=TEAM, mentee_user_id="UMENTEE", mentor_user_id="UOTHER", now=NOW
        )
    assert caught.value.say(GUIDES).startswith("Ann {Mentors} isn't taking new requests")


def test_accepting_names_the_person_who_left_their_role(program: Database) -> None:
    meeting = ask(program)
    with program.write() as s:
        s.scalars(select(Member).where(Member.slack_user_id == "UMENTEE")).one().is_mentee = False
    err = rejected(
        program,
        Unavailable,
        lambda: act(
            program,
            ops.accept_slot,
            meeting_id=meeting.id,
            slot=0,
            actor_user_id="UMENTOR",
            now=NOW,
        ),
    )
    assert err.say(GUIDES) == "Bo {a_mentee} {name} is no longer a learner in this program."


def test_the_pending_limit_counts_in_words(program: Database) -> None:
    enable(program, max_pending_meetings_per_mentee=1)
    ask(program)
    err = rejected(program, LimitReached, lambda: ask(program, mentor="UOTHER"))
    assert err.say(GUIDES).startswith(
        "You have 1 meeting request waiting for an answer, the most the program allows."
    )


def test_a_meeting_is_declined_with_the_meeting_reasons(program: Database) -> None:
    meeting = ask(program)

    def decline(reason: str, note: str = "") -> ops.MeetingView:
        result: ops.MeetingView = act(
            program,
            ops.decline,
            meeting_id=meeting.id,
            actor_user_id="UMENTOR",
            reason=reason,
            note=note,
            now=NOW,
        )
        return result

    for wrong in (
        "I'm at my mentoring limit",  # a mentoring request's reason: no limit applies here
        "Another {mentor} would know more about this topic",  # the template, not the words
        "Another mentor would know more about this topic",  # the default words, not the program's
    ):
        assert rejected(program, InvalidInput, lambda r=wrong: decline(r)).field == "reason"
    err = rejected(program, InvalidInput, lambda: decline("Other", note="x" * 1001))
    assert (err.field, err.message) == ("note", "Please keep the note under 1000 characters.")
    declined = decline("Another guide would know more about this topic", note="Ask Omar!")
    assert (declined.status, declined.decline_reason) == (
        RequestStatus.DECLINED,
        "Another guide would know more about this topic",
    )
    assert notices(program, meeting.id)[1:] == [
        ("meeting.declined", "UMENTEE"),
        ("meeting.updated", "UMENTOR"),
    ]
