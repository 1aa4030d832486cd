"""Many mentees' best mentors at once, without scoring every pair.

An admin's push needs the best few mentors of every mentee still looking: 10,000 mentees and
10,000 mentors make 100 million pairs, minutes of :meth:`Scorer.total` in Python, and the
directory's SQL ranking (:mod:`mentoring.directory.ranking`) costs ~8 ms per mentee at that size,
more
than a minute for all of them. A :class:`MentorPool` is built once per push from the
eligible mentors and splits the match score the way :class:`Scorer` adds it up:

* **primary points**, shared expertise and the functional area. Tag postings (tag -> the
  mentors listing it) give a mentee's shared-tag count for just the mentors who share one, and
  the mentors with the same points form a tier;
* **detail points**, timezone, language, location and the open-slot points. They depend only
  on the mentor's (timezone, languages, location, has a slot), and mentors fall into few such
  groups (89 among 10,000 in ``bench/recommend.py``), so a mentee's detail points for every
  mentor are one short list per group, shared by every mentee with the same timezone,
  languages and location.

:meth:`MentorPool.best` then takes tiers from the most primary points down and stops once a
tier's best possible score (its primary points plus the best detail points) cannot reach the
last place asked for: the directory's bound-and-stop, in memory. Mentors sharing nothing are
taken by group, best detail points first, only when the tiers above did not fill the places.
The result is exactly what sorting every mentor would give: :meth:`Scorer.total` for each
score, ties to the display name ignoring case, then the member id.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import overload

from mentoring.directory.matching import MentorProfile, Scorer, SeekerProfile
from mentoring.recommendations.spreading import Scored

DetailKey = tuple[str, tuple[str, ...], str | None]
Place = tuple[int, int]  # (-score, position): sorts best first, then by name and id
PRIMARY_CACHE = 8  # seekers with the same interests and area share tiers: ask in that order


@dataclass(frozen=True, slots=True)
class _Primary:
    """A seeker's mentors by primary points (shared expertise and area)."""

    levels: tuple[tuple[int, list[int]], ...]  # (points, positions sharing a tag), best first
    shared: Counter[int]  # position -> tags shared, for mentors sharing any
    area_points: int
    in_area: frozenset[int]
    area_members: Sequence[list[int]]  # per detail group, positions in the seeker's area


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
        self._scores = array("l", scores)

    def __len__(self) -> int:
        return len(self._ids)

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
    of a ranking is the order of positions.
    """

    def __init__(self, mentors: Iterable[PoolMentor], *, now: datetime) -> None:
        ordered = sorted(mentors, key=lambda m: (m.name.casefold(), m.id))
        self._now = now
        self._ids = [m.id for m in ordered]
        self._position = {m.id: i for i, m in enumerate(ordered)}
        postings: defaultdict[str, list[int]] = defaultdict(list)
        areas: defaultdict[str | None, list[int]] = defaultdict(list)
        keys: dict[tuple[DetailKey, bool], int] = {}
        self._group_of: list[int] = []
        members: list[list[int]] = []
        for i, mentor in enumerate(ordered):
            p = mentor.profile
            # One entry per tag listed, so a count equals len(Scorer.shared_tags(...)).
            for tag in p.expertise:
                postings[tag.lower()].append(i)
            areas[p.functional_area].append(i)
            key = ((p.tz, p.languages, p.location), p.open_slots > 0)
            group = keys.setdefault(key, len(keys))
            if group == len(members):
                members.append([])
            members[group].append(i)
            self._group_of.append(group)
        self._postings = dict(postings)
        self._groups = list(keys)
        self._members = members  # per group, positions ascending
        self._areas = {area: frozenset(ids) for area, ids in areas.items()}
        self._area_members = {
            area: [[i for i in group if i in ids] for group in members]
            for area, ids in self._areas.items()
        }
        self._details: dict[DetailKey, tuple[list[int], int]] = {}
        self._primaries: OrderedDict[tuple[tuple[str, ...], str | None], _Primary] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def best(self, seeker: SeekerProfile, count: int, exclude: Collection[int] = ()) -> Ranking:
        """The ``count`` best mentors for ``seeker``, best first, leaving out ``exclude`` (ids).

        Scores are :meth:`Scorer.total`; ties go to the display name ignoring case, then id.
        """
        if count <= 0 or not self._ids:
            return Ranking((), ())
        scorer = Scorer(seeker, now=self._now)
        detail, top_detail = self._detail_points(scorer, seeker)
        primary = self._primary(scorer, seeker)
        skip = {self._position[m] for m in exclude if m in self._position}
        shared, in_area = primary.shared, primary.in_area

        def area_only(i: int) -> bool:
            return i in shared or i in skip

        def rest(i: int) -> bool:
            return i in shared or i in in_area or i in skip

        found: list[Place] = []
        for level, tier in primary.levels:
            if len(found) >= count and level + top_detail < -found[count - 1][0]:
                break  # nobody from here down can reach the last place
            group_of = self._group_of
            places = [(-(level + detail[group_of[i]]), i) for i in tier if i not in skip]
            if in_area and level == primary.area_points:
                places += _by_group(level, detail, primary.area_members, area_only, count)
            if level == 0:
                places += _by_group(level, detail, self._members, rest, count)
            found = heapq.nsmallest(count, [*found, *places])
        return Ranking((self._ids[i] for _n, i in found), (-negative for negative, _i in found))

    def _primary(self, scorer: Scorer, seeker: SeekerProfile) -> _Primary:
        """The tiers for the seeker's interests and area, shared by every seeker with the same."""
        key = (tuple(sorted(scorer.wanted_tags)), seeker.functional_area)
        if (cached := self._primaries.get(key)) is not None:
            self._primaries.move_to_end(key)
            return cached
        shared: Counter[int] = Counter()
        for tag in scorer.wanted_tags:
            if (posting := self._postings.get(tag)) is not None:
                shared.update(posting)
        area_points = 0
        in_area: frozenset[int] = frozenset()
        area_members: list[list[int]] = []
        for area, ids in self._areas.items():
            if not (points := scorer.area_points(area)):
                continue
            if not area_members:
                area_points, in_area, area_members = points, ids, self._area_members[area]
            else:  # several spellings of the seeker's area ("Data", "data "): merge them
                in_area |= ids
                area_members = [
                    list(heapq.merge(mine, theirs))
                    for mine, theirs in zip(area_members, self._area_members[area], strict=True)
                ]
        tiers: defaultdict[int, list[int]] = defaultdict(list)
        expertise = [scorer.expertise_points(n) for n in range(max(shared.values(), default=0) + 1)]
        for i, n in shared.items():
            tiers[expertise[n] + (area_points if i in in_area else 0)].append(i)
        # Every level of primary points: the tiers, the area without a shared tag, and 0.
        levels = set(tiers) | {0} | ({area_points} if in_area else set())
        primary = _Primary(
            levels=tuple((level, tiers.get(level, [])) for level in sorted(levels, reverse=True)),
            shared=shared,
            area_points=area_points,
            in_area=in_area,
            area_members=area_members,
        )
        self._primaries[key] = primary
        if len(self._primaries) > PRIMARY_CACHE:
            self._primaries.popitem(last=False)
        return primary

    def _detail_points(self, scorer: Scorer, seeker: SeekerProfile) -> tuple[list[int], int]:
        """Timezone, language, location and slot points of each group; the highest of them."""
        key = (seeker.tz, seeker.languages, seeker.location)
        cached = self._details.get(key)
        if cached is None:
            points = [
                scorer.tz_points(tz)
                + scorer.language_points(languages)
                + scorer.location_points(location)
                + scorer.slot_points(1 if has_slot else 0)
                for (tz, languages, location), has_slot in self._groups
            ]
            cached = self._details[key] = (points, max(points, default=0))
        return cached


def _by_group(
    level: int,
    detail: Sequence[int],
    members: Sequence[list[int]],
    leave_out: Callable[[int], bool],
    count: int,
) -> list[Place]:
    """The first ``count`` of ``members`` (positions per group) not left out, best first.

    Groups are walked best detail points first; within equal points, positions are merged in
    order, so the places come out sorted.
    """
    by_points: defaultdict[int, list[list[int]]] = defaultdict(list)
    for group, positions in enumerate(members):
        if positions:
            by_points[detail[group]].append(positions)
    places: list[Place] = []
    for points in sorted(by_points, reverse=True):
        for i in heapq.merge(*by_points[points]):
            if not leave_out(i):
                places.append((-(level + points), i))
                if len(places) >= count:
                    return places
    return places
