"""What admins, App Home and profiles read about meetings and people, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mentoring import meetings as ops
from mentoring.core.errors import InvalidInput, NotFound
from mentoring.meetings.home import meetings_home
from mentoring.meetings.rules import local_time
from mentoring.meetings.stats import meeting_stats
from mentoring.profiles.page import profile_page
from mentoring.program.settings_changes import update_settings
from mentoring.relationships.lifecycle import set_hidden
from mentoring.requests.answers import accept
from mentoring.requests.sending import send_request
from store.db import Database
from store.enums import RequestStatus
from tests import factories as f
from tests.conftest import NOW, TEAM

MESSAGE = "I'd love to hear how you approached your first year as a manager."
LATER = [NOW + timedelta(days=5)]


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    for mentor in ("UMAYA", "UOMAR", "UKEMI"):
        f.mentor(db, mentor)
    for mentee in ("UERIN", "UFINN"):
        f.mentee(db, mentee)
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"flash_mentoring_enabled": True},
            now=NOW,
        )
    return db


def ask(db: Database, mentee: str, mentor: str, at: datetime = NOW) -> int:
    with db.write() as s:
        return ops.send_meeting_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            topic="First year as a manager",
            message=MESSAGE,
            proposed_times=[at + timedelta(days=5)],
            now=at,
        ).id


def pair(db: Database, mentee: str, mentor: str) -> int:
    with db.write() as s:
        request = send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            message=MESSAGE,
            now=NOW,
        )
        return accept(
            session=s,
            team_id=TEAM,
            request_id=request.id,
            actor_user_id=mentor,
            now=NOW + timedelta(hours=5),
        ).relationship.id


def test_stats_count_by_status_and_time_pending(program: Database) -> None:
    accepted = ask(program, "UERIN", "UMAYA")
    declined = ask(program, "UERIN", "UOMAR", at=NOW + timedelta(hours=1))
    ask(program, "UFINN", "UMAYA", at=NOW + timedelta(days=1))  # stays pending
    ask(program, "UFINN", "UKEMI", at=NOW + timedelta(days=30))  # outside the period
    with program.write() as s:
        ops.accept_slot(
            session=s,
            team_id=TEAM,
            meeting_id=accepted,
            slot=0,
            actor_user_id="UMAYA",
            now=NOW + timedelta(hours=10),
        )
        ops.decline(
            session=s,
            team_id=TEAM,
            meeting_id=declined,
            actor_user_id="UOMAR",
            reason="Other",
            now=NOW + timedelta(hours=31),
        )
    with program.read() as s:
        stats = meeting_stats(
            session=s,
            team_id=TEAM,
            start=NOW,
            end=NOW + timedelta(days=7),
            now=NOW + timedelta(days=3),
        )
    assert stats.total == 3
    assert stats.by_status[RequestStatus.ACCEPTED] == 1
    assert stats.by_status[RequestStatus.DECLINED] == 1
    assert stats.by_status[RequestStatus.PENDING] == 1
    assert stats.by_status[RequestStatus.EXPIRED] == 0
    assert stats.time_to_answer.count == 2
    assert stats.time_to_answer.median == timedelta(hours=20)  # 10 h and 30 h
    assert stats.time_pending.average == timedelta(hours=20)
    assert stats.waiting.median == timedelta(days=2)
    with program.read() as s, pytest.raises(InvalidInput):
        meeting_stats(session=s, team_id=TEAM, start=NOW, end=NOW, now=NOW)


def test_profile_shows_current_relationships_except_hidden(program: Database) -> None:
    shown = pair(program, "UERIN", "UMAYA")
    hidden = pair(program, "UFINN", "UOMAR")
    with program.write() as s:
        set_hidden(
            session=s,
            team_id=TEAM,
            relationship_id=hidden,
            actor_user_id="UFINN",
            hidden=True,
            now=NOW,
        )
    with program.read() as s:
        maya = profile_page(
            session=s, team_id=TEAM, slack_user_id="UMAYA", viewer_user_id="UFINN", now=NOW
        )
        omar = profile_page(
            session=s, team_id=TEAM, slack_user_id="UOMAR", viewer_user_id="UERIN", now=NOW
        )
        erin = profile_page(
            session=s, team_id=TEAM, slack_user_id="UERIN", viewer_user_id="UERIN", now=NOW
        )
        with pytest.raises(NotFound):
            profile_page(
                session=s, team_id=TEAM, slack_user_id="UNOBODY", viewer_user_id="UERIN", now=NOW
            )
    assert [
        (r.relationship.id, r.other.slack_user_id, r.as_mentor) for r in maya.relationships
    ] == [(shown, "UERIN", True)]
    assert maya.open_slots == 2 and maya.can_request_meeting and not maya.is_self
    assert omar.relationships == ()
    assert [(r.other.slack_user_id, r.as_mentor) for r in erin.relationships] == [("UMAYA", False)]
    assert erin.is_self and not erin.can_request_meeting and erin.open_slots is None


def test_home_lists_meetings_to_answer_upcoming_and_sent(program: Database) -> None:
    waiting = ask(program, "UERIN", "UMAYA")
    upcoming = ask(program, "UFINN", "UMAYA")
    withdrawn = ask(program, "UERIN", "UOMAR")
    with program.write() as s:
        ops.accept_slot(
            session=s, team_id=TEAM, meeting_id=upcoming, slot=0, actor_user_id="UMAYA", now=NOW
        )
        ops.withdraw(session=s, team_id=TEAM, meeting_id=withdrawn, actor_user_id="UERIN", now=NOW)
    with program.read() as s:
        maya = meetings_home(session=s, team_id=TEAM, slack_user_id="UMAYA", now=NOW)
        erin = meetings_home(session=s, team_id=TEAM, slack_user_id="UERIN", now=NOW)
        finn_later = meetings_home(
            session=s, team_id=TEAM, slack_user_id="UFINN", now=NOW + timedelta(days=6)
        )
    assert [m.meeting.id for m in maya.to_answer] == [waiting]
    assert [m.meeting.id for m in maya.upcoming] == [upcoming]
    assert maya.sent == () and maya.enabled
    assert [(m.meeting.id, m.meeting.status) for m in erin.sent] == [
        (waiting, RequestStatus.PENDING),
        (withdrawn, RequestStatus.WITHDRAWN),
    ]
    assert finn_later.upcoming == ()  # the meeting is over


def test_local_times_are_read_in_the_mentees_zone() -> None:
    assert local_time("2026-03-05", "19:00", "Asia/Tokyo", "slot_1") == datetime(
        2026, 3, 5, 10, 0, tzinfo=UTC
    )
    # London in summer time (after 29 March 2026) is UTC+1.
    assert local_time(date(2026, 4, 2).isoformat(), "09:30", "Europe/London", "slot_2") == (
        datetime(2026, 4, 2, 8, 30, tzinfo=UTC)
    )
    assert local_time(None, None, "Asia/Tokyo", "slot_3") is None
    with pytest.raises(InvalidInput) as caught:
        local_time("2026-03-05", None, "Asia/Tokyo", "slot_2")
    assert caught.value.field == "slot_2"
    with pytest.raises(InvalidInput):
        local_time("tomorrow", "19:00", "Asia/Tokyo", "slot_1")
