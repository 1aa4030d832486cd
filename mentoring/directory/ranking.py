"""The directory's ranking machinery: one SQL statement that bounds every candidate's score,
and a loop that scores exactly only the head of that ranking.

A broad filter over 100,000 mentors leaves tens of thousands of candidates, and on SQLite every
row handed to Python costs microseconds (``bench/search.py``, docs/benchmarks.md). So:

1. :func:`ranking_query` filters in SQL; the covering index ``ix_members_directory_scan``
   supplies each candidate's area, timezone and capacity without reading the wide member rows,
   and correlated counts add active mentees, shared wanted tags and (for recommendations)
   pending requests, each through an index and in member-id order. The same statement adds
   up an upper bound of each score (exact points for expertise, area and open slots, a band's
   best for the timezone, the most language and location could add: tables from
   :class:`Scorer`, so the rules live in one place), counts the candidates and returns them
   best bound first.
2. :func:`top_ranked` reads that stream in chunks, loads name, expertise, languages and
   location for each chunk, scores it exactly with :meth:`Scorer.total`, and stops once the
   next bound cannot reach the last place asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import available_timezones

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    bindparam,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from mentoring.directory.matching import (
    MentorProfile,
    Scorer,
    fairness_penalty,
    zone_offset_minutes,
)
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, MemberTag, Relationship, Request

TZ_BANDS = (5, 10, 14, 15)  # upper ends of the timezone-point bands of the ranking bound
Ranking = Select[int, str | None, str, int, int, int, int, int]


class Candidate(NamedTuple):
    """A row of the ranking query: what is known about a mentor before loading details."""

    id: int
    area: str | None
    tz: str
    capacity: int
    active: int
    pending: int
    bound: int  # the most the mentor's rank value can be
    matches: int  # how many candidates there are in all (the same on every row)


@dataclass(slots=True)
class Ranked:
    candidate: Candidate
    profile: MentorProfile
    total: int
    value: int  # what ranks: the total, less the fairness penalty for recommendations
    name: str


def rank_key(r: Ranked) -> tuple[int, int, str, int]:
    return (-r.value, -r.total, r.name, r.candidate.id)


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    # Every zone a profile can hold (enrollment validates with ZoneInfo); slow to list.
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=2)
def _zones_by_offset(minute: datetime) -> dict[int, tuple[str, ...]]:
    """Every zone grouped by its UTC offset at ``minute``.

    tzdata moves clocks on whole minutes, so one table per minute is exact, and a search
    then asks the scorer about a few dozen offsets instead of some 600 zone names.
    """
    groups: defaultdict[int, list[str]] = defaultdict(list)
    for zone in _zones():
        offset = zone_offset_minutes(zone, minute)
        if offset is not None:
            groups[offset].append(zone)
    return {offset: tuple(zones) for offset, zones in groups.items()}


def zone_groups(now: datetime) -> dict[int, tuple[str, ...]]:
    return _zones_by_offset(now.replace(second=0, microsecond=0))


def waiting_requests() -> tuple[ColumnElement[bool], ...]:
    # Requests that wait for the mentor's answer: offers the mentor made wait on the mentee.
    return (Request.status == RequestStatus.PENDING, Request.kind == RequestKind.MENTEE_REQUEST)


def ranking_query(
    where: Sequence[ColumnElement[bool]],
    *,
    scorer: Scorer,
    now: datetime,
    seeker_area: str | None,
    only_open: bool,
    with_pending: bool,
) -> Ranking:
    """The statement that lists candidates best score bound first.

    Args:
        where: the filters (team, role, pause, area, tags, text...) on ``Member``.
        scorer: scores for the seeker; supplies the point tables of the bound.
        now: the current time, for timezone offsets.
        seeker_area: the seeker's functional area, as stored (taxonomy spelling).
        only_open: leave out mentors at capacity.
        with_pending: count requests waiting for each mentor (recommendations need them).

    Returns:
        A statement yielding :class:`Candidate` rows, each bound at least the candidate's
        real rank value, and each carrying the number of candidates in all.
    """
    # Candidates in id order: the correlated counts below then walk their indexes (keyed by
    # member id) front to back instead of jumping around, which halved their cost at 100k.
    base = (
        select(Member.id, Member.functional_area, Member.tz, Member.mentor_capacity)
        .where(*where)
        .order_by(Member.id)
        .subquery("base")
    )
    active = (
        select(func.count())
        .select_from(Relationship)
        .where(
            Relationship.mentor_id == base.c.id, Relationship.status == RelationshipStatus.ACTIVE
        )
        .scalar_subquery()
    )
    pending = (
        select(func.count())
        .select_from(Request)
        .where(Request.mentor_id == base.c.id, *waiting_requests())
        .scalar_subquery()
    )
    # FILTER rather than WHERE tag IN (...): one index range per mentor instead of a seek per
    # wanted tag.
    shared = (
        select(func.count().filter(MemberTag.tag.in_(scorer.wanted_tags)))
        .where(MemberTag.member_id == base.c.id)
        .scalar_subquery()
    )
    # MATERIALIZED: each count runs once per candidate, then rows are filtered and sorted;
    # inlined, the counts would run again wherever the outer query mentions them.
    c = (
        select(
            base.c.id,
            base.c.functional_area.label("area"),
            base.c.tz,
            base.c.mentor_capacity.label("capacity"),
            active.label("active"),
            (pending if with_pending else literal(0)).label("pending"),
            (shared if scorer.wanted_tags else literal(0)).label("shared"),
        )
        .cte("candidates")
        .prefix_with("MATERIALIZED")
    )
    # Zones in a few bands, each counted at its best points: one IN probe per band and row
    # instead of one per distinct value, for a bound at most 4 points looser.
    zones_by_points: defaultdict[int, list[str]] = defaultdict(list)
    for offset, zones in zone_groups(now).items():
        if points := scorer.offset_points(offset):
            zones_by_points[next(b for b in TZ_BANDS if points <= b)].extend(zones)
    tag_points = {n: scorer.expertise_points(n) for n in range(1, len(scorer.wanted_tags) + 1)}
    bound = (
        (case(tag_points, value=c.c.shared, else_=0) if tag_points else literal(0))
        + (
            case((c.c.area == seeker_area, scorer.area_points(seeker_area)), else_=0)
            if seeker_area
            else literal(0)
        )
        + (
            case(
                *(
                    (c.c.tz.in_(bindparam(f"tz{p}", z, expanding=True, type_=String)), p)
                    for p, z in zones_by_points.items()
                ),
                else_=0,
            )
            if zones_by_points
            else literal(0)
        )
        + case((c.c.active < c.c.capacity, scorer.slot_points(1)), else_=scorer.slot_points(0))
        + scorer.detail_bound
    ).label("bound")
    stmt = select(
        c.c.id,
        c.c.area,
        c.c.tz,
        c.c.capacity,
        c.c.active,
        c.c.pending,
        bound,
        (
            select(func.count()).select_from(c).where(c.c.active < c.c.capacity)
            if only_open
            else select(func.count()).select_from(c)
        )
        .scalar_subquery()
        .label("matches"),
    )
    if only_open:
        stmt = stmt.where(c.c.active < c.c.capacity)
    return stmt.order_by(bound.desc())


def top_ranked(
    session: Session,
    stmt: Ranking,
    scorer: Scorer,
    count: int,
    *,
    fair: bool = False,
) -> tuple[list[Ranked], int]:
    """The best ``count`` candidates of ``stmt`` in rank order, and how many there are.

    Ranking is by value (the match score, less the fairness penalty when ``fair``), then
    score, then display name ignoring case, then member id.
    """
    done: list[Ranked] = []
    matches = 0
    chunk = 4 * count + 20
    # Core execution: plain rows, read lazily in bound order.
    result = session.connection().execute(stmt)
    while batch := [Candidate(*row) for row in result.fetchmany(chunk)]:
        matches = batch[0].matches
        # Scores are integers: a bound below the current last place can never reach it, while
        # an equal bound might, by tying and winning on name.
        if len(done) >= count and batch[0].bound < done[count - 1].value:
            break
        by_id = {c.id: c for c in batch}
        details = select(
            Member.id, Member.display_name, Member.expertise, Member.languages, Member.location
        ).where(Member.id.in_(by_id))
        for id_, name, expertise, languages, location in session.connection().execute(details):
            c = by_id[id_]
            open_slots = max(0, c.capacity - c.active)
            profile = MentorProfile(
                tuple(expertise), c.area, c.tz, tuple(languages), location, open_slots
            )
            total = scorer.total(profile)
            penalty = fairness_penalty(active=c.active, capacity=c.capacity, pending=c.pending)
            done.append(
                Ranked(c, profile, total, total - penalty if fair else total, name.casefold())
            )
        done.sort(key=rank_key)
        del done[count:]
        chunk = min(2 * chunk, 2000)
    result.close()
    return done, matches
