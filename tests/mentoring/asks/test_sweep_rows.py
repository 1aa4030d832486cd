"""Every row one sweep writes for the asks it moves: their events and their notices, field by
field, for requests, offers and meeting requests (the database builds them from the moved rows,
mentoring.asks.sweep)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mentoring.asks.reminders import next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice
from mentoring.meetings.views import store_time
from mentoring.program.settings import ProgramSettings
from mentoring.sweep.sweep import sweep_all
from store.db import Database
from store.enums import OutboxStatus, RequestKind, RequestStatus
from store.models import Event, MeetingRequest, OutboxMessage, Request
from tests import factories as f
from tests.conftest import NOW, TEAM

DAY = timedelta(days=1)


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    f.workspace(db)
    ids = {user: f.mentor(db, user).id for user in ("UM1",)}  # London
    ids["UM2"] = f.mentor(db, "UM2", tz="Asia/Tokyo").id
    for user in ("UE1", "UE2", "UE3"):  # Berlin
        ids[user] = f.mentee(db, user).id
    return ids


def add(db: Database, row: Request | MeetingRequest) -> int:
    with db.write() as s:
        s.add(row)
        s.flush()
        return row.id


def request(
    people: dict[str, int],
    mentee: str,
    mentor: str,
    created: datetime,
    kind: RequestKind = RequestKind.MENTEE_REQUEST,
    count: int = 0,
    last: datetime | None = None,
) -> Request:
    return Request(
        team_id=TEAM,
        mentee_id=people[mentee],
        mentor_id=people[mentor],
        kind=kind,
        message="Could you help me grow?",
        created_at=created,
        reminder_count=count,
        last_reminded_at=last,
    )


def test_the_sweep_writes_each_moved_asks_event_and_notices(
    db: Database, people: dict[str, int]
) -> None:
    expire = add(db, request(people, "UE1", "UM1", NOW - 20 * DAY))
    first = add(db, request(people, "UE2", "UM1", NOW - 4 * DAY))
    second = add(db, request(people, "UE3", "UM2", NOW - 7 * DAY, count=1, last=NOW - 4 * DAY))
    offer_out = add(db, request(people, "UE1", "UM2", NOW - 20 * DAY, RequestKind.MENTOR_OFFER))
    offer_due = add(db, request(people, "UE3", "UM1", NOW - 4 * DAY, RequestKind.MENTOR_OFFER))
    meeting = add(
        db,
        MeetingRequest(
            team_id=TEAM,
            mentee_id=people["UE2"],
            mentor_id=people["UM2"],
            message="A quick chat about interviews?",
            topic="Interviews",
            proposed_times=[store_time(NOW - DAY)],
            created_at=NOW - 3 * DAY,
        ),
    )
    report = sweep_all(session_factory=db.write, now=NOW)
    assert (report.reminded, report.expired, report.meetings.expired) == (3, 2, 1)

    settings = ProgramSettings()
    tokyo = next_working_moment(NOW, "Asia/Tokyo", settings)
    assert tokyo > NOW  # 18:00 there: the reminder waits for the morning
    expired, reminder = Notice.REQUEST_EXPIRED.value, Notice.REQUEST_REMINDER.value
    p = people
    assert notices(db) == sorted(
        [
            (expired, p["UE1"], expire, None, f"expired:{expire}:{p['UE1']}", NOW),
            (expired, p["UM1"], expire, None, f"expired:{expire}:{p['UM1']}", NOW),
            (reminder, p["UM1"], first, None, f"reminder:{first}:1", NOW),
            (reminder, p["UM2"], second, None, f"reminder:{second}:2", tokyo),
            (expired, p["UE1"], offer_out, None, f"expired:{offer_out}:{p['UE1']}", NOW),
            (expired, p["UM2"], offer_out, None, f"expired:{offer_out}:{p['UM2']}", NOW),
            (reminder, p["UE3"], offer_due, None, f"reminder:{offer_due}:1", NOW),  # Berlin
            (
                Notice.MEETING_EXPIRED.value,
                p["UE2"],
                None,
                meeting,
                f"meeting-expired:{meeting}:{p['UE2']}",
                NOW,
            ),
            (
                Notice.MEETING_UPDATED.value,
                p["UM2"],
                None,
                meeting,
                f"meeting-expired:{meeting}:{p['UM2']}",
                NOW,
            ),
        ],
        key=lambda n: str(n[4]),
    )
    pending, done = {"status": "pending"}, {"status": "expired"}
    assert events(db) == sorted(
        [
            ("request", str(expire), "request.expired", pending, done),
            (
                "request",
                str(first),
                "request.reminded",
                {"reminder_count": 0},
                {"reminder_count": 1},
            ),
            (
                "request",
                str(second),
                "request.reminded",
                {"reminder_count": 1},
                {"reminder_count": 2},
            ),
            ("request", str(offer_out), "request.expired", pending, done),
            (
                "request",
                str(offer_due),
                "request.reminded",
                {"reminder_count": 0},
                {"reminder_count": 1},
            ),
            ("meeting", str(meeting), "meeting.expired", pending, done),
        ],
        key=lambda e: (e[0], int(e[1])),
    )
    with db.read() as s:
        statuses = dict(s.execute(select(Request.id, Request.status)).all())
    assert statuses[expire] is statuses[offer_out] is RequestStatus.EXPIRED


def notices(db: Database) -> list[tuple[Any, ...]]:
    """Every outbox row as (kind, recipient, request, meeting, dedupe key, deliver at), by key;
    the fields every notice shares are checked here."""
    with db.read() as s:
        rows = list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.dedupe_key)))
    for row in rows:
        assert (row.team_id, row.payload, row.status, row.attempts) == (
            TEAM,
            {},
            OutboxStatus.PENDING,
            0,
        )
        assert (row.created_at, row.relationship_id, row.sent_at) == (NOW, None, None)
    return [
        (r.kind, r.recipient_id, r.request_id, r.meeting_id, r.dedupe_key, r.next_attempt_at)
        for r in rows
    ]


def events(db: Database) -> list[tuple[Any, ...]]:
    """The sweep's events as (subject type, subject id, action, before, after)."""
    with db.read() as s:
        rows = list(s.scalars(select(Event).where(Event.actor == SYSTEM_SWEEP)))
    assert {(r.team_id, r.at) for r in rows} == {(TEAM, NOW)}
    return sorted(
        ((r.subject_type, r.subject_id, r.action, r.before, r.after) for r in rows),
        key=lambda e: (e[0], int(e[1])),
    )
