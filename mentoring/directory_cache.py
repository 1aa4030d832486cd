"""An in-memory snapshot of a workspace's mentors, so a search does not rank them in SQL.

Ranking in SQL costs every candidate an index walk per count on each search (about 130 ms for
an unfiltered search over 10,000 mentors on SQLite, docs/benchmarks.md). The snapshot holds
what ranking needs for every mentor of a workspace and is rebuilt only when the workspace
changed: every change the product makes writes an audit event in the same transaction, so the
newest event id of the workspace is its version. A search then costs one indexed ``max(id)``
lookup plus plain Python over the snapshot, scoring exactly only the mentors whose score bound
can still reach the page (the same bound-then-exact loop as :mod:`mentoring.ranking`).

One :class:`DirectoryCache` lives in each process (the app owns it); without one, a search
builds a snapshot for itself.
"""

from __future__ import annotations

import threading
from bisect import insort
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.matching import MentorProfile, Scorer
from mentoring.ranking import Candidate, Ranked, rank_key
from store.enums import RelationshipStatus
from store.models import Event, Member, Relationship


@dataclass(frozen=True, slots=True)
class Entry:
    """One mentor as the directory ranks them."""

    id: int
    name: str  # case-folded, for ties
    area: str | None
    tz: str
    capacity: int
    active: int
    paused_until: datetime | None
    gender: str | None  # lower-cased, like the SQL filters
    location_folded: str | None
    search_text: str
    tags: frozenset[str]  # lower-cased
    expertise: tuple[str, ...]
    languages: tuple[str, ...]
    location: str | None

    def profile(self) -> MentorProfile:
        open_slots = max(0, self.capacity - self.active)
        return MentorProfile(
            self.expertise, self.area, self.tz, self.languages, self.location, open_slots
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    version: int
    entries: tuple[Entry, ...]


class DirectoryCache:
    """The newest snapshot of each workspace's mentors (thread-safe)."""

    def __init__(self) -> None:
        self._snapshots: dict[str, Snapshot] = {}
        self._lock = threading.Lock()

    def snapshot(self, session: Session, team_id: str) -> Snapshot:
        version = workspace_version(session, team_id)
        with self._lock:
            cached = self._snapshots.get(team_id)
        if cached is not None and cached.version == version:
            return cached
        fresh = build_snapshot(session, team_id, version)
        with self._lock:
            self._snapshots[team_id] = fresh
        return fresh


def workspace_version(session: Session, team_id: str) -> int:
    """The workspace's newest event id: it moves with every change the product makes."""
    return session.scalar(select(func.max(Event.id)).where(Event.team_id == team_id)) or 0


def build_snapshot(session: Session, team_id: str, version: int) -> Snapshot:
    active = dict(
        session.execute(
            select(Relationship.mentor_id, func.count())
            .where(
                Relationship.team_id == team_id,
                Relationship.status == RelationshipStatus.ACTIVE,
            )
            .group_by(Relationship.mentor_id)
        ).all()
    )
    rows = session.execute(
        select(
            Member.id,
            Member.display_name,
            Member.functional_area,
            Member.tz,
            Member.mentor_capacity,
            Member.paused_until,
            Member.gender,
            Member.location,
            Member.search_text,
            Member.expertise,
            Member.languages,
        ).where(Member.team_id == team_id, Member.is_mentor.is_(True))
    )
    entries = tuple(
        Entry(
            id=id_,
            name=name.casefold(),
            area=area,
            tz=tz,
            capacity=capacity,
            active=active.get(id_, 0),
            paused_until=paused_until,
            gender=gender.lower() if gender else None,
            location_folded=location.lower() if location else None,
            search_text=search_text,
            tags=frozenset(t.lower() for t in expertise),
            expertise=tuple(expertise),
            languages=tuple(languages),
            location=location,
        )
        for (
            id_,
            name,
            area,
            tz,
            capacity,
            paused_until,
            gender,
            location,
            search_text,
            expertise,
            languages,
        ) in rows
    )
    return Snapshot(version, entries)


def rank(entries: list[Entry], scorer: Scorer, count: int) -> list[Ranked]:
    """The best ``count`` entries by match score (ties: name, then id), scoring few exactly.

    Every entry gets a cheap upper bound (exact for expertise, area, timezone and open slots,
    the most language and location could add); entries are visited best bound first and scored
    exactly until the next bound cannot reach the last place.
    """
    wanted = frozenset(scorer.wanted_tags)
    extra = scorer.detail_bound

    def bound(e: Entry) -> int:
        return (
            scorer.expertise_points(len(e.tags & wanted) if wanted else 0)
            + scorer.area_points(e.area)
            + scorer.tz_points(e.tz)
            + scorer.slot_points(e.capacity - e.active)
            + extra
        )

    bounded = sorted(((bound(e), e) for e in entries), key=lambda pair: -pair[0])
    done: list[Ranked] = []  # kept sorted by rank_key, at most ``count`` long
    for limit, entry in bounded:
        # Scores are integers: a bound below the last place cannot reach it; an equal one
        # might, by tying and winning on name.
        if len(done) >= count and limit < done[-1].value:
            break
        profile = entry.profile()
        total = scorer.total(profile)
        candidate = Candidate(
            entry.id, entry.area, entry.tz, entry.capacity, entry.active, 0, limit, 0
        )
        insort(done, Ranked(candidate, profile, total, total, entry.name), key=rank_key)
        del done[count:]
    return done
