"""The in-memory directory index shows exactly what the database holds, whoever changed it.

Every test warms the index with a search first, then changes the data by some path (the
profile operations, plain SQL, another engine, another process) and searches again.
"""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, update

from mentoring.core.views import MemberView
from mentoring.directory.fit import mentor_profile_of, seeker_of
from mentoring.directory.index import index_for, warm
from mentoring.directory.matching import Scorer
from mentoring.directory.search import SearchPage, parse_filters, search_mentors
from mentoring.profiles.editing import pause, resume
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS, DEFAULT_FUNCTIONAL_AREAS
from mentoring.relationships.departures import member_left, member_returned
from store.db import Database
from store.models import Member, MemberTag, Relationship
from tests import factories as f
from tests.conftest import NOW, TEAM


def search(db: Database, searcher: str = "UE", **filters: Any) -> SearchPage:
    with db.read() as s:
        return search_mentors(
            session=s,
            team_id=TEAM,
            searcher_user_id=searcher,
            filters=parse_filters(filters),
            now=NOW,
            page_size=50,
        )


def users(page: SearchPage) -> list[str]:
    return [m.mentor.slack_user_id for m in page.results]


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentee(db, "UE")
    f.mentor(db, "UANN", display_name="Ann")
    f.mentor(db, "UBOB", display_name="Bob", functional_area="Data", expertise=["data"])
    assert users(search(db)) == ["UANN", "UBOB"]  # the index is now loaded
    return db


def test_an_edit_is_visible_in_the_next_search(program: Database) -> None:
    f.mentor(program, "UBOB", display_name="Bob", functional_area="Engineering")
    assert users(search(program, functional_area="Engineering")) == ["UANN", "UBOB"]
    f.mentor(program, "UANN", display_name="Ann", expertise=["leadership"])
    assert users(search(program, expertise=["leadership"])) == ["UANN"]
    assert users(search(program, text="leadership")) == ["UANN"]


def test_a_pause_and_its_end_are_visible_in_the_next_search(program: Database) -> None:
    with program.write() as s:
        pause(session=s, team_id=TEAM, slack_user_id="UANN", until=NOW + timedelta(days=9), now=NOW)
    assert users(search(program)) == ["UBOB"]
    with program.write() as s:
        resume(session=s, team_id=TEAM, slack_user_id="UANN", now=NOW)
    assert users(search(program)) == ["UANN", "UBOB"]


def test_an_enrollment_and_a_deactivation_are_visible_in_the_next_search(
    program: Database,
) -> None:
    f.mentor(program, "UCY", display_name="Cy")
    assert users(search(program)) == ["UANN", "UCY", "UBOB"]
    with program.write() as s:
        member_left(session=s, team_id=TEAM, slack_user_id="UANN", admins=(), now=NOW)
    assert users(search(program)) == ["UCY", "UBOB"]
    with program.write() as s:
        member_returned(session=s, team_id=TEAM, slack_user_id="UANN", now=NOW)
    assert users(search(program)) == ["UANN", "UCY", "UBOB"]


def test_a_full_mentor_drops_out_and_comes_back_when_a_pair_ends(program: Database) -> None:
    mentee = f.mentee(program, "UX")
    with program.read() as s:
        ann = s.query(Member).filter_by(slack_user_id="UANN").one()
    with program.write() as s:
        s.execute(update(Member).where(Member.id == ann.id).values(mentor_capacity=1))
        s.add(Relationship(team_id=TEAM, mentor_id=ann.id, mentee_id=mentee.id, started_at=NOW))
    assert users(search(program)) == ["UBOB"]
    assert search(program, only_open=False).results[0].active_mentees == 1
    with program.write() as s:
        s.execute(delete(Relationship).where(Relationship.mentor_id == ann.id))
    assert users(search(program)) == ["UANN", "UBOB"]


