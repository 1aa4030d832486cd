"""A push's candidate search (pure, no database): the same answers as scoring every pair.

:class:`MentorPool` reads only the head of each mentee's ranking and :func:`choose` lengthens a
list only where the spreading ran short; both are checked against the brute force they
replace: every mentor scored with :meth:`Scorer.total`, sorted by score, name and id.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.directory.matching import MentorProfile, Scorer, SeekerProfile
from mentoring.recommendations.mentor_pool import MentorPool, PoolMentor
from mentoring.recommendations.plan import choose
from mentoring.recommendations.spreading import Scored, spread
from tests.conftest import NOW

# Small vocabularies, so that profiles collide, tie and share groups; spelling variants on
# purpose (tags and areas match ignoring case, names tie ignoring case).
TAGS = ("python", "Python", "data", "design", "sales", "ux research")
AREAS = (None, "Engineering", "engineering ", "Data", "Sales")
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Not/AZone")
LANGUAGES = ("English", "german", "German", "Hindi")
PLACES = (None, "Berlin", "berlin", "London")
NAMES = ("Ada", "ada", "Ben", "Chen Li", "Dana")

mentor_profiles = st.builds(
    MentorProfile,
    expertise=st.lists(st.sampled_from(TAGS), max_size=4).map(tuple),
    functional_area=st.sampled_from(AREAS),
    tz=st.sampled_from(ZONES),
    languages=st.lists(st.sampled_from(LANGUAGES), max_size=2).map(tuple),
    location=st.sampled_from(PLACES),
    open_slots=st.integers(0, 3),
)
seekers = st.builds(
    SeekerProfile,
    interests=st.lists(st.sampled_from(TAGS), max_size=4).map(tuple),
    functional_area=st.sampled_from(AREAS),
    tz=st.sampled_from(ZONES),
    languages=st.lists(st.sampled_from(LANGUAGES), max_size=2).map(tuple),
    location=st.sampled_from(PLACES),
)


def pool_of(profiles: list[MentorProfile], names: list[str]) -> tuple[MentorPool, list[PoolMentor]]:
    mentors = [
        PoolMentor(id_, names[(id_ - 1) % len(names)], profile)
        for id_, profile in enumerate(profiles, start=1)
    ]
    return MentorPool(mentors, now=NOW), mentors


def brute_force(
    seeker: SeekerProfile, mentors: list[PoolMentor], exclude: Collection[int] = ()
) -> list[Scored]:
    scorer = Scorer(seeker, now=NOW)
    ranked = sorted(
        (m for m in mentors if m.id not in exclude),
        key=lambda m: (-scorer.total(m.profile), m.name.casefold(), m.id),
    )
    return [Scored(m.id, scorer.total(m.profile)) for m in ranked]


@settings(max_examples=300, deadline=None)
@given(
    profiles=st.lists(mentor_profiles, max_size=40),
    names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=5),
    asking=st.lists(seekers, min_size=1, max_size=4),
    count=st.integers(0, 12),
    seed=st.integers(0, 1000),
)
def test_best_is_the_head_of_the_full_ranking(
    profiles: list[MentorProfile],
    names: list[str],
    asking: list[SeekerProfile],
    count: int,
    seed: int,
) -> None:
    pool, mentors = pool_of(profiles, names)
    rng = random.Random(seed)
    for seeker in asking:  # one pool answers many seekers, reusing what they share
        exclude = {m.id for m in mentors if rng.random() < 0.2}
        assert pool.best(seeker, count, exclude) == brute_force(seeker, mentors, exclude)[:count]


@settings(max_examples=300, deadline=None)
@given(
    profiles=st.lists(mentor_profiles, min_size=1, max_size=40),
    names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=5),
    seeker=seekers,
    count=st.integers(1, 12),
    seed=st.integers(0, 1000),
)
def test_best_after_a_mentor_goes_on_where_the_ranking_left_off(
    profiles: list[MentorProfile],
    names: list[str],
    seeker: SeekerProfile,
    count: int,
    seed: int,
) -> None:
    """A refill resumes after the last mentor of a list: the same as the full ranking's rest,
    retired mentors left out wherever they rank."""
    pool, mentors = pool_of(profiles, names)
    rng = random.Random(seed)
    ranking = brute_force(seeker, mentors)
    after = ranking[rng.randrange(len(ranking))]
    retired = {m.id for m in mentors if rng.random() < 0.3}
    for mentor in retired:
        pool.retire(mentor)
    exclude = {m.id for m in mentors if rng.random() < 0.2}
    rest = ranking[ranking.index(after) + 1 :]
    expected = [s for s in rest if s.mentor_id not in retired | exclude][:count]
    assert pool.best(seeker, count, exclude, after=after) == expected


def test_mentors_sharing_nothing_fill_the_places_left_in_rank_order() -> None:
    """Two mentors share the seeker's area; the others only differ in timezone and name."""
    seeker = SeekerProfile(("python",), "Engineering", "Europe/Berlin", ("English",), "Berlin")
    profiles = [
        MentorProfile((), "Engineering", "America/New_York", (), None, 1),  # area only
        MentorProfile(("Python",), "Sales", "UTC", (), None, 1),  # a tag, written differently
        MentorProfile((), "Sales", "Europe/Berlin", ("English",), "berlin", 2),  # details only
        MentorProfile((), "Data", "Europe/Berlin", ("English",), "berlin", 1),  # the same
        MentorProfile((), "Data", "Asia/Kolkata", (), None, 0),  # nothing, not even a slot
    ]
    pool, mentors = pool_of(profiles, ["Zoe", "Yan", "Bea", "Abe", "Cy"])
    best = pool.best(seeker, 5)
    # The shared tag: 45 + UTC 13 + slot 5. Then Abe and Bea, sharing nothing but zone,
    # language, city and a slot (15 + 10 + 5 + 5), tie and go by name, ahead of the area
    # alone (20 + New York 4 + slot 5); last Kolkata's 7, without a slot.
    assert [(m.mentor_id, m.score) for m in best] == [(2, 63), (4, 35), (3, 35), (1, 29), (5, 7)]
    assert best == brute_force(seeker, mentors)


