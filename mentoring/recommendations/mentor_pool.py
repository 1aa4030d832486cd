"""Many mentees' best mentors at once, without scoring every pair.

An admin's push needs the best few mentors of every mentee still looking: 100,000 mentees and
100,000 mentors make ten billion pairs, and ranking the whole directory
(:mod:`mentoring.directory.scan`) costs milliseconds per mentee. A :class:`MentorPool` is
built once per push from the eligible mentors and splits the match score the way
:class:`Scorer` adds it up, into factors that each take few values:

* **primary points**, shared expertise and the functional area: the expertise points depend
  only on how many wanted tags a mentor lists (0 to 3 count), the area points on one area;
* **detail points**, timezone, language, location and the open-slot points. They depend only
  on the mentor's (timezone, languages, location, has a slot), and mentors fall into few such
  groups (89 among 10,000 in ``bench/recommend.py``).

Every set of mentors is a bit set (a GMP integer, ``gmpy2.mpz``, bit ``i`` for the mentor at
position ``i``): one per tag listed, area and detail group, built once. For a seeker, a few
bitwise operations (in C, about a microsecond each at 100,000 mentors) give the mentors at
each level of primary points (counting shared tags with a bit-sliced adder) and at each level
of detail points; the score of a mentor is the sum of its two levels.
:meth:`MentorPool.best` walks the pairs of levels from the highest sum down and reads the
mentors of each sum in position order (GMP's bit scan jumps to the next member), stopping as
soon as it has the places asked for: Python touches only the mentors it returns. The levels
are kept for the seekers' most recent interests and details, which is why
:func:`mentoring.recommendations.plan.choose` asks for seekers of the same interests one
after the other.
The result is exactly what sorting every mentor would give: :meth:`Scorer.total` for each
score, ties to the display name ignoring case, then the member id.

Mentors whose quota a push has used up are retired (:meth:`MentorPool.retire`): later
rankings leave them out, so a mentee's longer list skips them.
"""

from __future__ import annotations

import functools
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, overload

from gmpy2 import mpz

from mentoring.directory.matching import MentorProfile, Scorer, SeekerProfile
from mentoring.recommendations.spreading import Scored

DetailKey = tuple[str, tuple[str, ...], str | None]
PrimaryKey = tuple[tuple[str, ...], str | None]
Bits = Any  # a gmpy2.mpz, bit i for the mentor at position i (gmpy2 ships no type hints)
Levels = list[tuple[int, Bits]]  # (points, the mentors earning them), most first
Tiers = tuple[tuple[int, ...], Levels]  # the levels' points alone, and the levels
PRIMARY_CACHE = 64  # seekers' primary levels kept, most recently used (a few bit sets each)
DETAIL_CACHE = 256  # and detail levels: programs have few (timezone, languages, location)
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class PoolMentor:
    """A mentor who may be recommended, as the score sees them."""

    id: int
    name: str  # display name, for ties
    profile: MentorProfile


class Ranking(Sequence[Scored]):
    """Mentors best first, kept as two arrays of numbers.

    A push keeps a list per mentee, some of them hundreds long: as :class:`Scored` objects
    they took about a gigabyte more at 100,000 mentors, and long garbage-collection pauses.
    """

    __slots__ = ("_ids", "_scores")

    def __init__(self, ids: Iterable[int], scores: Iterable[int]) -> None:
        self._ids = array("q", ids)
        self._scores = array("b", scores)  # 0 to 100

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def columns(self) -> tuple[Sequence[int], Sequence[int]]:
        """The mentor ids and the scores, best first, without making :class:`Scored` objects."""
        return self._ids, self._scores

    @overload
    def __getitem__(self, index: int) -> Scored: ...

    @overload
    def __getitem__(self, index: slice) -> list[Scored]: ...

    def __getitem__(self, index: int | slice) -> Scored | list[Scored]:
        if isinstance(index, slice):
            return [
                Scored(i, s) for i, s in zip(self._ids[index], self._scores[index], strict=True)
            ]
        return Scored(self._ids[index], self._scores[index])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal to lists with the same items

    def __repr__(self) -> str:
        return f"Ranking({list(self)!r})"


