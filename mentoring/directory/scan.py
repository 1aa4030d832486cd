"""Ranking a workspace's mentors from the in-memory index (mentoring.directory.index).

Every factor of the match score depends on one attribute of the mentor, and mentors share few
distinct values of each, so the scorer is asked once per distinct value (its point tables) and
the totals of all candidates are added up as numpy columns. Ties are broken as everywhere in the
directory: higher score, then display name ignoring case, then member id; only the candidates
that can still make the page (scores at or above the page's last) are sorted in Python.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from mentoring.directory.index import DirectoryIndex, IntArray, micros
from mentoring.directory.matching import Scorer, fairness_penalty


@dataclass(frozen=True, slots=True)
class Hit:
    """A mentor on the page, with what the index knows of their load."""

    id: int
    total: int
    active: int
    capacity: int
    pending: int  # mentee requests waiting for their answer


@dataclass(frozen=True, slots=True)
class Query:
    """What a search narrows the directory by, already canonical (taxonomy spelling)."""

    exclude_id: int
    area: str | None = None
    tags: Sequence[str] = ()
    near_zones: Collection[str] | None = None  # None: any timezone
    gender: str | None = None
    location: str | None = None
    words: Sequence[str] = ()
    only_ids: Collection[int] | None = None  # None: every mentor (else recommended only)
    left_out: Collection[int] = ()  # mentors never to show (a mentee's current or asked)
    only_open: bool = True


def _none_is_zero(points: Any) -> Any:
    return lambda value: 0 if value is None else points(value)


def candidates(index: DirectoryIndex, query: Query, now: datetime) -> IntArray:
    """Slots of the mentors the query lets through (the SQL filters, as columns)."""
    n = index.size
    mask = index.alive[:n] & (index.paused[:n] <= micros(now))
    if (slot := index.slot_of.get(query.exclude_id)) is not None:
        mask[slot] = False
    if query.area is not None:
        code = index.areas.find(query.area)
        mask &= index.area[:n] == (-1 if code is None else code)
    if query.tags:
        mask &= any_tag(index, slice(0, n), query.tags)
    if query.near_zones is not None:
        near = set(query.near_zones)
        codes = [c for c, zone in enumerate(index.zones.values) if zone in near]
        mask &= np.isin(index.zone[:n], codes)
    if query.only_open:
        mask &= index.active[:n] < index.capacity[:n]
    if query.only_ids is not None:
        mask &= np.isin(index.ids[:n], np.fromiter(query.only_ids, np.int64))
    if query.left_out:
        mask &= ~np.isin(index.ids[:n], np.fromiter(query.left_out, np.int64))
    slots = np.flatnonzero(mask)
    # Text filters: SQL's lower(gender) = ?, location ILIKE %?%, search_text LIKE %word%.
    if query.gender is not None:
        gender = query.gender.lower()
        slots = slots[[index.genders[s] == gender for s in slots.tolist()]]
    if query.location is not None:
        place = query.location.lower()
        slots = slots[[place in (index.locations[s] or "\0") for s in slots.tolist()]]
    if query.words:
        words = index.words()
        for word in query.words:
            slots = slots[words.matching(word, index.texts, n)[slots]]
    return slots.astype(np.int64)


def any_tag(index: DirectoryIndex, rows: IntArray | slice, tags: Iterable[str]) -> Any:
    """For each of ``rows``, whether the mentor lists one of ``tags`` (any case)."""
    columns = [c for t in sorted({t.lower() for t in tags}) if (c := index.tag_columns.find(t))]
    if not columns:
        return np.zeros(len(index.ids[rows]), bool)
    # The tags' columns first (a few), then the rows: picking rows first copies every column.
    return index.tags[: index.size, columns][rows].any(axis=1)


def totals(index: DirectoryIndex, slots: IntArray, scorer: Scorer) -> IntArray:
    """Each candidate's match score, exactly :meth:`Scorer.total`."""
    wanted = [c for t in scorer.wanted_tags if (c := index.tag_columns.find(t))]
    if wanted:
        # The wanted columns first (a few), then the candidates: 3x quicker than the reverse.
        shared = index.expertise[: index.size, wanted].sum(axis=1, dtype=np.int64)[slots]
        most = int(shared.max(initial=0))
        points = np.array([scorer.expertise_points(k) for k in range(most + 1)], np.int64)
        score = points[shared]
    else:
        score = np.zeros(len(slots), np.int64)
    score += index.areas.table(scorer.area_points)[index.area[slots]]
    score += index.zones.table(_none_is_zero(scorer.tz_points))[index.zone[slots]]
    score += index.tongues.table(_none_is_zero(scorer.language_points))[index.tongue[slots]]
    score += index.places.table(scorer.location_points)[index.place[slots]]
    open_slot = index.active[slots] < index.capacity[slots]
    score += np.where(open_slot, scorer.slot_points(1), scorer.slot_points(0))
    result: IntArray = score
    return result


