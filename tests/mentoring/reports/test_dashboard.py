"""The admin pipeline: counts, filters, order, pages, failed deliveries, Remind now and Close."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mentoring.core.actors import Actor
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed
from mentoring.reports.admin_moves import close_request, pending_row, remind_now
from mentoring.reports.dashboard import AgeOrder, PipelinePage, StatusFilter, pipeline_page
from mentoring.requests.answers import accept
from store.db import Database
from store.enums import OutboxStatus, RequestKind, RequestStatus
from store.models import Event, OutboxMessage, Request
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.rows import add_request

ADMIN = Actor("UADMIN", is_admin=True)
S = RequestStatus


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    f.workspace(db)
    f.workspace(db, "T0OTHER")
    ids = {
        "ada": f.mentor(db, "UADA", display_name="Ada").id,
        "bob": f.mentor(db, "UBOB", display_name="Bob").id,
        "eve": f.mentee(db, "UEVE", display_name="Eve").id,
        "gus": f.mentee(db, "UGUS", display_name="Gus").id,
    }
    ids["xena"] = f.mentor(db, "UX", "T0OTHER").id
    ids["yan"] = f.mentee(db, "UY", "T0OTHER").id
    return ids


def page(db: Database, **kw: object) -> PipelinePage:
    with db.read() as session:
        return pipeline_page(session=session, team_id=TEAM, **kw)  # type: ignore[arg-type]


def test_counts_every_filter_and_lists_pending_oldest_first(
    db: Database, people: dict[str, int]
) -> None:
    p = people
    with db.write() as s:
        r1 = add_request(s, p["eve"], p["ada"], NOW - timedelta(hours=50))
        r2 = add_request(s, p["gus"], p["ada"], NOW - timedelta(hours=70))
        r3 = add_request(s, p["eve"], p["bob"], NOW - timedelta(hours=10))
        add_request(
            s, p["gus"], p["bob"], NOW - timedelta(days=9), S.ACCEPTED, NOW - timedelta(days=8)
        )
        add_request(s, p["eve"], p["bob"], NOW - timedelta(days=8), S.DECLINED, NOW)
        add_request(s, p["eve"], p["ada"], NOW - timedelta(days=30), S.EXPIRED, NOW)
        add_request(s, p["gus"], p["ada"], NOW - timedelta(days=20), S.CLOSED_BY_ADMIN, NOW)
        add_request(s, p["gus"], p["bob"], NOW - timedelta(days=7), S.WITHDRAWN, NOW)
        add_request(s, p["eve"], p["ada"], NOW - timedelta(days=6), S.CANCELLED, NOW)
        # Another workspace's request counts nowhere.
        add_request(s, p["yan"], p["xena"], NOW - timedelta(days=99), team_id="T0OTHER")

    pending = page(db)

    assert dict(pending.counts) == {
        StatusFilter.PENDING: 3,
        StatusFilter.ACCEPTED: 1,
        StatusFilter.DECLINED: 1,
        StatusFilter.EXPIRED: 1,
        StatusFilter.CLOSED: 1,
        StatusFilter.WITHDRAWN: 2,  # withdrawn and cancelled
        StatusFilter.ALL: 9,
    }
    assert [r.request.id for r in pending.rows] == [r2.id, r1.id, r3.id]
    assert [(r.mentee.display_name, r.mentor.display_name) for r in pending.rows] == [
        ("Gus", "Ada"),
        ("Eve", "Ada"),
        ("Eve", "Bob"),
    ]
    assert all(r.can_remind and r.can_close for r in pending.rows)
    newest = page(db, order=AgeOrder.NEWEST)
    assert [r.request.id for r in newest.rows] == [r3.id, r1.id, r2.id]
    taken_back = page(db, status=StatusFilter.WITHDRAWN)
    assert {r.request.status for r in taken_back.rows} == {S.WITHDRAWN, S.CANCELLED}
    assert not any(r.can_remind or r.can_close for r in taken_back.rows)
    assert len(page(db, status=StatusFilter.ALL).rows) == 9


def test_pages_cover_every_row_once_and_a_page_past_the_end_shows_the_last(
    db: Database, people: dict[str, int]
) -> None:
    p = people
    mentees = [p["eve"], p["gus"]] + [f.mentee(db, f"UM{i}").id for i in range(10)]
    with db.write() as s:
        ids = [
            add_request(s, mentee, mentor, NOW - timedelta(minutes=n)).id
            for n, (mentee, mentor) in enumerate(
                (m, t) for m in mentees for t in (p["ada"], p["bob"])
            )
        ]  # 24 pending, the first created most recently
    oldest_first = list(reversed(ids))

    seen = []
    for number in (1, 2, 3):
        shown = page(db, page=number, page_size=10)
        assert (shown.page, shown.pages, shown.total) == (number, 3, 24)
        seen += [r.request.id for r in shown.rows]
    assert seen == oldest_first
    beyond = page(db, page=9, page_size=10)
    assert (beyond.page, beyond.first_index, [r.request.id for r in beyond.rows]) == (
        3,
        21,
        oldest_first[20:],
    )
    with pytest.raises(InvalidInput):
        page(db, page_size=51)


def test_an_empty_filter_has_one_empty_page(db: Database, people: dict[str, int]) -> None:
    shown = page(db, status=StatusFilter.EXPIRED, page=4)
    assert (shown.page, shown.pages, shown.rows, shown.first_index) == (1, 1, (), 0)


def test_failed_deliveries_are_counted_per_request(db: Database, people: dict[str, int]) -> None:
    p = people
    with db.write() as s:
        flagged = add_request(s, p["eve"], p["ada"], NOW - timedelta(hours=5))
        fine = add_request(s, p["gus"], p["ada"], NOW - timedelta(hours=4))
        for status, request_id in (
            (OutboxStatus.FAILED, flagged.id),
            (OutboxStatus.FAILED, flagged.id),
            (OutboxStatus.SENT, fine.id),
            (OutboxStatus.FAILED, None),  # not about a request
        ):
            s.add(
                OutboxMessage(
                    team_id=TEAM,
                    kind="request.received",
                    request_id=request_id,
                    status=status,
                    created_at=NOW,
                    next_attempt_at=NOW,
                )
            )

    shown = page(db)

    assert {r.request.id: r.failed_deliveries for r in shown.rows} == {flagged.id: 2, fine.id: 0}
    assert shown.failed_deliveries == 2


def test_remind_now_queues_a_reminder_and_logs_the_admin(
    db: Database, people: dict[str, int]
) -> None:
    p = people
    with db.write() as s:
        request = add_request(s, p["eve"], p["ada"], NOW - timedelta(days=2))
    with db.write() as s:
        row = remind_now(session=s, team_id=TEAM, request_id=request.id, actor=ADMIN, now=NOW)

    assert (row.request.reminder_count, row.request.last_reminded_at) == (1, NOW)
    assert row.answerer.display_name == "Ada"
    with db.read() as s:
        notice = s.scalars(select(OutboxMessage)).one()
        event = s.scalars(select(Event).where(Event.subject_type == "request")).one()
    assert (notice.kind, notice.recipient_id, notice.dedupe_key) == (
        "request.reminder",
        p["ada"],
        f"reminder:{request.id}:1",
    )
    assert (event.action, event.actor, event.after) == (
        "request.reminded",
        "UADMIN",
        {"reminder_count": 1},
    )


def test_remind_now_waits_an_hour_after_any_reminder(db: Database, people: dict[str, int]) -> None:
    p = people
    with db.write() as s:
        request = add_request(s, p["eve"], p["ada"], NOW - timedelta(days=4))
        # The scheduler's reminder went out 20 minutes ago.
        s.get_one(Request, request.id).last_reminded_at = NOW - timedelta(minutes=20)
        s.get_one(Request, request.id).reminder_count = 1

    def remind(at: datetime) -> None:
        with db.write() as s:
            remind_now(session=s, team_id=TEAM, request_id=request.id, actor=ADMIN, now=at)

    with pytest.raises(AlreadyHandled, match=r"went out 20 min ago\. Try again in 40 min"):
        remind(NOW)
    remind(NOW + timedelta(minutes=40))
    with pytest.raises(AlreadyHandled, match="went out just now"):
        remind(NOW + timedelta(minutes=40))  # a second admin clicking the same row
    with db.read() as s:
        kept = s.get_one(Request, request.id)
        reminders = s.scalars(select(OutboxMessage.dedupe_key)).all()
    assert kept.reminder_count == 2 and reminders == [f"reminder:{request.id}:2"]


def test_remind_now_refuses_non_admins_answered_requests_and_preferences(
    db: Database, people: dict[str, int]
) -> None:
    p = people
    with db.write() as s:
        pending = add_request(s, p["eve"], p["ada"], NOW - timedelta(days=2))
        routed = add_request(
            s, p["gus"], p["bob"], NOW - timedelta(days=2), kind=RequestKind.ADMIN_ROUTED
        )

    def remind(request_id: int, actor: Actor = ADMIN) -> None:
        with db.write() as s:
            remind_now(session=s, team_id=TEAM, request_id=request_id, actor=actor, now=NOW)

    with pytest.raises(NotAllowed):
        remind(pending.id, Actor("UEVE"))
    with pytest.raises(InvalidInput, match="preference"):
        remind(routed.id)
    with db.write() as s:
        accept(session=s, team_id=TEAM, request_id=pending.id, actor_user_id="UADA", now=NOW)
    with pytest.raises(AlreadyHandled, match="already accepted"):
        remind(pending.id)
    with db.read() as s:
        assert s.get_one(Request, pending.id).reminder_count == 0
        assert not s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "request.reminder")
        ).all()
    # The preference is not on the dashboard, and an admin cannot reach it as a request.
    assert [r.request.id for r in page(db, status=StatusFilter.ALL).rows] == [pending.id]
    with db.read() as s, pytest.raises(NotAllowed, match="mentor-admin queue"):
        pending_row(session=s, team_id=TEAM, request_id=routed.id)


def test_close_request_tells_both_and_refuses_what_moved_on(
    db: Database, people: dict[str, int]
) -> None:
    p = people
    with db.write() as s:
        request = add_request(s, p["eve"], p["ada"], NOW - timedelta(days=2))
    with db.read() as s:
        assert (
            pending_row(session=s, team_id=TEAM, request_id=request.id).mentee.display_name == "Eve"
        )

    with pytest.raises(InvalidInput) as empty, db.write() as s:
        close_request(
            session=s, team_id=TEAM, request_id=request.id, actor=ADMIN, reason=" ", now=NOW
        )
    assert empty.value.field == "reason"
    with db.write() as s:
        row = close_request(
            session=s,
            team_id=TEAM,
            request_id=request.id,
            actor=ADMIN,
            reason="Ada is on leave",
            now=NOW,
        )

    assert (row.request.status, row.request.close_reason) == (S.CLOSED_BY_ADMIN, "Ada is on leave")
    with db.read() as s:
        notices = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        with pytest.raises(AlreadyHandled, match="closed by a program admin"):
            pending_row(session=s, team_id=TEAM, request_id=request.id)
    assert [(n.kind, n.recipient_id) for n in notices] == [
        ("request.closed", p["eve"]),
        ("request.closed", p["ada"]),
    ]
    with pytest.raises(AlreadyHandled), db.write() as s:
        close_request(
            session=s, team_id=TEAM, request_id=request.id, actor=ADMIN, reason="again", now=NOW
        )
