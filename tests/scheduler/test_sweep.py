"""The sweep: reminders on time and in working hours, auto-close, escalation, digest."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from mentoring.asks.reminders import next_working_moment
from mentoring.program.settings import ProgramSettings
from mentoring.requests.sending import send_request
from mentoring.sweep.sweep import SweepReport, sweep, sweep_all
from store.db import Database
from store.enums import RequestStatus
from store.models import OutboxMessage, Request
from tests import factories as f
from tests.conftest import NOW, TEAM

MESSAGE = "Could you help me get better at system design interviews?"
SETTINGS = ProgramSettings()  # remind after 3 days, every 3, twice; close after 14


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UMENTOR", tz="Europe/London")
    f.mentor(db, "UTOKYO", tz="Asia/Tokyo")
    f.mentee(db, "UMENTEE")
    return db


def ask(db: Database, mentor: str = "UMENTOR", at: datetime = NOW) -> int:
    with db.write() as s:
        return send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id=mentor,
            message=MESSAGE,
            now=at,
        ).id


def run(db: Database, at: datetime, admins: tuple[str, ...] = ()) -> SweepReport:
    return sweep_all(session_factory=db.write, now=at, admins=lambda _team: admins)


def notices(db: Database, kind: str) -> list[OutboxMessage]:
    with db.read() as s:
        return list(
            s.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            )
        )


def test_working_hours_are_the_mentors_own() -> None:
    # Monday 2026-03-02 09:00 UTC is 18:00 in Tokyo: just after hours there.
    assert next_working_moment(NOW, "Europe/London", SETTINGS) == NOW
    assert next_working_moment(NOW, "Asia/Tokyo", SETTINGS) == datetime(
        2026, 3, 3, 0, 0, tzinfo=UTC
    )
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert next_working_moment(saturday, "Europe/London", SETTINGS) == datetime(
        2026, 3, 9, 9, 0, tzinfo=UTC
    )
    # After the clocks change (London goes to BST on 29 March), 09:00 local is 08:00 UTC.
    late = datetime(2026, 3, 30, 20, 0, tzinfo=UTC)
    assert next_working_moment(late, "Europe/London", SETTINGS) == datetime(
        2026, 3, 31, 8, 0, tzinfo=UTC
    )


def test_reminder_at_exactly_n_days_then_repeats_up_to_the_cap(program: Database) -> None:
    request_id = ask(program)
    due = NOW + timedelta(days=3)
    assert run(program, due - timedelta(minutes=1)).reminded == 0
    assert run(program, due).reminded == 1
    assert run(program, due + timedelta(hours=1)).reminded == 0  # nothing twice
    assert run(program, due + timedelta(days=3)).reminded == 1
    assert run(program, due + timedelta(days=6)).reminded == 0  # max_reminders = 2
    rows = notices(program, "request.reminder")
    assert [r.dedupe_key for r in rows] == [f"reminder:{request_id}:1", f"reminder:{request_id}:2"]
    assert rows[0].next_attempt_at == due  # 09:00 in London on a Thursday: deliver now
    with program.read() as s:
        assert s.get(Request, request_id).reminder_count == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(("after", "every"), [(1, 2), (2, 1)])
def test_first_reminder_after_remind_after_days_then_every_remind_every_days(
    program: Database, after: int, every: int
) -> None:
    """The two settings differ, each way round, so no step of the rule (the query that finds
    candidates, the rule that decides) can use one for the other unnoticed."""
    f.settings(program, remind_after_days=after, remind_every_days=every, max_reminders=3)
    ask(program)  # Monday 09:00; both reminders fall on weekdays at 09:00 in London
    first = NOW + timedelta(days=after)
    second = first + timedelta(days=every)
    assert run(program, first - timedelta(minutes=1)).reminded == 0
    assert run(program, first).reminded == 1
    assert run(program, second - timedelta(minutes=1)).reminded == 0
    assert run(program, second).reminded == 1
    assert [r.next_attempt_at for r in notices(program, "request.reminder")] == [first, second]


def test_auto_close_follows_its_own_setting_not_another_of_the_same_default(
    program: Database,
) -> None:
    """auto_close_after_days moved off its default (14, the check-ins' default too)."""
    f.settings(program, auto_close_after_days=9, escalate_after_days=7)
    request_id = ask(program)
    assert run(program, NOW + timedelta(days=9) - timedelta(seconds=1)).expired == 0
    assert run(program, NOW + timedelta(days=9)).expired == 1
    with program.read() as s:
        request = s.get(Request, request_id)
        assert request is not None and request.expired_at == NOW + timedelta(days=9)


def test_reminder_waits_for_working_hours_in_the_mentors_timezone(program: Database) -> None:
    ask(program, mentor="UTOKYO")
    run(program, NOW + timedelta(days=3))  # Thursday 18:00 in Tokyo
    (row,) = notices(program, "request.reminder")
    assert row.next_attempt_at == datetime(2026, 3, 6, 0, 0, tzinfo=UTC)  # Friday 09:00 Tokyo


def test_auto_close_after_m_days_tells_both_sides_once(program: Database) -> None:
    request_id = ask(program)
    assert run(program, NOW + timedelta(days=14) - timedelta(seconds=1)).expired == 0
    report = run(program, NOW + timedelta(days=14))
    assert report.expired == 1
    assert run(program, NOW + timedelta(days=15)) == SweepReport()
    with program.read() as s:
        request = s.get(Request, request_id)
        assert request is not None
        assert (request.status, request.expired_at) == (
            RequestStatus.EXPIRED,
            NOW + timedelta(days=14),
        )
    recipients = {r.recipient_id for r in notices(program, "request.expired")}
    assert recipients == {request.mentee_id, request.mentor_id}


def test_late_sweep_expires_without_reminding_first(program: Database) -> None:
    ask(program)
    report = run(program, NOW + timedelta(days=30))  # the scheduler was down for a month
    assert (report.expired, report.reminded) == (1, 0)


def test_escalation_and_weekly_digest_reach_admins_once(program: Database) -> None:
    ask(program)
    at = NOW + timedelta(days=10)  # Thursday; escalate after 10 days by default
    report = run(program, at, admins=("UADMIN1", "UADMIN2"))
    assert report.escalated == 1
    assert report.digests == 2  # this week's Monday 09:00 has passed
    again = run(program, at + timedelta(hours=1), admins=("UADMIN1", "UADMIN2"))
    assert (again.escalated, again.digests) == (0, 0)
    assert {r.payload["user"] for r in notices(program, "admin.digest")} == {"UADMIN1", "UADMIN2"}
    next_week = run(program, NOW + timedelta(days=13), admins=("UADMIN1",))  # Sunday
    assert next_week.digests == 0
    assert run(program, NOW + timedelta(days=14, hours=1), admins=("UADMIN1",)).digests == 1


def test_two_sweeps_racing_send_each_reminder_once(program: Database) -> None:
    for i in range(30):
        f.mentor(program, f"UM{i}")
    for i in range(30):
        f.mentee(program, f"UE{i}")
        with program.write() as s:
            send_request(
                session=s,
                team_id=TEAM,
                mentee_user_id=f"UE{i}",
                mentor_user_id=f"UM{i}",
                message=MESSAGE,
                now=NOW,
            )
    barrier = threading.Barrier(4)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def racer() -> None:
        try:
            barrier.wait()
            with program.write() as s:
                reports.append(sweep(session=s, team_id=TEAM, now=NOW + timedelta(days=3)))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=racer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.reminded for r in reports) == 30
    with program.read() as s:
        count = s.scalar(select(func.count()).where(OutboxMessage.kind == "request.reminder"))
    assert count == 30