def spread_over_everyone(
    asking: Mapping[int, SeekerProfile],
    mentors: list[PoolMentor],
    slots: Mapping[int, int],
    per_mentee: int,
    excluded: Mapping[int, Collection[int]],
) -> dict[int, list[Scored]]:
    """What a push did before: every mentee's whole ranking (mentors with a slot) spread."""
    eligible = [m for m in mentors if slots.get(m.id, 0) > 0]
    candidates = {
        mentee: brute_force(seeker, eligible, excluded[mentee]) for mentee, seeker in asking.items()
    }
    return spread(candidates, slots, per_mentee)


@settings(max_examples=200, deadline=None)
@given(
    profiles=st.lists(mentor_profiles, min_size=1, max_size=25),
    asking=st.lists(seekers, min_size=1, max_size=25),
    per_mentee=st.integers(1, 5),
    depth=st.integers(1, 6),
    seed=st.integers(0, 1000),
)
def test_choosing_from_short_lists_equals_spreading_whole_rankings(
    profiles: list[MentorProfile],
    asking: list[SeekerProfile],
    per_mentee: int,
    depth: int,
    seed: int,
) -> None:
    _pool, mentors = pool_of(profiles, list(NAMES))
    slots = {m.id: m.profile.open_slots for m in mentors if m.profile.open_slots > 0}
    pool = MentorPool([m for m in mentors if m.id in slots], now=NOW)
    rng = random.Random(seed)
    mentees = {100 + n: seeker for n, seeker in enumerate(asking)}
    excluded = {mentee: {m.id for m in mentors if rng.random() < 0.15} for mentee in mentees}

    chosen = choose(mentees, pool, slots, per_mentee, excluded=excluded, depth=depth)

    assert chosen == spread_over_everyone(mentees, mentors, slots, per_mentee, excluded)


def test_a_list_too_short_for_the_spreading_is_lengthened() -> None:
    """Everyone ranks the mentors alike; one candidate each would leave most mentees short."""
    seeker = SeekerProfile(("python",), "Engineering", "UTC", ("English",), None)
    profiles = [MentorProfile(("python",), "Engineering", "UTC", ("English",), None, 1)] * 5
    _pool, mentors = pool_of(profiles, ["Ada", "Ben", "Cy", "Dee", "Eve"])
    pool = MentorPool(mentors, now=NOW)
    slots = dict.fromkeys(range(1, 6), 1)
    mentees = dict.fromkeys(range(100, 110), seeker)
    nobody: dict[int, set[int]] = {m: set() for m in mentees}

    chosen = choose(mentees, pool, slots, 1, excluded=nobody, depth=1)

    # 10 recommendations over 5 slots: 2 per mentor. All score alike, so all rank Ada first;
    # from the third mentee on, the first entry of the ranking was out of quota.
    assert [picks[0].mentor_id for picks in chosen.values()] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert chosen == spread_over_everyone(mentees, mentors, slots, 1, nobody)


@settings(max_examples=100, deadline=None)
@given(
    profiles=st.lists(mentor_profiles, min_size=1, max_size=30),
    seeker=seekers,
    count=st.integers(1, 12),
    seed=st.integers(0, 1000),
)
def test_retired_mentors_are_left_out_of_every_later_ranking(
    profiles: list[MentorProfile], seeker: SeekerProfile, count: int, seed: int
) -> None:
    pool, mentors = pool_of(profiles, list(NAMES))
    rng = random.Random(seed)
    retired = {m.id for m in mentors if rng.random() < 0.4}
    for mentor_id in sorted(retired) * 2:  # retiring twice changes nothing more
        pool.retire(mentor_id)
    staying = [m for m in mentors if m.id not in retired]

    assert pool.best(seeker, count) == brute_force(seeker, staying)[:count]
