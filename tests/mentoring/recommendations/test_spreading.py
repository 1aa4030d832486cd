"""The capacity-aware spreading rule of pushed recommendations (pure, no database)."""

from __future__ import annotations

import math
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.recommendations.spreading import Scored, quotas, spread

STAR = 1


def star_program() -> tuple[dict[int, list[Scored]], dict[int, int]]:
    """10 mentees who all fit the star (1 open slot) best; 5 others with 2 slots each."""
    open_slots = {STAR: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2}
    candidates = {
        mentee: [Scored(STAR, 95)] + [Scored(m, 60 - m - mentee % 3) for m in range(2, 7)]
        for mentee in range(100, 110)
    }
    return candidates, open_slots


def test_greedy_by_score_alone_would_send_everyone_to_the_star() -> None:
    candidates, _slots = star_program()
    unspread = Counter(c[0].mentor_id for c in candidates.values())
    assert unspread[STAR] == 10  # what the quota prevents


def test_the_star_gets_only_its_share_and_everyone_gets_three() -> None:
    candidates, slots = star_program()
    chosen = spread(candidates, slots, per_mentee=3)

    # 30 recommendations over 11 open slots: 30/11 per slot, rounded up.
    assert quotas(slots, 30) == {STAR: 3, 2: 6, 3: 6, 4: 6, 5: 6, 6: 6}
    load = Counter(s.mentor_id for picks in chosen.values() for s in picks)
    assert load[STAR] == 3
    assert all(load[m] <= math.ceil(slots[m] * 30 / 11) for m in slots)
    assert all(len(picks) == 3 for picks in chosen.values())
    assert all(len({s.mentor_id for s in picks}) == 3 for picks in chosen.values())
    # The star's three recommendations go out in the first round, to three different mentees.
    assert sum(1 for picks in chosen.values() if picks[0].mentor_id == STAR) == 3


def test_plentiful_seats_cap_each_mentor_at_their_open_slots() -> None:
    slots = {1: 5, 2: 5, 3: 5}
    candidates = {m: [Scored(1, 90), Scored(2, 80), Scored(3, 70)] for m in range(10, 16)}
    chosen = spread(candidates, slots, per_mentee=1)
    load = Counter(s.mentor_id for picks in chosen.values() for s in picks)
    assert quotas(slots, 6) == slots
    assert load == {1: 5, 2: 1}


def test_rounds_give_everyone_a_first_before_anyone_a_second() -> None:
    # Mentor 1 fits both best but has quota for two; mentee 10 scores higher everywhere.
    slots = {1: 1, 2: 1}
    candidates = {10: [Scored(1, 99), Scored(2, 98)], 11: [Scored(1, 50), Scored(2, 40)]}
    chosen = spread(candidates, slots, per_mentee=2)
    # 4 wanted over 2 slots: quota 2 each. Round 1: 10 takes 1, then 11 takes 1 (quota left).
    assert [s.mentor_id for s in chosen[10]] == [1, 2]
    assert [s.mentor_id for s in chosen[11]] == [1, 2]


def test_the_better_match_wins_a_contested_last_place() -> None:
    slots = {1: 1, 2: 3}
    candidates = {10: [Scored(1, 60), Scored(2, 55)], 11: [Scored(1, 90), Scored(2, 20)]}
    chosen = spread(candidates, slots, per_mentee=1)
    assert chosen == {10: [Scored(2, 55)], 11: [Scored(1, 90)]}


def test_nobody_left_gives_empty_lists_and_no_mentor_without_slots() -> None:
    chosen = spread({10: [Scored(1, 80)], 11: []}, {1: 0}, per_mentee=2)
    assert chosen == {10: [], 11: []}
    assert quotas({}, 5) == {}


@settings(max_examples=150, deadline=None)
@given(
    slots=st.dictionaries(st.integers(1, 12), st.integers(0, 4), min_size=1, max_size=12),
    mentees=st.integers(1, 25),
    per_mentee=st.integers(1, 5),
    seed=st.integers(0, 10_000),
)
def test_spreading_invariants(
    slots: dict[int, int], mentees: int, per_mentee: int, seed: int
) -> None:
    """No mentor past quota, nobody twice per mentee, nobody short while room was left."""
    rng = random.Random(seed)
    candidates = {}
    for mentee in range(100, 100 + mentees):
        eligible = [m for m in slots if rng.random() < 0.8]
        scored = sorted((Scored(m, rng.randint(0, 100)) for m in eligible), key=lambda s: -s.score)
        candidates[mentee] = [s for s in scored if slots[s.mentor_id] > 0]
    chosen = spread(candidates, slots, per_mentee)
    demand = sum(min(per_mentee, len(c)) for c in candidates.values())
    quota = quotas(slots, demand)
    load = Counter(s.mentor_id for picks in chosen.values() for s in picks)
    assert all(load[m] <= quota[m] for m in load)
    for mentee, picks in chosen.items():
        ids = [s.mentor_id for s in picks]
        assert len(ids) == len(set(ids)) <= per_mentee
        assert all(s in candidates[mentee] for s in picks)
        if len(picks) < min(per_mentee, len(candidates[mentee])):
            # Short only when every remaining candidate ran out of quota.
            assert all(
                load[s.mentor_id] >= quota[s.mentor_id]
                for s in candidates[mentee]
                if s.mentor_id not in ids
            )


def test_lists_run_out_at_a_rounds_start_are_refilled_in_group_order_with_the_same_choices() -> (
    None
):
    """Each mentee's list holds only their own best mentor: all run out as round two starts."""
    mentees = list(range(100, 106))
    shared = [Scored(m, 80 - m) for m in range(11, 17)]
    rankings = {m: [Scored(m - 99, 90), *shared] for m in mentees}  # own mentor 1..6 first
    open_slots = dict.fromkeys([*range(1, 7), *range(11, 17)], 1)
    asked: list[int] = []

    def more(mentee: int, last: Scored | None, taken: list[int]) -> tuple[list[Scored], bool]:
        asked.append(mentee)
        ranking = rankings[mentee]
        after = ranking.index(last) + 1 if last is not None else 0
        return ranking[after : after + 1], after + 1 >= len(ranking)

    def run(group: object) -> dict[int, list[Scored]]:
        asked.clear()
        return spread(
            {m: rankings[m][:1] for m in mentees},
            open_slots,
            2,
            sizes={m: len(rankings[m]) for m in mentees},
            more=more,
            group=group,  # type: ignore[arg-type]
        )

    plain = run(None)
    in_member_order = list(asked)
    grouped = run(lambda mentee: -mentee)  # the largest id first

    assert grouped == plain
    assert [picks[0].mentor_id for picks in grouped.values()] == [1, 2, 3, 4, 5, 6]
    assert in_member_order[:6] == mentees  # without a group: as round two meets them
    assert asked[:6] == sorted(mentees, reverse=True)  # with one: in the group's order