def test_changes_in_plain_sql_are_seen_too(program: Database) -> None:
    with program.write() as s:
        bob = s.query(Member).filter_by(slack_user_id="UBOB").one()
        s.execute(delete(MemberTag).where(MemberTag.member_id == bob.id))
        s.add(MemberTag(member_id=bob.id, tag="writing", team_id=TEAM))
        s.execute(update(Member).where(Member.id == bob.id).values(display_name="Aaron"))
    assert users(search(program, expertise=["writing"])) == ["UBOB"]
    assert users(search(program, only_open=False)) == ["UANN", "UBOB"]  # Ann: Engineering
    with program.write() as s:
        s.execute(update(Member).where(Member.id == bob.id).values(is_mentor=False))
    assert users(search(program)) == ["UANN"]


def test_another_engine_on_the_same_database_is_seen(program: Database) -> None:
    other = Database.from_url(program.engine.url.render_as_string(hide_password=False))
    try:
        assert users(search(other)) == ["UANN", "UBOB"]  # its own index, loaded
        f.mentor(program, "UBOB", display_name="Bob", functional_area="Engineering")
        with program.write() as s:
            pause(session=s, team_id=TEAM, slack_user_id="UANN", until=NOW + timedelta(1), now=NOW)
        assert users(search(other, functional_area="Engineering")) == ["UBOB"]
    finally:
        other.dispose()


CHILD = """
import sys
from mentoring.profiles.editing import enroll, parse_profile
from store.db import Database
from tests.conftest import NOW, TEAM
db = Database.from_url(sys.argv[1])
with db.write() as session:
    enroll(session=session, team_id=TEAM, slack_user_id="UBOB", now=NOW, profile=parse_profile({
        "display_name": "Bob", "as_mentor": True, "functional_area": "Sales",
        "expertise": ["sales"], "tz": "Europe/London"}))
db.dispose()
"""


def test_an_edit_made_by_another_process_is_seen(program: Database) -> None:
    url = program.engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", CHILD, url], check=True, timeout=60)
    assert users(search(program, functional_area="Sales")) == ["UBOB"]
    assert users(search(program, expertise=["sales"])) == ["UBOB"]


@pytest.mark.postgres
def test_a_change_committed_after_a_later_one_is_not_missed(postgres_db: Database) -> None:
    """PostgreSQL numbers changes before they commit: a search between a later commit and an
    earlier transaction's commit must not skip the earlier one afterwards."""
    db = postgres_db
    f.workspace(db)
    f.mentee(db, "UE")
    ann = f.mentor(db, "UANN", display_name="Ann")
    bob = f.mentor(db, "UBOB", display_name="Bob")
    assert users(search(db)) == ["UANN", "UBOB"]
    slow = db.engine.connect()
    early = slow.begin()
    slow.execute(update(Member).where(Member.id == ann.id).values(functional_area="Data"))
    with db.write() as s:  # begun later, committed first
        s.execute(update(Member).where(Member.id == bob.id).values(functional_area="Data"))
    assert users(search(db, functional_area="Data")) == ["UBOB"]
    early.commit()
    slow.close()
    assert users(search(db, functional_area="Data")) == ["UANN", "UBOB"]


def _expected(
    mentors: list[MemberView], seeker: MemberView, active: dict[int, int], filters: dict[str, Any]
) -> list[str]:
    """Every mentor filtered and scored one by one, sorted as the directory promises."""
    tags = [t.lower() for t in filters.get("expertise", ())]
    scorer = Scorer(seeker_of(seeker), now=NOW, wanted_tags=tags)
    keys = []
    for m in mentors:
        open_slots = max(0, m.mentor_capacity - active.get(m.id, 0))
        if filters.get("only_open", True) and not open_slots:
            continue
        if "functional_area" in filters and m.functional_area != filters["functional_area"]:
            continue
        if tags and not {t.lower() for t in m.expertise} & set(tags):
            continue
        if "location" in filters and filters["location"].lower() not in (m.location or "").lower():
            continue
        if "gender" in filters and (m.gender or "").lower() != filters["gender"].lower():
            continue
        total = scorer.total(mentor_profile_of(m, open_slots))
        keys.append((-total, m.display_name.casefold(), m.id, m.slack_user_id))
    return [k[-1] for k in sorted(keys)]


