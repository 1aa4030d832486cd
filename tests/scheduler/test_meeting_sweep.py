"""The sweep's meeting part: reminders before the times, closing when all passed, the day before."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mentoring.meetings.asking import accept_slot, send_meeting_request
from mentoring.meetings.rules import next_meeting_reminder_at
from mentoring.meetings.sweep import MeetingSweep
from mentoring.program.settings import ProgramSettings
from mentoring.program.settings_changes import update_settings
from mentoring.sweep.sweep import SweepReport, sweep_all
from store.db import Database
from store.enums import RequestStatus
from store.models import Event, MeetingRequest, Member, OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM

SETTINGS = ProgramSettings()  # remind after 3 days, every 3, twice
TOPIC = "Negotiating an offer"
MESSAGE = "Could you share how you negotiated your last offer, and what you'd do now?"


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UMENTOR", tz="Europe/London")
    f.mentee(db, "UMENTEE", tz="Asia/Tokyo")
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"flash_mentoring_enabled": True},
            now=NOW,
        )
    return db


def ask(db: Database, *times: datetime, at: datetime = NOW) -> int:
    with db.write() as s:
        return send_meeting_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UMENTOR",
            topic=TOPIC,
            message=MESSAGE,
            proposed_times=times,
            now=at,
        ).id


def run(db: Database, at: datetime) -> MeetingSweep:
    return sweep_all(session_factory=db.write, now=at).meetings


def outbox(db: Database, kind: str) -> list[tuple[str, datetime]]:
    with db.read() as s:
        rows = s.execute(
            select(Member.slack_user_id, OutboxMessage.next_attempt_at)
            .join(Member, Member.id == OutboxMessage.recipient_id)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
        return [(u, t) for u, t in rows]


def status(db: Database, meeting_id: int) -> RequestStatus:
    with db.read() as s:
        meeting = s.get(MeetingRequest, meeting_id)
        assert meeting is not None
        return meeting.status


def test_reminder_timing_is_brought_forward_by_the_times() -> None:
    times = [NOW + timedelta(days=10)]
    # Far-off times: the usual rule (3 days after the request).
    assert next_meeting_reminder_at(NOW, 0, None, times, NOW, SETTINGS) == NOW + timedelta(days=3)
    # A time in 40 hours: a day before it.
    soon = [NOW + timedelta(hours=40)]
    assert next_meeting_reminder_at(NOW, 0, None, soon, NOW, SETTINGS) == NOW + timedelta(hours=16)
    # A time in 20 hours: not before 12 hours after the request.
    sooner = [NOW + timedelta(hours=20)]
    assert next_meeting_reminder_at(NOW, 0, None, sooner, NOW, SETTINGS) == NOW + timedelta(
        hours=12
    )
    # Every time passed, or every reminder sent: none.
    assert next_meeting_reminder_at(NOW, 0, None, soon, soon[0], SETTINGS) is None
    assert next_meeting_reminder_at(NOW, 2, NOW, times, NOW, SETTINGS) is None


def test_reminders_then_closing_once_every_time_has_passed(program: Database) -> None:
    first, last = NOW + timedelta(days=2), NOW + timedelta(days=5, hours=6)
    meeting = ask(program, first, last)
    assert run(program, NOW + timedelta(hours=12)) == MeetingSweep()
    # A day before the first time (Tuesday 09:00 UTC, in working hours in London).
    assert run(program, NOW + timedelta(days=1)) == MeetingSweep(reminded=1)
    assert run(program, NOW + timedelta(days=1, hours=1)) == MeetingSweep()  # nothing twice
    # The usual second reminder, 3 days after the first one.
    assert run(program, NOW + timedelta(days=4)) == MeetingSweep(reminded=1)
    assert run(program, first + timedelta(hours=1)) == MeetingSweep()  # `last` still ahead
    assert status(program, meeting) is RequestStatus.PENDING
    assert run(program, last + timedelta(minutes=1)) == MeetingSweep(expired=1)
    assert status(program, meeting) is RequestStatus.EXPIRED
    assert run(program, last + timedelta(days=1)) == MeetingSweep()
    assert [u for u, _t in outbox(program, "meeting.reminder")] == ["UMENTOR", "UMENTOR"]
    assert [u for u, _t in outbox(program, "meeting.expired")] == ["UMENTEE"]
    assert [u for u, _t in outbox(program, "meeting.updated")] == ["UMENTOR"]
    with program.read() as s:
        actions = list(s.scalars(select(Event.action).where(Event.subject_type == "meeting")))
    assert actions == ["meeting.sent", "meeting.reminded", "meeting.reminded", "meeting.expired"]


def test_reminders_wait_for_working_hours_unless_a_time_is_close(program: Database) -> None:
    ask(program, NOW + timedelta(days=9))
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=NOW.tzinfo)
    assert run(program, saturday) == MeetingSweep(reminded=1)
    ((_user, deliver_at),) = outbox(program, "meeting.reminder")
    assert deliver_at == datetime(2026, 3, 9, 9, 0, tzinfo=NOW.tzinfo)  # Monday 09:00 London
    urgent = ask_other(program, saturday + timedelta(hours=8), at=saturday - timedelta(days=1))
    assert run(program, saturday + timedelta(hours=1)) == MeetingSweep(reminded=1)
    assert outbox(program, "meeting.reminder")[-1][1] == saturday + timedelta(hours=1)
    assert status(program, urgent) is RequestStatus.PENDING


def ask_other(db: Database, *times: datetime, at: datetime) -> int:
    f.mentor(db, "UOTHER", tz="Europe/London")
    with db.write() as s:
        return send_meeting_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UOTHER",
            topic=TOPIC,
            message=MESSAGE,
            proposed_times=times,
            now=at,
        ).id


def test_both_are_reminded_once_the_day_before(program: Database) -> None:
    at = NOW + timedelta(days=3)
    meeting = ask(program, at)
    with program.write() as s:
        accept_slot(
            session=s, team_id=TEAM, meeting_id=meeting, slot=0, actor_user_id="UMENTOR", now=NOW
        )
    assert run(program, at - timedelta(days=1, minutes=1)) == MeetingSweep()
    assert run(program, at - timedelta(hours=23)) == MeetingSweep(announced=1)
    assert run(program, at - timedelta(hours=22)) == MeetingSweep()
    assert [u for u, _t in outbox(program, "meeting.tomorrow")] == ["UMENTEE", "UMENTOR"]


def kinds(db: Database, meeting_id: int) -> list[str]:
    with db.read() as s:
        return list(
            s.scalars(
                select(OutboxMessage.kind)
                .where(OutboxMessage.meeting_id == meeting_id)
                .order_by(OutboxMessage.id)
            )
        )


def accept_first(db: Database, meeting_id: int, at: datetime = NOW) -> None:
    with db.write() as s:
        accept_slot(
            session=s, team_id=TEAM, meeting_id=meeting_id, slot=0, actor_user_id="UMENTOR", now=at
        )


def test_a_meeting_accepted_less_than_a_day_ahead_gets_no_day_before_reminder(
    program: Database,
) -> None:
    at = NOW + timedelta(hours=20)
    meeting = ask(program, at)
    accept_first(program, meeting)
    with program.read() as s:
        row = s.get_one(MeetingRequest, meeting)
        assert (row.meeting_at, row.meeting_reminded_at) == (at, NOW)  # marked: not needed
    for later in (timedelta(minutes=5), timedelta(hours=12), timedelta(hours=19, minutes=59)):
        assert run(program, NOW + later) == MeetingSweep()
    assert kinds(program, meeting) == [
        "meeting.received",
        "meeting.scheduled",
        "meeting.invite",
        "meeting.accepted",
        "meeting.updated",
    ]
    with program.read() as s:
        actions = list(s.scalars(select(Event.action).where(Event.subject_type == "meeting")))
    assert actions == ["meeting.sent", "meeting.accepted"]


def test_the_day_before_reminder_still_comes_for_a_meeting_just_over_a_day_ahead(
    program: Database,
) -> None:
    exactly = ask(program, NOW + timedelta(days=1))
    accept_first(program, exactly)
    f.mentor(program, "UOTHER", tz="Europe/London")
    with program.write() as s:
        later = send_meeting_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UOTHER",
            topic=TOPIC,
            message=MESSAGE,
            proposed_times=[NOW + timedelta(days=1, minutes=30)],
            now=NOW,
        ).id
        accept_slot(
            session=s, team_id=TEAM, meeting_id=later, slot=0, actor_user_id="UOTHER", now=NOW
        )
    assert run(program, NOW + timedelta(minutes=5)) == MeetingSweep()
    assert run(program, NOW + timedelta(minutes=30)) == MeetingSweep(announced=1)
    assert "meeting.tomorrow" not in kinds(program, exactly)  # a day ahead exactly: announced
    assert kinds(program, later)[-2:] == ["meeting.tomorrow", "meeting.tomorrow"]


def test_a_sweep_that_comes_after_the_meeting_announces_nothing(program: Database) -> None:
    at = NOW + timedelta(days=3)
    meeting = ask(program, at)
    with program.write() as s:
        accept_slot(
            session=s, team_id=TEAM, meeting_id=meeting, slot=0, actor_user_id="UMENTOR", now=NOW
        )
    assert run(program, at + timedelta(minutes=5)) == MeetingSweep()
    assert outbox(program, "meeting.tomorrow") == []


def test_the_report_adds_meeting_figures_up() -> None:
    a = SweepReport(reminded=1, meetings=MeetingSweep(1, 2, 3))
    b = SweepReport(expired=1, meetings=MeetingSweep(0, 1, 0))
    assert a.meetings + b.meetings == MeetingSweep(1, 3, 3)
    assert SweepReport() == SweepReport(meetings=MeetingSweep())


@pytest.mark.slow
def test_concurrent_sweeps_do_nothing_twice(program: Database) -> None:
    at = NOW + timedelta(days=3)
    accepted = ask(program, at)
    with program.write() as s:
        accept_slot(
            session=s, team_id=TEAM, meeting_id=accepted, slot=0, actor_user_id="UMENTOR", now=NOW
        )
    f.mentor(program, "UOTHER", tz="Europe/London")
    with program.write() as s:
        passed = send_meeting_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UOTHER",
            topic=TOPIC,
            message=MESSAGE,
            proposed_times=[NOW + timedelta(days=1)],
            now=NOW,
        ).id
    moment = at - timedelta(hours=12)
    reports: list[MeetingSweep] = []
    barrier = threading.Barrier(4)

    def sweeper() -> None:
        barrier.wait()
        reports.append(run(program, moment))

    threads = [threading.Thread(target=sweeper) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = MeetingSweep()
    for report in reports:
        total += report
    assert total == MeetingSweep(expired=1, announced=1)
    assert status(program, passed) is RequestStatus.EXPIRED
    assert len(outbox(program, "meeting.tomorrow")) == 2
    assert len(outbox(program, "meeting.expired")) == 1