def rank_mentors(
    index: DirectoryIndex, query: Query, scorer: Scorer, now: datetime, count: int
) -> tuple[list[Hit], int]:
    """The best ``count`` mentors for ``query`` in rank order, and how many match in all."""
    slots = candidates(index, query, now)
    matches = len(slots)
    if not matches:
        return [], 0
    score = totals(index, slots, scorer)
    if count < matches:
        # Every mentor scoring at least the count-th best score may still make the page.
        last = np.partition(score, matches - count)[matches - count]
        keep = score >= last
        slots, score = slots[keep], score[keep]
    names, ids = index.names, index.ids
    order = sorted(
        zip(score.tolist(), slots.tolist(), strict=True),
        key=lambda pair: (-pair[0], names[pair[1]], int(ids[pair[1]])),
    )[:count]
    active, capacity, pending = index.active, index.capacity, index.pending
    hits = [
        Hit(int(ids[s]), total, int(active[s]), int(capacity[s]), int(pending[s]))
        for total, s in order
    ]
    return hits, matches


@dataclass(frozen=True, slots=True)
class FairHit:
    """A recommended mentor, with the load the fairness penalty counted."""

    id: int
    active: int
    capacity: int
    pending: int


def fair_top(
    index: DirectoryIndex,
    query: Query,
    scorer: Scorer,
    now: datetime,
    count: int,
    *,
    relevant: tuple[Sequence[str], str | None],
) -> list[FairHit]:
    """The best ``count`` of the query's mentors by score less fairness penalty.

    The rule ``recommend_mentors`` ranked by in SQL before the index: the mentors sharing one
    of the ``relevant`` tags or its area (exact spelling) when at least ``count`` do, else
    every mentor of the query; by value, then score, then name ignoring case, then id. The
    penalty is counted for every candidate from the index (active mentees of capacity, and
    the mentee requests waiting for them); only the candidates tied with the last place on
    value and score are sorted by name in Python.
    """
    slots = candidates(index, query, now)
    tags, area = relevant
    if tags or area:
        mask = any_tag(index, slots, tags) if tags else np.zeros(len(slots), bool)
        if area and (code := index.areas.find(area)) is not None:
            mask |= index.area[slots] == code
        if int(mask.sum()) >= count:
            slots = slots[mask]
    if not len(slots):
        return []
    active, capacity = index.active[slots], index.capacity[slots]
    pending = index.pending[slots]
    score = totals(index, slots, scorer)
    value = score - _penalties(active, capacity, pending)
    # (value, score) as one integer in the same order: score - low is below spread.
    low = int(score.min())
    key = value * (int(score.max()) - low + 1) + (score - low)
    near = _at_or_above_kth(key, count)  # the places, and those tied with the last
    names = index.names
    ranked = sorted(
        zip(
            (-key[near]).tolist(),
            [names[s] for s in slots[near].tolist()],
            index.ids[slots[near]].tolist(),
            near.tolist(),
            strict=True,
        )
    )
    return [
        FairHit(member_id, int(active[p]), int(capacity[p]), int(pending[p]))
        for _key, _name, member_id, p in ranked[:count]
    ]


def _at_or_above_kth(key: IntArray, count: int) -> IntArray:
    """Positions of the keys at or above the ``count``-th largest (every one if no more)."""
    n = len(key)
    if count >= n:
        return np.arange(n)
    last = np.partition(key, n - count)[n - count]
    result: IntArray = np.flatnonzero(key >= last)
    return result


def _penalties(active: Any, capacity: Any, pending: Any) -> IntArray:
    """``fairness_penalty`` of each mentor: its load part plus its backlog part, each asked
    once per distinct value and looked up for every mentor."""
    loads = np.array(
        [
            [
                fairness_penalty(active=a, capacity=c, pending=0)
                for c in range(int(capacity.max()) + 1)
            ]
            for a in range(int(active.max()) + 1)
        ],
        np.int64,
    )
    backlog = np.fromiter(
        (fairness_penalty(active=0, capacity=1, pending=w) for w in range(int(pending.max()) + 1)),
        np.int64,
    )
    result: IntArray = loads[active, capacity] + backlog[pending]
    return result