def test_ranking_from_the_index_matches_scoring_every_mentor_one_by_one(
    program: Database,
) -> None:
    rng = random.Random(11)
    seeker = f.mentee(
        program, "USEEK", interests=["python", "data"], languages=["German"], location="Berlin"
    )
    mentees = [f.mentee(program, f"UX{n}") for n in range(6)]
    mentors: list[MemberView] = []
    active: dict[int, int] = {}
    for n in range(45):
        m = f.mentor(
            program,
            f"UM{n:02}",
            display_name=rng.choice(["Ann", "bob", "Cy", "Di", "émile"]),
            functional_area=rng.choice(DEFAULT_FUNCTIONAL_AREAS[:3]),
            expertise=rng.sample(DEFAULT_EXPERTISE_TAGS[:8], rng.randint(1, 3)),
            tz=rng.choice(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]),
            languages=rng.sample(["English", "German", "French"], rng.randint(0, 2)),
            location=rng.choice([None, "Berlin", "berlin", "Paris"]),
            gender=rng.choice([None, "woman", "Man"]),
            mentor_capacity=rng.randint(1, 3),
        )
        mentors.append(m)
        for mentee in rng.sample(mentees, rng.randint(0, min(2, m.mentor_capacity))):
            with program.write() as s:
                s.add(
                    Relationship(team_id=TEAM, mentor_id=m.id, mentee_id=mentee.id, started_at=NOW)
                )
            active[m.id] = active.get(m.id, 0) + 1
    with program.read() as s:
        others = s.query(Member).filter(Member.slack_user_id.in_(["UANN", "UBOB"])).all()
        mentors += [MemberView.of(m) for m in others]
    cases: list[dict[str, Any]] = [
        {},
        {"only_open": False},
        {"functional_area": "Engineering"},
        {"expertise": ["python", "Leadership"]},
        {"location": "BERL"},
        {"gender": "MAN", "only_open": False},
        {"functional_area": DEFAULT_FUNCTIONAL_AREAS[1], "expertise": ["data"]},
    ]
    for filters in cases:
        expected = _expected(mentors, seeker, active, filters)
        page = search(program, "USEEK", **filters)
        assert users(page) == expected[:50], filters
        assert page.total == len(expected), filters


def test_a_text_edited_after_a_text_search_is_found_by_its_new_words(program: Database) -> None:
    assert users(search(program, text="data")) == ["UBOB"]  # the word lists are built now
    f.mentor(program, "UANN", display_name="Ann", bio="I love databases")
    f.mentor(program, "UBOB", display_name="Bob", functional_area="Data", expertise=["writing"])
    assert users(search(program, text="data")) == ["UANN"]
    f.mentor(program, "UCY", display_name="Cy", bio="data")
    assert users(search(program, text="data")) == ["UANN", "UCY"]


def test_warm_up_loads_every_workspace_before_anyone_searches(db: Database) -> None:
    f.workspace(db)
    f.workspace(db, "T0OTHER")
    f.mentor(db, "UANN", display_name="Ann")
    f.mentor(db, "UZED", "T0OTHER", display_name="Zed")
    warm(db).join(timeout=30)
    with db.read() as s:
        loaded = {team: index_for(s, team) for team in (TEAM, "T0OTHER")}
    assert all(index.loaded for index in loaded.values())
    assert [int(i) for i in loaded["T0OTHER"].ids[: loaded["T0OTHER"].size]] == [
        m.id for m in [_member(db, "UZED")]
    ]
    f.mentee(db, "UE")
    assert users(search(db)) == ["UANN"]


def _member(db: Database, user_id: str) -> Member:
    with db.read() as s:
        return s.query(Member).filter_by(slack_user_id=user_id).one()


def test_warm_up_without_words_loads_the_index_but_no_word_lists(db: Database) -> None:
    f.workspace(db)
    f.mentor(db, "UANN", display_name="Ann", bio="data")
    warm(db, words=False).join(timeout=30)
    with db.read() as s:
        index = index_for(s, TEAM)
    assert index.loaded
    assert not index.has_words  # what the scheduler process never needs
    warm(db).join(timeout=30)
    assert index.has_words