class MentorPool:
    """The eligible mentors of one push, indexed for :meth:`best`.

    Positions (0, 1, ...) follow display name ignoring case, then member id, so the tie order
    of a ranking is the order of positions, and of the bits of every set.
    """

    def __init__(self, mentors: Iterable[PoolMentor], *, now: datetime) -> None:
        ordered = sorted(mentors, key=lambda m: (m.name.casefold(), m.id))
        self._now = now
        self._ids = [m.id for m in ordered]
        self._position = {m.id: i for i, m in enumerate(ordered)}
        size = (len(ordered) + 7) // 8
        # (tag, k): mentors listing the tag (any case) at least k times, as Scorer counts them.
        tags: defaultdict[tuple[str, int], bytearray] = defaultdict(lambda: bytearray(size))
        areas: defaultdict[str | None, bytearray] = defaultdict(lambda: bytearray(size))
        groups: defaultdict[tuple[DetailKey, bool], bytearray] = defaultdict(
            lambda: bytearray(size)
        )
        for i, mentor in enumerate(ordered):
            p = mentor.profile
            byte, bit = i >> 3, 1 << (i & 7)
            seen: dict[str, int] = {}
            for tag in p.expertise:
                folded = tag.lower()
                seen[folded] = k = seen.get(folded, 0) + 1
                tags[(folded, k)][byte] |= bit
            areas[p.functional_area][byte] |= bit
            groups[((p.tz, p.languages, p.location), p.open_slots > 0)][byte] |= bit
        self._tags = {key: _bitset(bits) for key, bits in tags.items()}
        self._areas = {area: _bitset(bits) for area, bits in areas.items()}
        self._groups = [(key, _bitset(bits)) for key, bits in groups.items()]
        self._everyone: Bits = mpz((1 << len(ordered)) - 1)
        self._live: Bits = self._everyone
        self._primaries: OrderedDict[PrimaryKey, Tiers] = OrderedDict()
        self._area_points: dict[str | None, tuple[int, Bits, Bits]] = {}  # by the seeker's area
        self._details: OrderedDict[DetailKey, Tiers] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def count_in(self, mentor_ids: Collection[int]) -> int:
        """How many of these mentors are in the pool (retired or not)."""
        return sum(1 for m in set(mentor_ids) if m in self._position)

    def retire(self, mentor_id: int) -> None:
        """Leave this mentor out of every later :meth:`best` (their quota is used up)."""
        position = self._position.get(mentor_id)
        if position is not None and self._live.bit_test(position):
            self._live = self._live.bit_clear(position)

    def best(
        self,
        seeker: SeekerProfile,
        count: int,
        exclude: Collection[int] = (),
        *,
        after: Scored | None = None,
    ) -> Ranking:
        """The ``count`` best mentors for ``seeker``, best first, leaving out ``exclude`` (ids).

        Scores are :meth:`Scorer.total`; ties go to the display name ignoring case, then id.
        Retired mentors are left out. With ``after`` (a mentor of this pool with the score
        this seeker gives them), only the mentors ranking after them.
        """
        if count <= 0 or not self._live:
            return Ranking((), ())
        primary_points, primary = self._primary(seeker)
        detail_points, detail = self._detail(seeker)
        skip = {self._position[m] for m in exclude if m in self._position}
        ids, scores = array("q"), array("b")
        live, mentor_ids = self._live, self._ids
        below, start = (after.score, self._position[after.mentor_id] + 1) if after else (None, 0)
        for total, pairs in _pair_order(primary_points, detail_points):
            if below is not None and total > below:
                continue
            found = mpz(0)
            for i, j in pairs:
                found |= primary[i][1] & detail[j][1]
            found &= live
            position = found.bit_scan1(start if total == below else 0)
            while position is not None:
                if position not in skip:
                    ids.append(mentor_ids[position])
                    scores.append(total)
                    if len(ids) >= count:
                        return Ranking(ids, scores)
                position = found.bit_scan1(position + 1)
        return Ranking(ids, scores)

    def _primary(self, seeker: SeekerProfile) -> Tiers:
        """The mentors by primary points (shared expertise and area), most points first."""
        # The tags as Scorer.wanted_tags folds them, in any order: the levels are the same.
        key = (
            tuple(sorted({t.strip().lower() for t in seeker.interests} - {""})),
            seeker.functional_area,
        )
        if (cached := self._primaries.get(key)) is not None:
            self._primaries.move_to_end(key)
            return cached
        scorer = Scorer(seeker, now=self._now)
        everyone = self._everyone
        needed = min(len(scorer.wanted_tags), 3)
        # at_least[n]: the mentors sharing n wanted tags or more (n up to the full points).
        at_least = [everyone] + [0] * needed
        for tag in scorer.wanted_tags:
            k = 1
            while (listed := self._tags.get((tag, k))) is not None:
                for n in range(needed, 0, -1):
                    at_least[n] |= at_least[n - 1] & listed
                k += 1
        area_points, in_area, out_of_area = self._in_area(scorer, seeker.functional_area)
        levels: defaultdict[int, Bits] = defaultdict(mpz)
        for n in range(needed + 1):
            exactly = at_least[n] ^ at_least[n + 1] if n < needed else at_least[n]
            points = scorer.expertise_points(n)
            if in_area:
                levels[points + area_points] |= exactly & in_area
            levels[points] |= exactly & out_of_area
        return _remember(self._primaries, key, _levels(levels), PRIMARY_CACHE)

    def _in_area(self, scorer: Scorer, area: str | None) -> tuple[int, Bits, Bits]:
        """The area points a seeker in ``area`` gives, the mentors earning them, the others."""
        if (found := self._area_points.get(area)) is None:
            in_area, points = mpz(0), 0
            for mentors_area, mentors in self._areas.items():
                if earned := scorer.area_points(mentors_area):
                    in_area, points = in_area | mentors, earned
            found = self._area_points[area] = (points, in_area, self._everyone ^ in_area)
        return found

    def _detail(self, seeker: SeekerProfile) -> Tiers:
        """The mentors by detail points (timezone, language, location, slot), most first."""
        key = (seeker.tz, seeker.languages, seeker.location)
        if (cached := self._details.get(key)) is not None:
            self._details.move_to_end(key)
            return cached
        scorer = Scorer(seeker, now=self._now)
        levels: defaultdict[int, Bits] = defaultdict(mpz)
        for ((tz, languages, location), has_slot), mentors in self._groups:
            points = (
                scorer.tz_points(tz)
                + scorer.language_points(languages)
                + scorer.location_points(location)
                + scorer.slot_points(1 if has_slot else 0)
            )
            levels[points] |= mentors
        return _remember(self._details, key, _levels(levels), DETAIL_CACHE)


def _remember(cache: OrderedDict[K, V], key: K, value: V, size: int) -> V:
    cache[key] = value
    if len(cache) > size:
        cache.popitem(last=False)
    return value


def _levels(levels: dict[int, Bits]) -> Tiers:
    ordered = sorted(
        ((points, found) for points, found in levels.items() if found),
        key=lambda level: level[0],
        reverse=True,
    )
    return tuple(points for points, _mentors in ordered), ordered


@functools.lru_cache(maxsize=4096)
def _pair_order(
    primary: tuple[int, ...], detail: tuple[int, ...]
) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    """Each total of a primary and a detail level, highest first, with the pairs of levels
    (indexes into ``primary`` and ``detail``) adding up to it. Programs have few such shapes."""
    pairs: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, p in enumerate(primary):
        for j, d in enumerate(detail):
            pairs[p + d].append((i, j))
    return tuple((total, tuple(pairs[total])) for total in sorted(pairs, reverse=True))


def _bitset(bits: bytearray) -> Bits:
    return mpz(int.from_bytes(bits, "little"))
