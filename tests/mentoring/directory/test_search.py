"""Directory search and recommendations against real SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from mentoring.core.errors import InvalidInput, NotEnrolled, NotFound
from mentoring.core.views import MemberView
from mentoring.directory.matching import MentorProfile, Scorer, SeekerProfile, fairness_penalty
from mentoring.directory.search import (
    MentorMatch,
    SearchPage,
    parse_filters,
    recommend_mentors,
    search_mentors,
)
from mentoring.profiles.editing import pause
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS, DEFAULT_FUNCTIONAL_AREAS
from store.db import Database
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Relationship, Request
from tests import factories as f
from tests.conftest import NOW, TEAM

OTHER_TEAM = "T0OTHER"


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentee(db, "UE")  # Engineering, wants python, Europe/Berlin
    return db


def search(
    db: Database,
    searcher: str = "UE",
    *,
    page: int = 1,
    page_size: int = 10,
    now: Any = NOW,
    **filters: Any,
) -> SearchPage:
    with db.read() as s:
        return search_mentors(
            session=s,
            team_id=TEAM,
            searcher_user_id=searcher,
            filters=parse_filters(filters),
            now=now,
            page=page,
            page_size=page_size,
        )


def recommend(db: Database, mentee: str = "UE", limit: int = 3) -> tuple[MentorMatch, ...]:
    with db.read() as s:
        return recommend_mentors(
            session=s, team_id=TEAM, mentee_user_id=mentee, now=NOW, limit=limit
        )


def users(results: tuple[MentorMatch, ...] | SearchPage) -> list[str]:
    matches = results.results if isinstance(results, SearchPage) else results
    return [m.mentor.slack_user_id for m in matches]


def relate(db: Database, mentor: MemberView, mentee: MemberView) -> None:
    with db.write() as s:
        s.add(
            Relationship(
                team_id=mentor.team_id, mentor_id=mentor.id, mentee_id=mentee.id, started_at=NOW
            )
        )


def ask(
    db: Database,
    mentor: MemberView,
    mentee: MemberView,
    kind: RequestKind = RequestKind.MENTEE_REQUEST,
    status: RequestStatus = RequestStatus.PENDING,
) -> None:
    with db.write() as s:
        s.add(
            Request(
                team_id=mentor.team_id,
                mentee_id=mentee.id,
                mentor_id=mentor.id,
                kind=kind,
                status=status,
                message="I'd love help growing as an engineer.",
                created_at=NOW,
            )
        )


def test_best_match_first_with_reasons_a_mentee_can_read(program: Database) -> None:
    f.mentor(program, "UFAR", functional_area="Sales", expertise=["sales"], tz="Asia/Tokyo")
    f.mentor(program, "UGOOD", expertise=["python", "data"], tz="Europe/Berlin")
    result = search(program)
    assert users(result) == ["UGOOD", "UFAR"]
    best, worst = result.results
    assert best.score.reasons == [
        "Shares 1 expertise tag: python",
        "Same functional area: Engineering",
        "Same timezone",
        "3 open slots",
    ]
    assert best.score.total == 45 + 20 + 15 + 5
    assert (best.active_mentees, best.open_slots, best.pending_requests) == (0, 3, 0)
    assert worst.score.reasons == ["8h timezone apart", "3 open slots"]
    assert worst.score.total == 5
    assert (result.total, result.page, result.has_more) == (2, 1, False)


def test_leaves_out_self_paused_other_teams_and_non_mentors(program: Database) -> None:
    f.mentor(program, "UOK")
    f.mentor(program, "UBOTH", as_mentee=True)  # searches below and must not find themself
    f.mentor(program, "UPAUSED")
    f.mentor(program, "UWASPAUSED")
    f.mentee(program, "UMENTEE", expertise=["python"])
    f.workspace(program, OTHER_TEAM)
    f.mentor(program, "UELSEWHERE", team_id=OTHER_TEAM)
    with program.write() as s:
        pause(
            session=s, team_id=TEAM, slack_user_id="UPAUSED", until=NOW + timedelta(days=9), now=NOW
        )
        pause(
            session=s,
            team_id=TEAM,
            slack_user_id="UWASPAUSED",
            until=NOW + timedelta(days=1),
            now=NOW,
        )
    assert sorted(users(search(program))) == ["UBOTH", "UOK"]
    assert sorted(users(search(program, "UBOTH"))) == ["UOK"]
    # Once a pause has run out the mentor is back.
    later = search(program, now=NOW + timedelta(days=2))
    assert sorted(users(later)) == ["UBOTH", "UOK", "UWASPAUSED"]


def test_full_mentors_only_when_asked_for(program: Database) -> None:
    full = f.mentor(program, "UFULL", mentor_capacity=1)
    busy = f.mentor(program, "UBUSY", mentor_capacity=2)
    relate(program, full, f.mentee(program, "UX1"))
    relate(program, busy, f.mentee(program, "UX2"))
    ended = f.mentee(program, "UX3")
    relate(program, full, ended)
    with program.write() as s:
        s.execute(
            update(Relationship)
            .where(Relationship.mentee_id == ended.id)
            .values(status=RelationshipStatus.FINISHED, ended_at=NOW)
        )
    assert users(search(program)) == ["UBUSY"]
    everyone = search(program, only_open=False)
    assert users(everyone) == ["UBUSY", "UFULL"]  # 5 points for an open slot
    shown = everyone.results[1]
    assert (shown.active_mentees, shown.open_slots) == (1, 0)
    assert shown.score.reasons[-1] == "No open slots right now"
    assert everyone.results[0].score.total == shown.score.total + 5
    assert everyone.results[0].open_slots == 1


def test_filter_by_functional_area_and_expertise_any_of(program: Database) -> None:
    f.mentor(program, "UENG", expertise=["python"])
    f.mentor(program, "UDATA", functional_area="Data", expertise=["data", "python"])
    f.mentor(program, "USALES", functional_area="Sales", expertise=["sales", "negotiation"])
    assert users(search(program, functional_area="data")) == ["UDATA"]
    any_of = search(program, expertise=["Negotiation", "DATA"])
    assert sorted(users(any_of)) == ["UDATA", "USALES"]
    assert any_of.total == 2
    # Mentors with both tags appear once.
    assert search(program, expertise=["data", "python"]).total == 2
    assert users(search(program, functional_area="Engineering", expertise=["data"])) == []


def test_filter_by_gender_location_and_timezone_window(program: Database) -> None:
    f.mentor(program, "UW", gender="Female", location="London, UK", tz="Europe/London")
    f.mentor(program, "UM", gender="male", location="Leeds", tz="America/New_York")
    f.mentor(program, "UN", tz="Asia/Kolkata")
    assert users(search(program, gender="female")) == ["UW"]
    assert users(search(program, gender="MALE")) == ["UM"]  # whole value, not "fe-male"
    assert users(search(program, location="london")) == ["UW"]
    # The searcher is in Berlin (UTC+1 on 2 March): London 1h, Kolkata 4h30, New York 6h.
    assert users(search(program, max_tz_hours=1)) == ["UW"]
    assert sorted(users(search(program, max_tz_hours=5))) == ["UN", "UW"]
    assert search(program, max_tz_hours=0).total == 0


def test_free_text_needs_every_word_and_treats_wildcards_literally(program: Database) -> None:
    f.mentor(program, "UA", display_name="Grace Hopper", bio="Compilers, 100% remote.")
    f.mentor(program, "UB", display_name="Alan", title="Data_Scientist", expertise=["data"])
    f.mentor(program, "UC", display_name="Edsger", bio="100 percent on-site")
    assert users(search(program, text="hopper")) == ["UA"]
    assert users(search(program, text="GRACE compilers")) == ["UA"]
    assert users(search(program, text="grace data")) == []
    assert users(search(program, text="data")) == ["UB"]  # expertise and title count too
    assert users(search(program, text="100%")) == ["UA"]
    assert users(search(program, text="%")) == ["UA"]
    assert users(search(program, text="a_s")) == ["UB"]
    assert users(search(program, text="_")) == ["UB"]


def test_order_is_deterministic_for_equal_scores(program: Database) -> None:
    for user, name in [("U3", "carl"), ("U1", "Bea"), ("U2", "ann"), ("U4", "Bea")]:
        f.mentor(program, user, display_name=name)
    expected = ["U2", "U1", "U4", "U3"]  # name ignoring case, then enrollment (member id)
    assert len({m.score.total for m in search(program).results}) == 1
    assert users(search(program)) == expected
    assert users(search(program)) == expected


def test_pages_cover_every_match_once(program: Database) -> None:
    for i in range(7):
        f.mentor(program, f"U{i}", expertise=["python"] if i % 2 else ["leadership"])
    everything = users(search(program, page_size=50))
    pages = [search(program, page=n, page_size=3) for n in (1, 2, 3, 4)]
    assert [len(p.results) for p in pages] == [3, 3, 1, 0]
    assert [p.has_more for p in pages] == [True, True, False, False]
    assert {p.total for p in pages} == {7}
    assert [u for p in pages for u in users(p)] == everything
    assert len(set(everything)) == 7


def test_pending_requests_are_reported_per_mentor(program: Database) -> None:
    mentor = f.mentor(program, "UM")
    ask(program, mentor, f.mentee(program, "UX1"))
    ask(program, mentor, f.mentee(program, "UX2"))
    ask(program, mentor, f.mentee(program, "UX3"), kind=RequestKind.MENTOR_OFFER)
    ask(program, mentor, f.mentee(program, "UX4"), status=RequestStatus.DECLINED)
    assert search(program).results[0].pending_requests == 2


@pytest.mark.parametrize(
    ("filters", "page", "page_size", "field"),
    [
        ({"functional_area": "Astrology"}, 1, 10, "functional_area"),
        ({"expertise": ["python", "juggling"]}, 1, 10, "expertise"),
        ({}, 0, 10, "page"),
        ({}, 1, 0, "page_size"),
        ({}, 1, 51, "page_size"),
    ],
)
def test_bad_input_is_refused_with_the_field(
    program: Database, filters: dict[str, Any], page: int, page_size: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        search(program, page=page, page_size=page_size, **filters)
    assert caught.value.field == field
    assert caught.value.message


@pytest.mark.parametrize(
    ("raw", "field"),
    [({"text": "x" * 101}, "text"), ({"max_tz_hours": 25}, "max_tz_hours"), ({"x": 1}, "x")],
)
def test_filters_are_validated_at_the_edge(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_filters(raw)
    assert caught.value.field == field
    assert parse_filters({"text": "  ", "gender": ""}).text is None


def test_searcher_must_be_enrolled_and_workspace_known(program: Database) -> None:
    with pytest.raises(NotEnrolled):
        search(program, "UNOBODY")
    with program.read() as s, pytest.raises(NotFound):
        search_mentors(
            session=s,
            team_id="T0NONE",
            searcher_user_id="UE",
            filters=parse_filters({}),
            now=NOW,
        )


def test_recommendations_spread_mentees_over_busy_and_free_mentors(program: Database) -> None:
    # Identical profiles; the busy ones would win the name tie-break if load did not count.
    backlog = f.mentor(program, "UBACKLOG", display_name="Aaron")
    loaded = f.mentor(program, "ULOADED", display_name="Abby", mentor_capacity=3)
    f.mentor(program, "UFREE", display_name="Zed")
    for n in range(3):
        ask(program, backlog, f.mentee(program, f"UQ{n}"))
    for n in range(2):
        relate(program, loaded, f.mentee(program, f"UR{n}"))
    result = recommend(program)
    assert users(result) == ["UFREE", "ULOADED", "UBACKLOG"]
    # The penalty orders; the score shown stays the fit (open slots aside, all equal).
    assert {m.score.total for m in result} == {result[0].score.total}
    assert (result[2].pending_requests, result[1].active_mentees) == (3, 2)


def test_recommendations_skip_current_and_asked_mentors_and_respect_limit(
    program: Database,
) -> None:
    me = f.mentee(program, "UME", interests=["python"])
    current = f.mentor(program, "UCURRENT")
    asked = f.mentor(program, "UASKED")
    for n in range(4):
        f.mentor(program, f"UM{n}")
    f.mentor(program, "UFULL", mentor_capacity=1)
    relate(program, current, me)
    relate(program, f.mentor(program, "UFULL2", mentor_capacity=1), f.mentee(program, "UX"))
    ask(program, asked, me)
    assert users(recommend(program, "UME", limit=10)) == ["UFULL", "UM0", "UM1", "UM2", "UM3"]
    assert len(recommend(program, "UME", limit=2)) == 2


def test_recommendations_fall_back_to_anyone_available(program: Database) -> None:
    f.mentee(program, "UODD", functional_area="Legal", interests=["finance"])
    f.mentor(program, "USALES", functional_area="Sales", expertise=["sales"])
    assert users(recommend(program, "UODD")) == ["USALES"]


def test_recommendations_need_a_mentee_and_a_sane_limit(program: Database) -> None:
    f.mentor(program, "UM")
    with pytest.raises(NotEnrolled):
        recommend(program, "UM")
    with pytest.raises(InvalidInput) as caught:
        recommend(program, limit=0)
    assert caught.value.field == "limit"


def _brute_force(
    mentors: list[MemberView], seeker: MemberView, active: dict[int, int], pending: dict[int, int]
) -> tuple[list[str], list[str]]:
    scorer = Scorer(
        SeekerProfile(
            seeker.interests, seeker.functional_area, seeker.tz, seeker.languages, seeker.location
        ),
        now=NOW,
    )
    search_keys, recommend_keys = [], []
    for m in mentors:
        open_slots = m.mentor_capacity - active.get(m.id, 0)
        if open_slots <= 0:
            continue
        total = scorer.total(
            MentorProfile(m.expertise, m.functional_area, m.tz, m.languages, m.location, open_slots)
        )
        penalty = fairness_penalty(
            active=active.get(m.id, 0), capacity=m.mentor_capacity, pending=pending.get(m.id, 0)
        )
        name = m.display_name.casefold()
        search_keys.append((-total, name, m.id, m.slack_user_id))
        # Recommendations consider mentors sharing an interest or the functional area.
        if set(m.expertise) & set(seeker.interests) or m.functional_area == seeker.functional_area:
            recommend_keys.append((-(total - penalty), -total, name, m.id, m.slack_user_id))
    return [k[-1] for k in sorted(search_keys)], [k[-1] for k in sorted(recommend_keys)]


def _random_mentors(
    program: Database, rng: random.Random, mentees: list[MemberView], *, count: int, most_asked: int
) -> tuple[list[MemberView], dict[int, int], dict[int, int]]:
    """``count`` mentors with random profiles, mentees and requests; (mentors, active, pending)."""
    zones = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC"]
    mentors, active, pending = [], {}, {}
    for n in range(count):
        m = f.mentor(
            program,
            f"UM{n:02}",
            display_name=rng.choice(["Ann", "bob", "Cy", "Di"]),
            functional_area=rng.choice(DEFAULT_FUNCTIONAL_AREAS[:3]),
            expertise=rng.sample(DEFAULT_EXPERTISE_TAGS[:8], rng.randint(1, 3)),
            tz=rng.choice(zones),
            languages=rng.sample(["English", "German", "French"], rng.randint(0, 2)),
            location=rng.choice([None, "Berlin", "berlin", "Paris"]),
            mentor_capacity=rng.randint(1, 3),
        )
        mentors.append(m)
        for mentee in rng.sample(mentees, rng.randint(0, min(2, m.mentor_capacity))):
            relate(program, m, mentee)
            active[m.id] = active.get(m.id, 0) + 1
        for mentee in rng.sample(mentees, rng.randint(0, most_asked)):
            ask(program, m, mentee)
            pending[m.id] = pending.get(m.id, 0) + 1
    return mentors, active, pending


def test_staged_ranking_matches_scoring_every_mentor(program: Database) -> None:
    """The directory scores exactly only mentors whose bound can still make the page; prove
    that it returns what scoring every mentor and sorting would."""
    rng = random.Random(4)
    seeker = f.mentee(
        program,
        "USEEK",
        interests=["python", "data", "writing"],
        languages=["German", "English"],
        location="Berlin",
    )
    mentees = [f.mentee(program, f"UX{n}") for n in range(4)]
    mentors, active, pending = _random_mentors(program, rng, mentees, count=40, most_asked=2)
    expected_search, expected_recommend = _brute_force(mentors, seeker, active, pending)
    got = [u for n in range(1, 8) for u in users(search(program, "USEEK", page=n, page_size=6))]
    assert got == expected_search
    # One per page: few candidates are scored per chunk, so most pages stop early.
    singles = [users(search(program, "USEEK", page=n, page_size=1)) for n in range(1, 13)]
    assert [u for page in singles for u in page] == expected_search[:12]
    assert users(recommend(program, "USEEK", limit=10)) == expected_recommend[:10]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recommendations_from_the_index_equal_scoring_every_mentor(
    program: Database, seed: int
) -> None:
    """Recommendations rank by score less the fairness penalty, which only the requests
    waiting for each mentor complete: with backlogs of up to five requests and more mentors
    than one chunk, the bound-and-stop must still return what scoring everyone would."""
    rng = random.Random(seed)
    seeker = f.mentee(program, "USEEK", interests=["python", "data"], location="Berlin")
    mentees = [f.mentee(program, f"UX{n}") for n in range(6)]
    mentors, active, pending = _random_mentors(program, rng, mentees, count=70, most_asked=5)
    _search, expected = _brute_force(mentors, seeker, active, pending)
    for limit in (1, 3, 10):
        assert users(recommend(program, "USEEK", limit=limit)) == expected[:limit]


def test_a_mentor_found_late_still_wins_on_language_and_location(program: Database) -> None:
    """The ranking bound must include what language and location can add: they decide here,
    and the best mentor comes last among equals, after the first chunk that gets scored."""
    f.mentee(program, "USEEK", languages=["Portuguese"], location="Lisbon")
    f.mentor(program, "UEARLY", display_name="Same Name", languages=["Portuguese"])
    for n in range(29):
        f.mentor(program, f"UM{n:02}", display_name="Same Name")
    f.mentor(program, "ULAST", display_name="Zoe", languages=["portuguese"], location="lisbon")
    first = search(program, "USEEK", page_size=1)
    assert users(first) == ["ULAST"]
    assert first.results[0].score.reasons[-3:] == [
        "Speaks portuguese",
        "Also in lisbon",
        "3 open slots",
    ]
    assert first.total == 31


def test_a_mentor_found_late_still_wins_a_tie_on_name(program: Database) -> None:
    """Equal bounds must still be scored: the winner of a tie comes after the first chunk."""
    # Same zone as the searcher: the bound's timezone band is then exact, and bound == score.
    for n in range(30):
        f.mentor(program, f"UM{n:02}", display_name="Same Name", tz="Europe/Berlin")
    f.mentor(program, "UAARON", display_name="aaron", tz="Europe/Berlin")
    assert users(search(program, page_size=1)) == ["UAARON"]
    assert users(search(program, page=2, page_size=1)) == ["UM00"]
