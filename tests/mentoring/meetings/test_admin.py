"""What admins see and do about meeting requests, on SQLite and PostgreSQL.

The figures of ``meeting_stats`` are checked against values worked out by hand; the dashboard's
meeting pages, Remind now and Close against what the database holds afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mentoring.asks.followups import ADMIN_REMIND_GAP
from mentoring.core.actors import Actor
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed
from mentoring.meetings.stats import meeting_stats
from mentoring.program.settings_changes import update_settings
from mentoring.reports.admin_moves import (
    close_meeting_request,
    pending_meeting_row,
    remind_meeting_now,
)
from mentoring.reports.dashboard import AgeOrder, PipelineKind, StatusFilter, pipeline_page
from store.db import Database
from store.enums import RequestStatus
from store.models import Event, MeetingRequest, OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.rows import add_failed_notice, add_meeting, add_request

ADMIN = Actor("UADMIN", is_admin=True)
S = RequestStatus
AHEAD = [NOW + timedelta(days=2), NOW + timedelta(days=3)]


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    f.workspace(db)
    f.workspace(db, "T0OTHER")
    ids = {
        "ada": f.mentor(db, "UADA", display_name="Ada").id,
        "bob": f.mentor(db, "UBOB", display_name="Bob").id,
        "cy": f.mentor(db, "UCY", display_name="Cy").id,
        "eve": f.mentee(db, "UEVE", display_name="Eve").id,
        "gus": f.mentee(db, "UGUS", display_name="Gus").id,
        "hal": f.mentee(db, "UHAL", display_name="Hal").id,
    }
    ids["xena"] = f.mentor(db, "UX", "T0OTHER").id
    ids["yan"] = f.mentee(db, "UY", "T0OTHER").id
    return ids


def test_stats_by_hand_rates_averages_medians_and_the_period_edges(
    db: Database, people: dict[str, int]
) -> None:
    """February 2026, [Feb 1 00:00, Mar 1 00:00), seen on Mar 2 09:00:

        M1  Feb 2  09:00  accepted  Feb 2 13:00     4 h
        M2  Feb 3  09:00  accepted  Feb 4 09:00    24 h
        M3  Feb 5  09:00  declined  Feb 5 11:00     2 h
        M4  Feb 6  09:00  expired   Feb 9 09:00    72 h
        M5  Feb 10 09:00  closed    Feb 11 09:00   24 h
        M6  Feb 12 09:00  withdrawn Feb 12 10:00    1 h
        M7  Feb 27 09:00  pending                  72 h by now
        M8  Feb 28 21:00  pending                  36 h by now
        M9  Feb 1  00:00  accepted  Feb 1 06:00     6 h   (the first instant: inside)
        --  Mar 1  00:00  pending                  (the end: outside)
        --  Jan 31 23:59  accepted                 (before: outside)
        --  another workspace's, Feb 10            (outside)

    Decided (accepted, declined, expired, closed) = 6: acceptance 3/6, decline 1/6, expiry 1/6.
    Answered (accepted, declined): 2, 4, 6, 24 h -> average 9 h, median 5 h.
    Left pending (any outcome): 1, 2, 4, 6, 24, 24, 72 h -> average 133/7 = 19 h, median 6 h.
    Still waiting: 36 and 72 h -> average 54 h, median 54 h.
    """
    p = people
    with db.write() as s:

        def meeting(
            mentee: str,
            mentor: str,
            created: datetime,
            status: RequestStatus = S.PENDING,
            answered: datetime | None = None,
        ) -> None:
            add_meeting(s, p[mentee], p[mentor], created, status, answered, times=AHEAD)

        meeting("eve", "ada", at(2, 2), S.ACCEPTED, at(2, 2, 13))
        meeting("eve", "bob", at(2, 3), S.ACCEPTED, at(2, 4))
        meeting("gus", "ada", at(2, 5), S.DECLINED, at(2, 5, 11))
        meeting("gus", "bob", at(2, 6), S.EXPIRED, at(2, 9))
        meeting("hal", "ada", at(2, 10), S.CLOSED_BY_ADMIN, at(2, 11))
        meeting("hal", "bob", at(2, 12), S.WITHDRAWN, at(2, 12, 10))
        meeting("eve", "cy", at(2, 27))
        meeting("gus", "cy", at(2, 28, 21))
        meeting("hal", "cy", at(2, 1, 0), S.ACCEPTED, at(2, 1, 6))
        meeting("eve", "ada", at(3, 1, 0))
        meeting("gus", "ada", at(1, 31, 23, 59), S.ACCEPTED, at(2, 1))
        add_meeting(s, p["yan"], p["xena"], at(2, 10), times=AHEAD, team_id="T0OTHER")

    with db.read() as s:
        stats = meeting_stats(session=s, team_id=TEAM, start=at(2, 1, 0), end=at(3, 1, 0), now=NOW)

    assert stats.total == 9
    assert dict(stats.by_status) == {
        S.PENDING: 2,
        S.ACCEPTED: 3,
        S.DECLINED: 1,
        S.WITHDRAWN: 1,
        S.EXPIRED: 1,
        S.CLOSED_BY_ADMIN: 1,
        S.CANCELLED: 0,
    }
    assert stats.decided == 6
    assert (stats.acceptance_rate, stats.decline_rate, stats.expiry_rate) == (0.5, 1 / 6, 1 / 6)
    hours = timedelta(hours=1)
    answer = stats.time_to_answer
    assert (answer.count, answer.average, answer.median) == (4, 9 * hours, 5 * hours)
    left = stats.time_pending
    assert (left.count, left.average, left.median) == (7, 19 * hours, 6 * hours)
    waiting = stats.waiting
    assert (waiting.count, waiting.average, waiting.median) == (2, 54 * hours, 54 * hours)


def test_stats_of_a_period_without_outcomes_have_no_rates(
    db: Database, people: dict[str, int]
) -> None:
    with db.write() as s:
        add_meeting(s, people["eve"], people["ada"], at(2, 20), times=AHEAD)
        add_meeting(s, people["gus"], people["ada"], at(2, 21), S.WITHDRAWN, at(2, 22), times=AHEAD)
    with db.read() as s:
        stats = meeting_stats(session=s, team_id=TEAM, start=at(2, 1), end=at(3, 1), now=NOW)
    assert (stats.total, stats.decided) == (2, 0)
    assert stats.acceptance_rate is stats.decline_rate is stats.expiry_rate is None
    assert stats.time_to_answer.average is None and stats.time_pending.count == 1


def test_meeting_pages_count_filter_order_and_flag_failures_of_their_own_kind(
    db: Database, people: dict[str, int]
) -> None:
    p = people
    with db.write() as s:
        m1 = add_meeting(s, p["eve"], p["ada"], NOW - timedelta(hours=50), times=AHEAD)
        m2 = add_meeting(s, p["gus"], p["ada"], NOW - timedelta(hours=70), times=AHEAD)
        m3 = add_meeting(s, p["hal"], p["ada"], NOW - timedelta(hours=10), times=AHEAD)
        add_meeting(s, p["eve"], p["bob"], NOW - timedelta(days=3), S.ACCEPTED, NOW, times=AHEAD)
        add_meeting(s, p["gus"], p["bob"], NOW - timedelta(days=4), S.WITHDRAWN, NOW, times=AHEAD)
        add_meeting(s, p["yan"], p["xena"], NOW - timedelta(days=9), times=AHEAD, team_id="T0OTHER")
        request = add_request(s, p["eve"], p["cy"], NOW - timedelta(days=1))
        add_failed_notice(s, NOW, meeting_id=m1.id)
        add_failed_notice(s, NOW, meeting_id=m1.id)
        add_failed_notice(s, NOW, request_id=request.id)

    with db.read() as s:
        pending = pipeline_page(session=s, team_id=TEAM, kind=PipelineKind.MEETINGS)
        newest = pipeline_page(
            session=s,
            team_id=TEAM,
            kind=PipelineKind.MEETINGS,
            order=AgeOrder.NEWEST,
            page=2,
            page_size=2,
        )
        taken_back = pipeline_page(
            session=s, team_id=TEAM, kind=PipelineKind.MEETINGS, status=StatusFilter.WITHDRAWN
        )
        requests = pipeline_page(session=s, team_id=TEAM)

    assert pending.kind is PipelineKind.MEETINGS
    assert (pending.counts[StatusFilter.PENDING], pending.counts[StatusFilter.ALL]) == (3, 5)
    assert pending.counts[StatusFilter.ACCEPTED] == pending.counts[StatusFilter.WITHDRAWN] == 1
    assert [r.meeting.id for r in pending.rows] == [m2.id, m1.id, m3.id]
    assert [(r.mentee.display_name, r.mentor.display_name) for r in pending.rows] == [
        ("Gus", "Ada"),
        ("Eve", "Ada"),
        ("Hal", "Ada"),
    ]
    assert [r.failed_deliveries for r in pending.rows] == [0, 2, 0]
    assert pending.failed_deliveries == 2 and requests.failed_deliveries == 1
    # Meeting requests exist, so both kinds are offered, each with its pending count.
    assert (
        dict(pending.pending_by_kind)
        == dict(requests.pending_by_kind)
        == {
            PipelineKind.REQUESTS: 1,
            PipelineKind.MEETINGS: 3,
        }
    )
    assert [r.meeting.id for r in newest.rows] == [m2.id] and newest.pages == 2
    assert [r.meeting.status for r in taken_back.rows] == [S.WITHDRAWN]


def test_meetings_are_offered_while_flash_mentoring_is_on_or_once_there_are_any(
    db: Database, people: dict[str, int]
) -> None:
    def offered() -> set[PipelineKind]:
        with db.read() as s:
            return set(pipeline_page(session=s, team_id=TEAM).pending_by_kind)

    assert offered() == {PipelineKind.REQUESTS}
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"flash_mentoring_enabled": True},
            now=NOW,
        )
    assert offered() == {PipelineKind.REQUESTS, PipelineKind.MEETINGS}
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"flash_mentoring_enabled": False},
            now=NOW,
        )
        add_meeting(
            s, people["eve"], people["ada"], NOW, S.DECLINED, NOW, times=AHEAD, reason="Other"
        )
    assert offered() == {PipelineKind.REQUESTS, PipelineKind.MEETINGS}


def test_remind_now_goes_at_once_even_at_night_and_counts_as_a_reminder(
    db: Database, people: dict[str, int]
) -> None:
    night = at(3, 2, 22, 30)  # 22:30 in London, Ada's timezone: outside working hours
    with db.write() as s:
        meeting = add_meeting(
            s, people["eve"], people["ada"], NOW, times=[night + timedelta(days=2)]
        )
    with db.write() as s, pytest.raises(NotAllowed):
        remind_meeting_now(
            session=s, team_id=TEAM, meeting_id=meeting.id, actor=Actor("UEVE"), now=night
        )

    with db.write() as s:
        row = remind_meeting_now(
            session=s, team_id=TEAM, meeting_id=meeting.id, actor=ADMIN, now=night
        )
    # A second click (or a second admin) within the hour sends nothing.
    with db.write() as s, pytest.raises(AlreadyHandled, match="went out just now"):
        remind_meeting_now(session=s, team_id=TEAM, meeting_id=meeting.id, actor=ADMIN, now=night)
    later = night + ADMIN_REMIND_GAP
    with db.write() as s:
        again = remind_meeting_now(
            session=s, team_id=TEAM, meeting_id=meeting.id, actor=ADMIN, now=later
        )

    assert (row.meeting.reminder_count, row.meeting.last_reminded_at) == (1, night)
    assert again.meeting.reminder_count == 2
    with db.read() as s:
        sent = s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "meeting.reminder")
            .order_by(OutboxMessage.id)
        ).all()
        events = s.scalars(select(Event).where(Event.action == "meeting.reminded")).all()
    assert [(o.dedupe_key, o.next_attempt_at, o.recipient_id) for o in sent] == [
        (f"meeting-reminder:{meeting.id}:1", night, people["ada"]),
        (f"meeting-reminder:{meeting.id}:2", later, people["ada"]),
    ]
    assert [(e.actor, e.after) for e in events] == [
        ("UADMIN", {"reminder_count": 1}),
        ("UADMIN", {"reminder_count": 2}),
    ]


def test_nothing_to_remind_once_answered_or_every_time_has_passed(
    db: Database, people: dict[str, int]
) -> None:
    with db.write() as s:
        answered = add_meeting(s, people["eve"], people["ada"], NOW, S.ACCEPTED, NOW, times=AHEAD)
        passed = add_meeting(s, people["gus"], people["ada"], NOW, times=[NOW - timedelta(hours=1)])
    for meeting_id, message in (
        (answered.id, "This meeting request was already accepted."),
        (passed.id, "Every proposed time of this meeting request has passed."),
    ):
        with db.write() as s, pytest.raises(AlreadyHandled) as caught:
            remind_meeting_now(session=s, team_id=TEAM, meeting_id=meeting_id, actor=ADMIN, now=NOW)
        assert caught.value.message == message
    with db.read() as s:
        assert s.scalars(select(MeetingRequest.reminder_count)).all() == [0, 0]
        assert s.scalars(select(OutboxMessage)).all() == []


def test_close_with_a_reason_tells_both_once_and_only_admins_may(
    db: Database, people: dict[str, int]
) -> None:
    with db.write() as s:
        meeting = add_meeting(s, people["eve"], people["ada"], NOW, times=AHEAD)

    def close(reason: str, actor: Actor = ADMIN) -> None:
        with db.write() as s:
            close_meeting_request(
                session=s,
                team_id=TEAM,
                meeting_id=meeting.id,
                actor=actor,
                reason=reason,
                now=NOW + timedelta(hours=2),
            )

    with pytest.raises(NotAllowed):
        close("Ada is away", Actor("UADA"))
    with pytest.raises(InvalidInput) as empty:
        close("   ")
    assert (empty.value.field, empty.value.message) == (
        "reason",
        "Give a reason: the mentee will see it.",
    )
    with pytest.raises(InvalidInput) as long:
        close("x" * 501)
    assert long.value.message == "Please keep the reason under 500 characters."
    with db.read() as s:
        assert s.get_one(MeetingRequest, meeting.id).status is S.PENDING

    close("  Ada is away that week  ")
    with pytest.raises(AlreadyHandled) as twice:
        close("Again")

    assert twice.value.message == "This meeting request was already closed by a program admin."
    with db.read() as s:
        stored = s.get_one(MeetingRequest, meeting.id)
        notices = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        event = s.scalars(select(Event).where(Event.action == "meeting.closed")).one()
        with pytest.raises(AlreadyHandled):
            pending_meeting_row(session=s, team_id=TEAM, meeting_id=meeting.id)
    assert (stored.status, stored.close_reason, stored.closed_by) == (
        S.CLOSED_BY_ADMIN,
        "Ada is away that week",
        "UADMIN",
    )
    assert (stored.closed_at, stored.answered_at) == (NOW + timedelta(hours=2),) * 2
    assert [(n.kind, n.recipient_id, n.meeting_id) for n in notices] == [
        ("meeting.closed", people["eve"], meeting.id),
        ("meeting.updated", people["ada"], meeting.id),
    ]
    assert (event.actor, event.before, event.after) == (
        "UADMIN",
        {"status": "pending"},
        {"status": "closed_by_admin", "reason": "Ada is away that week"},
    )
