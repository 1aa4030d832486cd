"""Meeting requests (flash mentoring), rule by rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from mentoring import meetings as ops
from mentoring.core.errors import (
    AlreadyHandled,
    DomainError,
    Duplicate,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotEnrolled,
    NotFound,
    Unavailable,
)
from mentoring.core.members import active_as_mentee, active_as_mentor
from mentoring.meetings.invite import calendar_event
from mentoring.profiles.editing import pause
from mentoring.program.settings_changes import update_settings
from mentoring.requests.answers import accept
from mentoring.requests.sending import send_request
from store.db import Database
from store.enums import RequestStatus
from store.models import Event, Member, OutboxMessage, Relationship
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.snapshot import snapshot

TOPIC = "Preparing my promotion case"
MESSAGE = "I'd love to hear how you prepared your own promotion case last year."
TIMES = (NOW + timedelta(days=2), NOW + timedelta(days=3), NOW + timedelta(days=4))


def enable(db: Database, **changes: Any) -> None:
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"flash_mentoring_enabled": True, **changes},
            now=NOW,
        )


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UMENTOR", mentor_capacity=1)
    f.mentor(db, "UOTHER")
    f.mentor(db, "UTHIRD")
    f.mentee(db, "UMENTEE")
    f.mentee(db, "USECOND")
    enable(db)
    return db


def ask(
    db: Database, mentee: str = "UMENTEE", mentor: str = "UMENTOR", **kw: Any
) -> ops.MeetingView:
    with db.write() as s:
        return ops.send_meeting_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            topic=kw.pop("topic", TOPIC),
            message=kw.pop("message", MESSAGE),
            proposed_times=kw.pop("times", TIMES),
            duration_minutes=kw.pop("duration", None),
            now=kw.pop("now", NOW),
        )


def act(db: Database, fn: Callable[..., Any], **kw: Any) -> Any:
    with db.write() as s:
        return fn(session=s, team_id=TEAM, **kw)


def rejected(db: Database, error: type[DomainError], fn: Callable[[], Any]) -> DomainError:
    """The operation raises ``error`` and the database is exactly as before."""
    before = snapshot(db)
    with pytest.raises(error) as caught:
        fn()
    assert snapshot(db) == before
    return caught.value


def notices(db: Database, meeting_id: int) -> list[tuple[str, str | None]]:
    """(kind, recipient's Slack id) of the meeting's queued notices, in order."""
    with db.read() as s:
        rows = s.execute(
            select(OutboxMessage.kind, Member.slack_user_id)
            .outerjoin(Member, Member.id == OutboxMessage.recipient_id)
            .where(OutboxMessage.meeting_id == meeting_id)
            .order_by(OutboxMessage.id)
        )
        return [(k, u) for k, u in rows]


def test_sending_stores_the_times_and_tells_the_mentor(program: Database) -> None:
    meeting = ask(program, duration=45)
    assert meeting.status is RequestStatus.PENDING
    assert meeting.proposed_times == TIMES and meeting.duration_minutes == 45
    assert notices(program, meeting.id) == [("meeting.received", "UMENTOR")]
    with program.read() as s:
        event = s.scalars(select(Event).where(Event.action == "meeting.sent")).one()
        outbox = s.scalars(select(OutboxMessage)).one()
    assert event.subject_type == "meeting" and event.subject_id == str(meeting.id)
    assert outbox.request_id is None and outbox.meeting_id == meeting.id


def test_turned_off_refuses_and_changes_nothing(program: Database) -> None:
    with program.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"flash_mentoring_enabled": False},
            now=NOW,
        )
    err = rejected(program, NotAllowed, lambda: ask(program))
    assert err.message == "One-time meetings are turned off in this program."
    with program.read() as s, pytest.raises(NotAllowed):
        ops.check_can_request_meeting(
            session=s, team_id=TEAM, mentee_user_id="UMENTEE", mentor_user_id="UMENTOR", now=NOW
        )


def test_who_may_ask_whom(program: Database) -> None:
    rejected(program, NotEnrolled, lambda: ask(program, mentee="UOTHER"))  # a mentor only
    rejected(program, NotEnrolled, lambda: ask(program, mentee="UNOBODY"))
    rejected(program, NotFound, lambda: ask(program, mentor="USECOND"))  # a mentee only
    rejected(program, InvalidInput, lambda: ask(program, mentor="UMENTEE"))
    with program.write() as s:
        pause(
            session=s, team_id=TEAM, slack_user_id="UOTHER", until=NOW + timedelta(days=9), now=NOW
        )
    rejected(program, Unavailable, lambda: ask(program, mentor="UOTHER"))


@pytest.mark.parametrize(
    ("times", "field", "words"),
    [
        ((), "slot_1", "at least one time"),
        ((None, None, None), "slot_1", "at least one time"),
        ((NOW - timedelta(hours=1),), "slot_1", "already passed"),
        ((TIMES[0], NOW), "slot_2", "already passed"),
        ((TIMES[0], TIMES[1], TIMES[0]), "slot_3", "proposed this time already"),
        ((*TIMES, NOW + timedelta(days=9)), "slot_4", "at most 3"),
    ],
)
def test_proposed_times_must_be_future_distinct_one_to_three(
    program: Database, times: tuple[datetime | None, ...], field: str, words: str
) -> None:
    err = rejected(program, InvalidInput, lambda: ask(program, times=times))
    assert err.field == field and words in err.message


def test_topic_message_and_length_are_checked(program: Database) -> None:
    assert rejected(program, InvalidInput, lambda: ask(program, topic="  ")).field == "topic"
    assert rejected(program, InvalidInput, lambda: ask(program, topic="x" * 151)).field == "topic"
    assert rejected(program, InvalidInput, lambda: ask(program, message="hi")).field == "message"
    assert rejected(program, InvalidInput, lambda: ask(program, duration=90)).field == "duration"


def test_own_pending_limit_and_one_per_mentor(program: Database) -> None:
    enable(program, max_pending_meetings_per_mentee=2)
    ask(program)
    err = rejected(program, Duplicate, lambda: ask(program))
    assert "already have a meeting request waiting" in err.message
    ask(program, mentor="UOTHER")
    err = rejected(program, LimitReached, lambda: ask(program, mentor="UTHIRD"))
    assert "2 meeting requests waiting" in err.message
    # Mentoring requests have their own limit, untouched by meeting requests.
    with program.write() as s:
        send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UTHIRD",
            message=MESSAGE,
            now=NOW,
        )


def test_meetings_count_toward_no_capacity_or_relationship_limit(program: Database) -> None:
    # UMENTOR (capacity 1) is full, and UMENTEE already has their one mentor.
    with program.write() as s:
        request = send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UMENTOR",
            message=MESSAGE,
            now=NOW,
        )
        accept(session=s, team_id=TEAM, request_id=request.id, actor_user_id="UMENTOR", now=NOW)
    meeting = ask(program, mentee="USECOND")  # a full mentor still meets once
    act(program, ops.accept_slot, meeting_id=meeting.id, slot=0, actor_user_id="UMENTOR", now=NOW)
    other = ask(program, mentor="UOTHER")  # a mentee with a mentor still asks someone else
    act(program, ops.accept_slot, meeting_id=other.id, slot=2, actor_user_id="UOTHER", now=NOW)
    with program.read() as s:
        ids = dict(s.execute(select(Member.slack_user_id, Member.id)).all())
        assert active_as_mentor(s, ids["UMENTOR"]) == 1
        assert active_as_mentor(s, ids["UOTHER"]) == 0
        assert active_as_mentee(s, ids["USECOND"]) == 0
        assert s.scalar(select(func.count()).select_from(Relationship)) == 1


def test_accepting_a_time_is_guarded_and_queues_the_group_dm_and_invite(
    program: Database,
) -> None:
    meeting = ask(program)
    rejected(
        program,
        NotAllowed,
        lambda: act(
            program, ops.accept_slot, meeting_id=meeting.id, slot=1, actor_user_id="UOTHER", now=NOW
        ),
    )
    for slot in (3, -1):
        rejected(
            program,
            InvalidInput,
            lambda slot=slot: act(
                program,
                ops.accept_slot,
                meeting_id=meeting.id,
                slot=slot,
                actor_user_id="UMENTOR",
                now=NOW,
            ),
        )
    late = TIMES[0] + timedelta(minutes=1)
    err = rejected(
        program,
        InvalidInput,
        lambda: act(
            program,
            ops.accept_slot,
            meeting_id=meeting.id,
            slot=0,
            actor_user_id="UMENTOR",
            now=late,
        ),
    )
    assert "already passed" in err.message
    accepted = act(
        program, ops.accept_slot, meeting_id=meeting.id, slot=1, actor_user_id="UMENTOR", now=NOW
    )
    assert accepted.status is RequestStatus.ACCEPTED and accepted.meeting_at == TIMES[1]
    assert notices(program, meeting.id)[1:] == [
        ("meeting.scheduled", None),
        ("meeting.invite", None),
        ("meeting.accepted", "UMENTEE"),
        ("meeting.updated", "UMENTOR"),
    ]
    err = rejected(
        program,
        AlreadyHandled,
        lambda: act(
            program,
            ops.accept_slot,
            meeting_id=meeting.id,
            slot=2,
            actor_user_id="UMENTOR",
            now=NOW,
        ),
    )
    assert err.message == "This meeting request was already accepted."
    rejected(
        program,
        AlreadyHandled,
        lambda: act(program, ops.withdraw, meeting_id=meeting.id, actor_user_id="UMENTEE", now=NOW),
    )


def test_decline_needs_a_listed_reason_and_tells_the_mentee(program: Database) -> None:
    meeting = ask(program)

    def decline(reason: str, user: str = "UMENTOR", note: str = "") -> Any:
        return act(
            program,
            ops.decline,
            meeting_id=meeting.id,
            actor_user_id=user,
            reason=reason,
            note=note,
            now=NOW,
        )

    assert rejected(program, InvalidInput, lambda: decline("Bored")).field == "reason"
    rejected(program, NotAllowed, lambda: decline("Other", user="UMENTEE"))
    declined = decline("Other", note="Try next month!")
    assert (declined.status, declined.decline_reason, declined.decline_note) == (
        RequestStatus.DECLINED,
        "Other",
        "Try next month!",
    )
    assert notices(program, meeting.id)[1:] == [
        ("meeting.declined", "UMENTEE"),
        ("meeting.updated", "UMENTOR"),
    ]
    rejected(program, AlreadyHandled, lambda: decline("Other"))


def test_only_the_mentee_withdraws(program: Database) -> None:
    meeting = ask(program)
    rejected(
        program,
        NotAllowed,
        lambda: act(program, ops.withdraw, meeting_id=meeting.id, actor_user_id="UMENTOR", now=NOW),
    )
    withdrawn = act(program, ops.withdraw, meeting_id=meeting.id, actor_user_id="UMENTEE", now=NOW)
    assert withdrawn.status is RequestStatus.WITHDRAWN
    assert notices(program, meeting.id)[-1] == ("meeting.updated", "UMENTOR")
    ask(program)  # the pair may ask again once nothing is pending


def test_other_workspaces_cannot_reach_a_meeting(program: Database) -> None:
    meeting = ask(program)
    f.workspace(program, "T0OTHER")
    with program.read() as s, pytest.raises(NotFound):
        ops.get_meeting(session=s, team_id="T0OTHER", meeting_id=meeting.id)


def test_calendar_event_of_an_accepted_meeting(program: Database) -> None:
    meeting = ask(program)
    with program.read() as s, pytest.raises(AlreadyHandled):
        calendar_event(session=s, team_id=TEAM, meeting_id=meeting.id)
    with program.write() as s:
        for user, email in (("UMENTOR", "mentor@example.org"), ("UMENTEE", None)):
            s.scalars(select(Member).where(Member.slack_user_id == user)).one().email = email
    act(program, ops.accept_slot, meeting_id=meeting.id, slot=2, actor_user_id="UMENTOR", now=NOW)
    with program.read() as s:
        event = calendar_event(session=s, team_id=TEAM, meeting_id=meeting.id)
    assert (event.start, event.end) == (TIMES[2], TIMES[2] + timedelta(minutes=30))
    assert event.uid == f"meeting-{meeting.id}-t0test@mentor-match"
    assert TOPIC in event.summary and MESSAGE in event.description
    assert event.organizer is not None and event.organizer.email == "mentor@example.org"
    assert [a.email for a in event.attendees] == ["mentor@example.org"]  # no email, no address
