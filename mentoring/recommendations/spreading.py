"""Spreading pushed recommendations over mentors in proportion to their open slots.

Ranking every mentee's mentors by match score alone sends everyone to the same few stars: a
mentor with one open slot who fits everybody would be recommended to every mentee, and all but
one of them would be turned away. So an admin's push hands out recommendations under quotas.

**Quota.** With ``D`` recommendations to hand out (each mentee's ``N``, or fewer when fewer
mentors are eligible for them) and ``S`` open slots among the eligible mentors::

    quota(mentor) = ceil(open_slots(mentor) * max(1, D / S))

When seats are plentiful (``D <= S``) nobody is recommended to more mentees than they have open
slots. When recommendations outnumber seats (the usual case: each mentee gets several names but
takes one), every mentor carries the same number of recommendations per open slot, rounded
up, so a mentor with one slot gets a third of the recommendations of one with three. The
quotas add up to at least ``D``, so there is room for every recommendation asked for.

**Order.** ``N`` rounds. In round ``r`` every mentee still short of ``r`` recommendations gets
their best-scoring mentor who still has quota and is not already on their list. Within a round
the highest score is served first (a heap of each mentee's best remaining candidate), so a
strong match wins a contested mentor, and nobody gets a second recommendation before everyone
had their chance at a first. Ties go to the order the candidates are given in, then the mentee
given first.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate mentor for one mentee and their match score."""

    mentor_id: int
    score: int


def quotas(open_slots: Mapping[int, int], demand: int) -> dict[int, int]:
    """How many mentees each mentor may be recommended to (see the module docstring)."""
    supply = sum(max(0, slots) for slots in open_slots.values())
    if supply == 0:
        return dict.fromkeys(open_slots, 0)
    factor = max(1.0, demand / supply)
    # round() first: a float product like 3 * (11/11) must not ceil to 4.
    return {
        mentor: math.ceil(round(max(0, slots) * factor, 9)) for mentor, slots in open_slots.items()
    }


def spread(
    candidates: Mapping[int, Sequence[Scored]],
    open_slots: Mapping[int, int],
    per_mentee: int,
) -> dict[int, list[Scored]]:
    """Choose up to ``per_mentee`` mentors for each mentee under the open-slot quotas.

    Args:
        candidates: mentee id -> eligible mentors, best first (the caller's tie order).
        open_slots: mentor id -> open slots (mentors missing here have none).
        per_mentee: how many recommendations each mentee should get.

    Returns:
        mentee id -> chosen mentors in the order chosen (best first); every mentee of
        ``candidates`` is a key, with an empty list when nobody was left for them.
    """
    wanted = {mentee: min(per_mentee, len(c)) for mentee, c in candidates.items()}
    left = quotas(open_slots, sum(wanted.values()))
    chosen: dict[int, list[Scored]] = {mentee: [] for mentee in candidates}
    taken: dict[int, set[int]] = {mentee: set() for mentee in candidates}
    cursor = dict.fromkeys(candidates, 0)
    order = {mentee: i for i, mentee in enumerate(candidates)}

    def best(mentee: int) -> Scored | None:
        # Move the mentee's cursor past mentors out of quota or already chosen for them.
        options, mine = candidates[mentee], taken[mentee]
        i, end = cursor[mentee], len(options)
        while i < end:
            option = options[i]
            if left.get(option.mentor_id, 0) > 0 and option.mentor_id not in mine:
                cursor[mentee] = i
                return option
            i += 1
        cursor[mentee] = i
        return None

    for round_number in range(1, per_mentee + 1):
        heap: list[tuple[int, int, int, int]] = []
        for mentee in candidates:
            if len(chosen[mentee]) < min(round_number, wanted[mentee]):
                top = best(mentee)
                if top is not None:
                    heap.append((-top.score, order[mentee], cursor[mentee], mentee))
        heapq.heapify(heap)
        while heap:
            _neg, _order, position, mentee = heapq.heappop(heap)
            top = best(mentee)
            if top is None:
                continue
            if cursor[mentee] != position:
                # The candidate this entry was keyed on ran out of quota: re-queue the next one.
                heapq.heappush(heap, (-top.score, order[mentee], cursor[mentee], mentee))
                continue
            chosen[mentee].append(top)
            taken[mentee].add(top.mentor_id)
            left[top.mentor_id] -= 1
    return chosen
