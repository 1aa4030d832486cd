"""The match score: each factor, its bounds, DST-aware timezones, and the reasons a mentee reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentoring.directory.matching import (
    MAX_SCORE,
    MatchFactor,
    MentorProfile,
    Scorer,
    SeekerProfile,
    fairness_penalty,
    score,
    utc_offset_minutes,
)
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS
from tests.conftest import NOW

# Neutral defaults: nothing in common except what a test sets, and 8h+ apart (0 tz points).
SEEKER = SeekerProfile(tz="UTC")
FAR = "Asia/Tokyo"  # UTC+9 all year
NOBODY = MentorProfile(tz=FAR, open_slots=0)


def mentor(**fields: Any) -> MentorProfile:
    return replace(NOBODY, **fields)


def points(result_factors: tuple[MatchFactor, ...]) -> dict[str, int]:
    return {f.label: f.points for f in result_factors}


def test_weights_add_up_to_one_hundred() -> None:
    assert MAX_SCORE == 100


def test_nothing_in_common_scores_zero_and_still_says_why() -> None:
    result = score(SEEKER, mentor(), now=NOW)
    assert result.total == 0
    assert result.reasons == ["9h timezone apart", "No open slots right now"]
    assert all(f.points == 0 for f in result.factors)


def test_perfect_match_scores_one_hundred() -> None:
    seeker = SeekerProfile(
        interests=("python", "data", "career growth"),
        functional_area="Data",
        tz="Europe/Berlin",
        languages=("German",),
        location="Berlin",
    )
    perfect = MentorProfile(
        expertise=("career growth", "data", "python", "writing"),
        functional_area="Data",
        tz="Europe/Berlin",
        languages=("English", "German"),
        location="Berlin",
        open_slots=2,
    )
    result = score(seeker, perfect, now=NOW)
    assert result.total == 100
    assert result.reasons == [
        "Shares 3 expertise tags: python, data, career growth",
        "Same functional area: Data",
        "Same timezone",
        "Speaks German",
        "Also in Berlin",
        "2 open slots",
    ]


@pytest.mark.parametrize(
    ("interests", "expertise", "expected"),
    [
        (("python", "data", "writing"), ("python",), 15),
        (("python", "data", "writing"), ("python", "data"), 30),
        (("python", "data", "writing", "finance"), ("python", "data", "writing", "finance"), 45),
        (("python",), ("python", "data"), 45),  # everything the mentee wants
        (("python", "data"), ("data",), 22),
        (("python",), ("data",), 0),
        ((), ("data",), 0),
    ],
)
def test_shared_expertise_earns_up_to_45(
    interests: tuple[str, ...], expertise: tuple[str, ...], expected: int
) -> None:
    result = score(SeekerProfile(interests=interests), mentor(expertise=expertise), now=NOW)
    assert result.total == expected


def test_filter_tags_count_like_interests_and_come_first_in_the_reason() -> None:
    seeker = SeekerProfile(interests=("Python",))
    result = score(
        seeker,
        mentor(expertise=("python", "career growth", "leadership")),
        now=NOW,
        wanted_tags=["Leadership"],
    )
    # Matched case-insensitively, reported in the mentor's (taxonomy) spelling.
    assert points(result.factors)["Shares 2 expertise tags: leadership, python"] == 45
    single = score(seeker, mentor(expertise=("python",)), now=NOW)
    assert single.reasons[0] == "Shares 1 expertise tag: python"


def test_same_functional_area_earns_20_case_insensitively() -> None:
    seeker = SeekerProfile(functional_area="engineering")
    same = score(seeker, mentor(functional_area="Engineering"), now=NOW)
    assert points(same.factors) == {
        "Same functional area: Engineering": 20,
        "9h timezone apart": 0,
        "No open slots right now": 0,
    }
    assert score(seeker, mentor(functional_area="Design"), now=NOW).total == 0
    assert score(SeekerProfile(), mentor(functional_area=None), now=NOW).total == 0


@pytest.mark.parametrize(
    ("mentor_tz", "label", "expected"),
    [
        ("UTC", "Same timezone", 15),
        ("Europe/Lisbon", "Same timezone", 15),  # WET = UTC in early March
        ("Europe/Berlin", "1h timezone apart", 13),
        ("Europe/Athens", "2h timezone apart", 11),
        ("Asia/Kolkata", "5h 30m timezone apart", 5),  # 15 * 150 / 480 = 4.7, rounded
        ("America/New_York", "5h timezone apart", 6),
        ("Asia/Shanghai", "8h timezone apart", 0),
        ("Pacific/Auckland", "13h timezone apart", 0),
    ],
)
def test_timezone_points_fall_linearly_to_zero_at_8h(
    mentor_tz: str, label: str, expected: int
) -> None:
    result = score(SeekerProfile(tz="UTC"), mentor(tz=mentor_tz), now=NOW)
    assert points(result.factors)[label] == expected
    assert result.total == expected


def test_timezone_difference_follows_daylight_saving_at_now() -> None:
    seeker = SeekerProfile(tz="Europe/London")
    new_york = mentor(tz="America/New_York")
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    # The US moves its clocks on 8 March 2026, the UK only on 29 March.
    gap_weeks = datetime(2026, 3, 15, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert score(seeker, new_york, now=winter).reasons[0] == "5h timezone apart"
    assert score(seeker, new_york, now=gap_weeks).reasons[0] == "4h timezone apart"
    assert score(seeker, new_york, now=summer).reasons[0] == "5h timezone apart"
    assert score(seeker, new_york, now=gap_weeks).total == 8  # 15 * 4 / 8 = 7.5, half up
    assert utc_offset_minutes("America/New_York", winter) == -300
    assert utc_offset_minutes("America/New_York", summer) == -240


def test_unknown_timezone_is_left_out_rather_than_guessed() -> None:
    result = score(SeekerProfile(tz="UTC"), mentor(tz="Mars/Olympus_Mons"), now=NOW)
    assert result.reasons == ["No open slots right now"]
    assert utc_offset_minutes("Mars/Olympus_Mons", NOW) is None


def test_shared_language_earns_10_and_names_it() -> None:
    seeker = SeekerProfile(languages=("english", "Spanish"))
    result = score(seeker, mentor(languages=("French", "Spanish", "English")), now=NOW)
    assert points(result.factors)["Speaks Spanish, English"] == 10
    assert result.total == 10
    assert score(seeker, mentor(languages=("French",)), now=NOW).total == 0


def test_same_location_earns_5() -> None:
    seeker = SeekerProfile(location=" london ")
    result = score(seeker, mentor(location="London"), now=NOW)
    assert points(result.factors)["Also in London"] == 5
    assert score(seeker, mentor(location="Leeds"), now=NOW).total == 0
    assert score(SeekerProfile(), mentor(location=None), now=NOW).total == 0


@pytest.mark.parametrize(
    ("slots", "label", "expected"),
    [(0, "No open slots right now", 0), (1, "1 open slot", 5), (3, "3 open slots", 5)],
)
def test_open_slots(slots: int, label: str, expected: int) -> None:
    result = score(SEEKER, mentor(open_slots=slots), now=NOW)
    assert points(result.factors)[label] == expected


zones = st.sampled_from(["UTC", "Europe/London", "America/Los_Angeles", "Asia/Kolkata", FAR])
tags = st.lists(st.sampled_from(DEFAULT_EXPERTISE_TAGS), max_size=6, unique=True).map(tuple)
words = st.sampled_from(["Data", "data", "Design", "London", "English", "german"])


@given(
    seeker=st.builds(
        SeekerProfile,
        interests=tags,
        functional_area=st.none() | words,
        tz=zones,
        languages=st.lists(words, max_size=3).map(tuple),
        location=st.none() | words,
    ),
    candidate=st.builds(
        MentorProfile,
        expertise=tags,
        functional_area=st.none() | words,
        tz=zones,
        languages=st.lists(words, max_size=3).map(tuple),
        location=st.none() | words,
        open_slots=st.integers(0, 5),
    ),
    wanted=tags,
)
def test_score_is_bounded_and_explained_total_equals_ranked_total(
    seeker: SeekerProfile, candidate: MentorProfile, wanted: tuple[str, ...]
) -> None:
    scorer = Scorer(seeker, now=NOW, wanted_tags=wanted)
    explained = scorer.explain(candidate)
    assert 0 <= explained.total <= 100
    assert explained.total == sum(f.points for f in explained.factors) == scorer.total(candidate)
    # The directory's upper bound must never be below the real score, or it would miss mentors.
    bound = (
        scorer.expertise_points(len(scorer.shared_tags(candidate.expertise)))
        + scorer.area_points(candidate.functional_area)
        + scorer.tz_points(candidate.tz)
        + scorer.slot_points(candidate.open_slots)
        + scorer.detail_bound
    )
    assert explained.total <= bound


def test_fairness_penalty_grows_with_load_and_backlog_and_is_capped() -> None:
    assert fairness_penalty(active=0, capacity=3, pending=0) == 0
    assert fairness_penalty(active=2, capacity=3, pending=0) == 10
    assert fairness_penalty(active=0, capacity=3, pending=3) == 15
    assert fairness_penalty(active=2, capacity=3, pending=3) == 25
    assert fairness_penalty(active=3, capacity=3, pending=9) == 35  # the most it can be
    assert fairness_penalty(active=1, capacity=1, pending=4) == fairness_penalty(
        active=1, capacity=1, pending=40
    )


def test_only_the_open_slots_factor_is_about_availability() -> None:
    seeker = SeekerProfile(interests=("python",), functional_area="Engineering", tz="UTC")
    for slots in (0, 2):
        mentor = MentorProfile(
            expertise=("python",), functional_area="Engineering", tz="UTC", open_slots=slots
        )
        factors = score(seeker, mentor, now=NOW).factors
        assert [f.label for f in factors if f.availability] == [
            "2 open slots" if slots else "No open slots right now"
        ]
