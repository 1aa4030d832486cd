"""The match score: how well a mentor fits the person looking, 0-100, with readable reasons.

Pure functions of two small profiles and the current time; no database. The weights add up to
100 so a mentee can read the score as a percentage:

=========================  ======  ==========================================================
factor                     points  how
=========================  ======  ==========================================================
shared expertise           0-45    tags the seeker wants (their interests plus the tags they
                                   filtered by) that the mentor offers; 3 shared tags, or all
                                   of them when fewer are wanted, earn the full 45
same functional area       20      case-insensitive
timezone proximity         0-15    full at 0h apart, falling linearly to 0 at 8h or more,
                                   using each zone's UTC offset at ``now`` (DST moves it)
shared language            10      at least one language in common
same location              5       case-insensitive
open slots                 5       the mentor can take another mentee now
=========================  ======  ==========================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TAG_POINTS = 45
TAGS_FOR_FULL_POINTS = 3
AREA_POINTS = 20
TZ_POINTS = 15
TZ_ZERO_AT_MINUTES = 8 * 60
LANGUAGE_POINTS = 10
LOCATION_POINTS = 5
OPEN_SLOT_POINTS = 5
# Recommendation fairness (see fairness_penalty).
LOAD_PENALTY = 15
BACKLOG_PENALTY = 5
BACKLOG_CAP = 4
MAX_SCORE = (
    TAG_POINTS + AREA_POINTS + TZ_POINTS + LANGUAGE_POINTS + LOCATION_POINTS + OPEN_SLOT_POINTS
)


@dataclass(frozen=True, slots=True)
class SeekerProfile:
    """What the score needs to know about the person looking for a mentor."""

    interests: tuple[str, ...] = ()
    functional_area: str | None = None
    tz: str = "UTC"
    languages: tuple[str, ...] = ()
    location: str | None = None


@dataclass(frozen=True, slots=True)
class MentorProfile:
    """What the score needs to know about a mentor."""

    expertise: tuple[str, ...] = ()
    functional_area: str | None = None
    tz: str = "UTC"
    languages: tuple[str, ...] = ()
    location: str | None = None
    open_slots: int = 0


@dataclass(frozen=True, slots=True)
class MatchFactor:
    """One line of the explanation: a sentence for the mentee and the points it earned."""

    label: str
    points: int
    # True for the open-slots factor: it is about the directory, not about the two people.
    availability: bool = False


@dataclass(frozen=True, slots=True)
class MatchScore:
    """A total from 0 to 100 and the factors it is made of."""

    total: int
    factors: tuple[MatchFactor, ...]

    @property
    def reasons(self) -> list[str]:
        """The factors as sentences, in the order a mentee should read them."""
        return [factor.label for factor in self.factors]


def zone_offset_minutes(tz_name: str, now: datetime) -> int | None:
    """The zone's offset from UTC at ``now`` in minutes, or ``None`` for an unknown zone."""
    try:
        offset = now.astimezone(_zone(tz_name)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return None if offset is None else int(offset.total_seconds()) // 60


@lru_cache(maxsize=4096)
def utc_offset_minutes(tz_name: str, now: datetime) -> int | None:
    """:func:`zone_offset_minutes`, cached per zone and instant.

    Keyed by the instant as well as the name because the offset of a DST zone changes twice a
    year; within one search every call shares the same ``now``, so the cache still hits.
    """
    return zone_offset_minutes(tz_name, now)


@lru_cache(maxsize=1024)
def _zone(tz_name: str) -> ZoneInfo:
    # ZoneInfo only caches zones someone still holds; without this, asking about every zone
    # (as the directory does once a minute) would read ~600 tzdata files from disk again.
    return ZoneInfo(tz_name)


def _tz_points(gap_minutes: int) -> int:
    remaining = max(0, TZ_ZERO_AT_MINUTES - gap_minutes)
    # Round half up in integers, so the same gap always gives the same points.
    return (TZ_POINTS * remaining * 2 + TZ_ZERO_AT_MINUTES) // (2 * TZ_ZERO_AT_MINUTES)


def _format_gap(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours}h"
    return f"{hours}h {rest}m" if hours else f"{rest}m"


def _fold(value: str | None) -> str | None:
    return value.strip().casefold() if value and value.strip() else None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class Scorer:
    """Scores many mentors against one seeker, preparing the seeker's side once.

    Each factor has its own method so the directory can rank a large candidate set in stages:
    mentoring.directory.scan turns the point tables into arrays over every indexed mentor, and
    the page is scored exactly. :meth:`total` and
    :meth:`explain` add up the very same methods, so a ranked total always equals the explained
    one. Per-value results are memoised: a search asks about the same few values many times.
    """

    def __init__(
        self, seeker: SeekerProfile, *, now: datetime, wanted_tags: Iterable[str] = ()
    ) -> None:
        # Tags the seeker filtered by come first: they are what the seeker asked for just now.
        # Lower-cased like MemberTag.tag, so SQL and Python agree on what "shared" means.
        wanted = dict.fromkeys(t.strip().lower() for t in (*wanted_tags, *seeker.interests))
        wanted.pop("", None)
        self.wanted_tags = tuple(wanted)
        self._wanted_rank = {tag: i for i, tag in enumerate(wanted)}
        self._area = _fold(seeker.functional_area)
        self._languages = frozenset(filter(None, map(_fold, seeker.languages)))
        self._location = _fold(seeker.location)
        self._now = now
        self._offset = utc_offset_minutes(seeker.tz, now)
        self._gaps: dict[str, int | None] = {}
        self._area_memo: dict[str | None, int] = {}
        self._tz_memo: dict[str, int] = {}

    @property
    def detail_bound(self) -> int:
        """The most :meth:`language_points` and :meth:`location_points` can add together.

        The directory knows every other factor before loading a mentor's details; this bounds
        the rest, so it only loads the details of mentors who could still make the page.
        """
        return (LANGUAGE_POINTS if self._languages else 0) + (
            LOCATION_POINTS if self._location else 0
        )

    def shared_tags(self, expertise: Iterable[str]) -> list[str]:
        """The mentor's tags the seeker wants, in the mentor's spelling, most wanted first."""
        rank = self._wanted_rank
        return sorted((t for t in expertise if t.lower() in rank), key=lambda t: rank[t.lower()])

    def expertise_points(self, shared: int) -> int:
        """Points for ``shared`` wanted tags: all 45 at 3, or at every wanted tag if fewer."""
        wanted = len(self.wanted_tags)
        if not shared or not wanted:
            return 0
        needed = min(wanted, TAGS_FOR_FULL_POINTS)
        return TAG_POINTS * min(shared, needed) // needed

    def area_points(self, area: str | None) -> int:
        """20 when the mentor works in the seeker's functional area."""
        try:
            return self._area_memo[area]
        except KeyError:
            points = AREA_POINTS if self._area is not None and _fold(area) == self._area else 0
            self._area_memo[area] = points
            return points

    def gap_to_offset(self, offset: int | None) -> int | None:
        """Minutes between the seeker's UTC offset now and ``offset`` (``None``: unknown)."""
        return None if offset is None or self._offset is None else abs(offset - self._offset)

    def tz_gap_minutes(self, tz_name: str) -> int | None:
        """Minutes between the seeker's and this zone's UTC offsets now (``None``: unknown)."""
        try:
            return self._gaps[tz_name]
        except KeyError:
            gap = self._gaps[tz_name] = self.gap_to_offset(utc_offset_minutes(tz_name, self._now))
            return gap

    def offset_points(self, offset: int | None) -> int:
        """Timezone points for a mentor whose zone is ``offset`` minutes from UTC now."""
        gap = self.gap_to_offset(offset)
        return 0 if gap is None else _tz_points(gap)

    def tz_points(self, tz_name: str) -> int:
        """15 in the same offset, falling linearly to 0 at 8 hours apart."""
        try:
            return self._tz_memo[tz_name]
        except KeyError:
            gap = self.tz_gap_minutes(tz_name)
            points = self._tz_memo[tz_name] = 0 if gap is None else _tz_points(gap)
            return points

    def language_points(self, languages: Iterable[str]) -> int:
        """10 when the mentor speaks one of the seeker's languages."""
        if self._languages and any(_fold(lang) in self._languages for lang in languages):
            return LANGUAGE_POINTS
        return 0

    def location_points(self, location: str | None) -> int:
        """5 when the mentor is in the seeker's location."""
        return LOCATION_POINTS if self._location and _fold(location) == self._location else 0

    @staticmethod
    def slot_points(open_slots: int) -> int:
        """5 when the mentor can take another mentee now."""
        return OPEN_SLOT_POINTS if open_slots > 0 else 0

    def total(self, mentor: MentorProfile) -> int:
        """The mentor's score from 0 to 100."""
        return (
            self.expertise_points(len(self.shared_tags(mentor.expertise)))
            + self.area_points(mentor.functional_area)
            + self.tz_points(mentor.tz)
            + self.language_points(mentor.languages)
            + self.location_points(mentor.location)
            + self.slot_points(mentor.open_slots)
        )

    def explain(self, mentor: MentorProfile) -> MatchScore:
        """The mentor's score with one readable factor per thing that counted."""
        factors: list[MatchFactor] = []
        shared = self.shared_tags(mentor.expertise)
        if shared:
            label = f"Shares {_plural(len(shared), 'expertise tag')}: {', '.join(shared)}"
            factors.append(MatchFactor(label, self.expertise_points(len(shared))))
        if area_points := self.area_points(mentor.functional_area):
            label = f"Same functional area: {mentor.functional_area}"
            factors.append(MatchFactor(label, area_points))
        gap = self.tz_gap_minutes(mentor.tz)
        if gap is not None:
            label = "Same timezone" if gap == 0 else f"{_format_gap(gap)} timezone apart"
            # A large gap earns nothing but is still worth saying: calls will be hard to fit.
            factors.append(MatchFactor(label, self.tz_points(mentor.tz)))
        if self.language_points(mentor.languages):
            spoken = [lang for lang in mentor.languages if _fold(lang) in self._languages]
            factors.append(MatchFactor(f"Speaks {', '.join(spoken)}", LANGUAGE_POINTS))
        if self.location_points(mentor.location):
            factors.append(MatchFactor(f"Also in {mentor.location}", LOCATION_POINTS))
        if mentor.open_slots > 0:
            label = f"{_plural(mentor.open_slots, 'open slot')}"
            factors.append(MatchFactor(label, self.slot_points(mentor.open_slots), True))
        else:
            factors.append(MatchFactor("No open slots right now", 0, True))
        return MatchScore(total=sum(f.points for f in factors), factors=tuple(factors))


def fairness_penalty(*, active: int, capacity: int, pending: int) -> int:
    """Points a recommendation ranks lower by because the mentor is already busy.

    ``round(15 * active / capacity) + 5 * min(pending, 4)``, so from 0 to 35:

    * load: a mentor with 2 of 3 seats taken loses 10, one with 0 of 3 loses nothing. Filling a
      mentor's last seat should not be the first thing the program suggests when others are free.
    * backlog: each request waiting for the mentor's answer costs 5, up to 4 of them (20). A
      mentor sitting on several unanswered requests is unlikely to answer one more soon, and
      sending more mentees there only grows the queue.

    It decides the order of recommendations only; the match score shown stays the fit itself.

    Args:
        active: the mentor's active mentoring relationships.
        capacity: how many mentees the mentor takes at most (at least 1).
        pending: mentee requests waiting for the mentor's answer.
    """
    load = round(LOAD_PENALTY * min(active, capacity) / max(capacity, 1))
    return load + BACKLOG_PENALTY * min(pending, BACKLOG_CAP)


def score(
    seeker: SeekerProfile,
    mentor: MentorProfile,
    *,
    now: datetime,
    wanted_tags: Iterable[str] = (),
) -> MatchScore:
    """How well ``mentor`` fits ``seeker`` at ``now``, with the reasons.

    Args:
        seeker: the person looking (a mentee, or any member browsing the directory).
        mentor: the mentor being considered.
        now: the current time; timezone offsets are taken at this instant.
        wanted_tags: expertise tags the seeker filtered by, counted like their interests.

    Returns:
        The total (0-100) and its factors, each with a sentence a mentee can read.
    """
    return Scorer(seeker, now=now, wanted_tags=wanted_tags).explain(mentor)
