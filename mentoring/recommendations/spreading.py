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
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate mentor for one mentee and their match score."""

    mentor_id: int
    score: int


# more(mentee, last, taken) -> (the best of the mentee's ranking after ``last``, the last
# mentor of their list so far (None: no list yet), and whether that is all of it)
Refill = Callable[[int, Scored | None, Sequence[int]], tuple[Sequence[Scored], bool]]


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
    *,
    sizes: Mapping[int, int] | None = None,
    more: Refill | None = None,
    on_full: Callable[[int], None] | None = None,
    group: Callable[[int], Any] | None = None,  # a sortable key
) -> dict[int, list[Scored]]:
    """Choose up to ``per_mentee`` mentors for each mentee under the open-slot quotas.

    The lists may be only the heads of the mentees' rankings: with ``sizes`` (how long each
    whole ranking is) and ``more``, a mentee whose list runs out while more of their ranking
    exists gets the rest of it from ``more`` as it is needed. Mentors out of quota, and those
    already chosen for the mentee, can never be chosen for them again, so ``more`` may leave
    them out: ``on_full`` says which mentors ran out. The choices are those a spreading over
    the whole rankings makes.

    Args:
        candidates: mentee id -> eligible mentors, best first (the caller's tie order).
        open_slots: mentor id -> open slots (mentors missing here have none).
        per_mentee: how many recommendations each mentee should get.
        sizes: mentee id -> length of their whole ranking (default: the lists are whole).
        more: ``more(mentee, last, taken)``: the best of the mentee's ranking after their
            list, whose last mentor is ``last`` (``None`` when they have no list yet), leaving
            out ``taken`` (their chosen mentors) and the mentors ``on_full`` named, and
            whether that is the whole rest. Everything ranked before ``last`` has been
            chosen for them or run out of quota, for good.
        on_full: called with each mentor whose quota is used up, when it is.
        group: mentee id -> a key; mentees whose lists run out as a round starts get ``more``
            in the order of their keys (equal keys in a row: the caller's caches serve them),
            which changes no choice: no quota moves until the round's first pick.

    Returns:
        mentee id -> chosen mentors in the order chosen (best first); every mentee of
        ``candidates`` is a key, with an empty list when nobody was left for them.
    """
    # Per mentee state in lists by the mentee's place in ``candidates`` (which is also the
    # tie order between mentees): a large push spreads over 100,000 mentees.
    keys = list(candidates)
    total = [len(candidates[m]) if sizes is None else sizes[m] for m in keys]
    wanted = bytearray(min(per_mentee, n) for n in total)
    whole = bytearray(
        more is None or len(candidates[m]) >= n for m, n in zip(keys, total, strict=True)
    )
    del total  # one int per mentee: a large push's peak memory
    left = quotas(open_slots, sum(wanted))
    for mentor, quota in left.items():
        if quota <= 0 and on_full is not None:
            on_full(mentor)
    lists = [_columns(candidates[m]) for m in keys]
    chosen: list[list[Scored]] = [[] for _ in keys]
    taken: list[list[int]] = [[] for _ in keys]  # a few each
    cursor = array("l", bytes(8 * len(keys)))

    def best(k: int, refill: bool = True) -> int:
        """Index in mentee ``k``'s list of their best mentor left, -1 when nobody is (-2 when
        their list ran out, more of their ranking exists, and ``refill`` is false)."""
        # Move the mentee's cursor past mentors out of quota or already chosen for them.
        mine = taken[k]
        while True:
            ids = lists[k][0]
            i, end = cursor[k], len(ids)
            while i < end:
                mentor = ids[i]
                if left.get(mentor, 0) > 0 and mentor not in mine:
                    cursor[k] = i
                    return i
                i += 1
            cursor[k] = i
            if whole[k] or more is None:
                return -1
            if not refill:
                return -2
            ids, scores = lists[k]
            last = Scored(ids[-1], scores[-1]) if len(ids) else None
            rest, complete = more(keys[k], last, mine)
            lists[k], whole[k], cursor[k] = _columns(rest), complete, 0

    for round_number in range(1, per_mentee + 1):
        heap: list[tuple[int, int, int]] = []  # (-score, mentee's place, mentor keyed on)
        run_out: list[int] = []  # mentees whose list ran out, refilled after the others
        for k in range(len(keys)):
            if len(chosen[k]) < min(round_number, wanted[k]):
                i = best(k, refill=group is None)
                if i == -2:
                    run_out.append(k)
                elif i >= 0:
                    ids, scores = lists[k]
                    heap.append((-scores[i], k, ids[i]))
        if group is not None:
            run_out.sort(key=lambda k: group(keys[k]))
        for k in run_out:
            i = best(k)
            if i >= 0:
                ids, scores = lists[k]
                heap.append((-scores[i], k, ids[i]))
        heapq.heapify(heap)
        while heap:
            _neg, k, keyed_on = heapq.heappop(heap)
            i = best(k)
            if i < 0:
                continue
            ids, scores = lists[k]
            mentor = ids[i]
            if mentor != keyed_on:
                # The candidate this entry was keyed on ran out of quota: re-queue the next one.
                heapq.heappush(heap, (-scores[i], k, mentor))
                continue
            chosen[k].append(Scored(mentor, scores[i]))
            taken[k].append(mentor)
            if len(chosen[k]) == wanted[k]:
                lists[k] = ((), ())  # served: their list is not read again
            left[mentor] -= 1
            if left[mentor] == 0 and on_full is not None:
                on_full(mentor)
    return dict(zip(keys, chosen, strict=True))


def _columns(options: Sequence[Scored]) -> tuple[Sequence[int], Sequence[int]]:
    """Mentor ids and scores of a list of candidates, read without making objects."""
    columns = getattr(options, "columns", None)
    if columns is not None:
        return cast(tuple[Sequence[int], Sequence[int]], columns)
    return [s.mentor_id for s in options], [s.score for s in options]
