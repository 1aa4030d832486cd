"""The demo program: realistic, consistent, every state present, seeded once."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.demo import DemoError, DemoProgram, demo_program, seed_demo
from mentoring.directory.search import parse_filters, search_mentors
from mentoring.program.settings import ProgramSettings, get_settings
from mentoring.sweep.sweep import sweep
from store.db import Database
from store.enums import OutboxStatus, RelationshipStatus, RequestStatus
from store.models import Event, Member, OutboxMessage, Relationship, Request
from tests import factories
from tests.conftest import _truncate_all
from tests.snapshot import snapshot

TEAM = "T0DEMO"
NOW = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, DemoProgram]]:
    """One seeded database per backend, shared by the tests that only read it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        shutil.copy(sqlite_template, path)
        database = Database.from_url(f"sqlite:///{path}")
    else:
        database = Database.from_url(request.getfixturevalue("postgres_url"))
        _truncate_all(database)
    yield database, seed_demo(database, team_id=TEAM, now=NOW)
    database.dispose()


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_people_are_unique_deterministic_and_from_several_continents() -> None:
    program = demo_program()
    assert program == demo_program()
    ids = [p.user_id for p in program.people]
    assert len(ids) == len(set(ids)) == 101
    assert all(re.fullmatch(r"U0DEMO\d{3}", i) for i in ids)
    assert len({p.display_name for p in program.people}) == 101
    assert len(program.mentors) == 40
    assert len(program.mentees) == 60
    assert program.person(program.admin).roles == ("admin",)
    assert "mentee" in program.person(program.guide_mentee).roles
    assert "mentor" in program.person(program.guide_mentor).roles
    continents = {p.tz.split("/")[0] for p in program.people}
    assert {"America", "Europe", "Africa", "Asia"} <= continents


def test_seed_builds_a_consistent_program_with_every_state(
    seeded: tuple[Database, DemoProgram],
) -> None:
    db, program = seeded
    assert program.created
    settings = ProgramSettings()
    with db.read() as session:
        members = session.scalars(select(Member).where(Member.team_id == TEAM)).all()
        requests = session.scalars(select(Request).where(Request.team_id == TEAM)).all()
        relationships = session.scalars(select(Relationship)).all()
        outbox = session.scalars(select(OutboxMessage)).all()
        sent_events = session.scalar(
            select(func.count()).where(Event.action == "request.sent", Event.team_id == TEAM)
        )

    assert sum(m.is_mentor for m in members) == 40
    assert sum(m.is_mentee for m in members) == 60
    assert {r.status for r in requests} == set(RequestStatus)
    assert {r.status for r in relationships} == set(RelationshipStatus)
    assert sent_events == len(requests)
    assert program.counts["requests.pending"] == sum(
        r.status is RequestStatus.PENDING for r in requests
    )

    # The program's invariants hold.
    by_id = {m.id: m for m in members}
    active = [r for r in relationships if r.status is RelationshipStatus.ACTIVE]
    for mentor_id, n in Counter(r.mentor_id for r in active).items():
        assert n <= by_id[mentor_id].mentor_capacity
    assert max(Counter(r.mentee_id for r in active).values()) == 1
    pending = [r for r in requests if r.status is RequestStatus.PENDING]
    assert max(Counter(r.mentee_id for r in pending).values()) <= 3
    assert not {r.mentee_id for r in pending} & {r.mentee_id for r in active}
    assert all(r.created_at < NOW for r in requests)

    # Something for the scheduler to do soon: reminders near, auto-close near, nothing overdue.
    ages = [NOW - r.created_at for r in pending]
    assert any(a < timedelta(days=1) for a in ages)
    assert any(timedelta(days=2) < a < timedelta(days=3) for a in ages)
    assert any(timedelta(days=12) < a < timedelta(days=13) for a in ages)
    assert max(ages) < timedelta(days=settings.auto_close_after_days)
    declined = [r for r in requests if r.status is RequestStatus.DECLINED]
    assert all(r.decline_reason in settings.decline_reasons for r in declined)
    assert any(r.decline_note for r in declined)
    assert sum(m.paused_until is not None and m.paused_until > NOW for m in members) == 2

    # The demo starts from a quiet inbox.
    assert outbox
    assert {o.status for o in outbox} == {OutboxStatus.SENT}


def test_guide_mentee_is_free_and_finds_the_guide_mentor(
    seeded: tuple[Database, DemoProgram],
) -> None:
    db, program = seeded
    with db.read() as session:
        mentee = session.scalars(
            select(Member).where(Member.slack_user_id == program.guide_mentee)
        ).one()
        mentor = session.scalars(
            select(Member).where(Member.slack_user_id == program.guide_mentor)
        ).one()
        theirs = session.scalar(
            select(func.count()).where(
                (Request.mentee_id == mentee.id) | (Request.mentor_id == mentee.id)
            )
        )
        assert theirs == 0
        active = session.scalar(
            select(func.count()).where(
                Relationship.mentor_id == mentor.id,
                Relationship.status == RelationshipStatus.ACTIVE,
            )
        )
        assert active is not None and 0 < active < mentor.mentor_capacity
        assert mentor.paused_until is None
        page = search_mentors(
            session=session,
            team_id=TEAM,
            searcher_user_id=program.guide_mentee,
            filters=parse_filters({"expertise": list(mentee.interests)}),
            now=NOW,
        )
    assert page.total >= 3
    assert program.guide_mentor in {m.mentor.slack_user_id for m in page.results}


def test_the_sweep_finds_requests_to_close_in_the_next_days(
    seeded: tuple[Database, DemoProgram],
) -> None:
    db, _ = seeded
    # Read sessions never commit: the shared database stays as seeded.
    with db.read() as session:
        assert sweep(session=session, team_id=TEAM, now=NOW).expired == 0
    with db.read() as session:
        assert sweep(session=session, team_id=TEAM, now=NOW + timedelta(days=2)).expired >= 4


def test_second_run_changes_nothing(seeded: tuple[Database, DemoProgram]) -> None:
    db, first = seeded
    before = snapshot(db)
    second = seed_demo(db, team_id=TEAM, now=NOW + timedelta(days=1))
    assert not second.created
    assert snapshot(db) == before  # every row as it was, not only as many
    assert second.people == first.people
    assert second.counts == first.counts


def test_workspace_with_other_members_is_refused(db: Database) -> None:
    factories.workspace(db, TEAM)
    factories.mentor(db, "U0REAL01", TEAM)
    with pytest.raises(DemoError, match="already has 1 members"):
        seed_demo(db, team_id=TEAM, now=NOW)
    assert _count(db, Member) == 1


def test_demo_program_offers_meetings_and_resources(seeded: tuple[Database, DemoProgram]) -> None:
    db, _program = seeded
    with db.read() as session:
        settings = get_settings(session=session, team_id=TEAM)
    assert settings.flash_mentoring_enabled
    assert [r.title for r in settings.resources] == [
        "Mentoring program guide",
        "First meeting checklist",
    ]
