"""The directory index counts the mentee requests waiting for each mentor exactly.

Recommendations weigh those counts in the fairness penalty, and searches show them. Every test
warms the index first, then makes, answers, withdraws or expires requests by some path (the
request operations, the sweep, plain SQL) and compares what the index holds, and what a search
and recommendations show, with a count in SQL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update

from mentoring import requests as ops
from mentoring.core.views import RequestView
from mentoring.directory.index import index_for
from mentoring.directory.search import parse_filters, recommend_mentors, search_mentors
from mentoring.sweep.sweep import sweep_all
from store.db import Database
from store.enums import RequestKind, RequestStatus
from store.models import DirectoryChange, Member, Request
from tests import factories as f
from tests.conftest import NOW, TEAM

MESSAGE = "I'd love help growing from senior engineer to staff engineer."
MENTORS = ("UANN", "UBOB", "UCY")
REASON = "I don't have time right now"  # one of the program's decline reasons


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    for user in ("UE", "UF", "UG", "UH"):
        f.mentee(db, user)
    for user in MENTORS:
        f.mentor(db, user, mentor_capacity=3)
    assert waiting_in_index(db) == {}  # the index is now loaded
    return db


def waiting_in_index(db: Database) -> dict[str, int]:
    """The index's count per mentor (refreshed as a search would), zeros left out."""
    with db.read() as s:
        index = index_for(s, TEAM)
        with index.lock:
            index.refresh(s)
            n = index.size
            counts = {
                int(i): int(p)
                for i, p, alive in zip(
                    index.ids[:n], index.pending[:n], index.alive[:n], strict=True
                )
                if alive and p
            }
        users = dict(s.execute(select(Member.id, Member.slack_user_id)).all())
    return {users[i]: p for i, p in counts.items()}


def waiting_in_sql(db: Database) -> dict[str, int]:
    with db.read() as s:
        rows = s.execute(
            select(Member.slack_user_id, func.count())
            .join(Request, Request.mentor_id == Member.id)
            .where(
                Request.status == RequestStatus.PENDING,
                Request.kind == RequestKind.MENTEE_REQUEST,
            )
            .group_by(Member.slack_user_id)
        )
        return {user: int(count) for user, count in rows}


def shown(db: Database, mentee: str = "UH") -> tuple[dict[str, int], dict[str, int]]:
    """The waiting requests a search and recommendations show per mentor (mentee ``UH``)."""
    with db.read() as s:
        page = search_mentors(
            session=s,
            team_id=TEAM,
            searcher_user_id=mentee,
            filters=parse_filters({"only_open": False}),
            now=NOW,
            page_size=50,
        )
        recommended = recommend_mentors(
            session=s, team_id=TEAM, mentee_user_id=mentee, now=NOW, limit=10
        )
    return (
        {m.mentor.slack_user_id: m.pending_requests for m in page.results},
        {m.mentor.slack_user_id: m.pending_requests for m in recommended},
    )


def assert_exact(db: Database, expected: dict[str, int]) -> None:
    assert waiting_in_sql(db) == expected  # the test's own bookkeeping
    assert waiting_in_index(db) == expected
    searched, recommended = shown(db)
    assert searched == {user: expected.get(user, 0) for user in searched}
    assert recommended == {user: expected.get(user, 0) for user in recommended}


def send(db: Database, mentee: str, mentor: str) -> RequestView:
    with db.write() as s:
        return ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            message=MESSAGE,
            now=NOW,
        )


def act(db: Database, fn: Any, **kw: Any) -> None:
    with db.write() as s:
        fn(session=s, team_id=TEAM, now=NOW, **kw)


def test_requests_made_answered_withdrawn_and_expired_are_counted_at_once(
    program: Database,
) -> None:
    first = send(program, "UE", "UANN")
    second = send(program, "UF", "UANN")
    third = send(program, "UE", "UBOB")
    assert_exact(program, {"UANN": 2, "UBOB": 1})
    act(program, ops.accept, request_id=second.id, actor_user_id="UANN")
    assert_exact(program, {"UANN": 1, "UBOB": 1})
    act(program, ops.decline, request_id=third.id, actor_user_id="UBOB", reason=REASON)
    assert_exact(program, {"UANN": 1})
    act(program, ops.withdraw, request_id=first.id, actor_user_id="UE")
    assert_exact(program, {})
    fourth = send(program, "UG", "UCY")
    assert_exact(program, {"UCY": 1})
    act(program, ops.expire, request_id=fourth.id)
    assert_exact(program, {})


def test_the_sweep_expiring_requests_in_bulk_is_counted_and_its_reminders_log_nothing(
    program: Database,
) -> None:
    for mentee in ("UE", "UF", "UG"):
        send(program, mentee, "UANN")
    send(program, "UE", "UBOB")
    assert_exact(program, {"UANN": 3, "UBOB": 1})
    with program.read() as s:
        logged = s.scalar(select(func.count()).select_from(DirectoryChange))
    reminded = sweep_all(session_factory=program.write, now=NOW + timedelta(days=4))
    assert reminded.reminded == 4
    with program.read() as s:  # a reminder changes nothing the directory reads
        assert s.scalar(select(func.count()).select_from(DirectoryChange)) == logged
    assert_exact(program, {"UANN": 3, "UBOB": 1})
    expired = sweep_all(session_factory=program.write, now=NOW + timedelta(days=15))
    assert expired.expired == 4
    assert_exact(program, {})


def test_offers_do_not_count_and_plain_sql_is_seen(program: Database) -> None:
    with program.read() as s:
        ids = dict(s.execute(select(Member.slack_user_id, Member.id)).all())

    def row(mentee: str, mentor: str, kind: RequestKind) -> dict[str, Any]:
        return {
            "team_id": TEAM,
            "mentee_id": ids[mentee],
            "mentor_id": ids[mentor],
            "kind": kind,
            "status": RequestStatus.PENDING,
            "message": MESSAGE,
            "created_at": NOW,
        }

    with program.write() as s:
        s.execute(insert(Request), [row("UE", "UANN", RequestKind.MENTOR_OFFER)])
        s.execute(insert(Request), [row("UF", "UANN", RequestKind.MENTEE_REQUEST)])
    assert_exact(program, {"UANN": 1})
    with program.write() as s:  # moved to another mentor: both counts change
        s.execute(
            update(Request)
            .where(Request.kind == RequestKind.MENTEE_REQUEST)
            .values(mentor_id=ids["UBOB"])
        )
    assert_exact(program, {"UBOB": 1})
    with program.write() as s:  # an offer turned into a request counts from then on
        s.execute(
            update(Request)
            .where(Request.kind == RequestKind.MENTOR_OFFER)
            .values(kind=RequestKind.MENTEE_REQUEST)
        )
    assert_exact(program, {"UANN": 1, "UBOB": 1})
    with program.write() as s:
        s.execute(delete(Request).where(Request.mentor_id == ids["UBOB"]))
        s.execute(
            update(Request)
            .where(Request.mentor_id == ids["UANN"])
            .values(status=RequestStatus.CLOSED_BY_ADMIN)
        )
    assert_exact(program, {})
    with program.write() as s:  # back to pending (no path does this, the triggers see it)
        s.execute(update(Request).values(status=RequestStatus.PENDING))
    assert_exact(program, {"UANN": 1})
