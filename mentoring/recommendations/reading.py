"""What a push reads: the mentees looking, the mentors who may be recommended (with their open
slots), the pairs already asked, and what each mentee was recommended last time."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Text, func, or_, select
from sqlalchemy.orm import Session

from mentoring.core.prebuilt import run
from mentoring.directory.matching import MentorProfile, SeekerProfile
from mentoring.recommendations.mentor_pool import PoolMentor
from store.enums import RelationshipStatus, RequestStatus
from store.models import Member, Recommendation, Relationship, Request
from store.types import json_list

T = TypeVar("T")


def looking(session: Session, team_id: str, area: str | None) -> dict[int, SeekerProfile]:
    """Enrolled mentees without an active mentor (in ``area``), by member id."""
    has_mentor = select(Relationship.mentee_id).where(
        Relationship.team_id == team_id, Relationship.status == RelationshipStatus.ACTIVE
    )
    query = select(
        Member.id,
        Member.interests.cast(Text),
        Member.functional_area,
        Member.tz,
        Member.languages.cast(Text),
        Member.location,
    ).where(Member.team_id == team_id, Member.is_mentee.is_(True), Member.id.not_in(has_mentor))
    if area is not None:
        query = query.where(Member.functional_area == area)
    share, listed = sharing(), functools.cache(json_list)
    # Core rows (no ORM loading), the JSON lists as the database stored them: a large push
    # reads 100,000s of rows whose lists repeat, each distinct one decoded once.
    return {
        id_: share(
            SeekerProfile(
                listed(interests),
                share(functional_area),
                share(tz),
                listed(languages),
                share(location),
            )
        )
        for id_, interests, functional_area, tz, languages, location in run(
            session, query.order_by(Member.id), {}
        )
    }


def sharing() -> Callable[[T], T]:
    """A function returning one shared copy of each distinct value it is given.

    A large push reads 100,000s of profiles whose timezones, areas and tag lists repeat: one
    copy of each saves most of the memory the rows would take.
    """
    seen: dict[Any, Any] = {}

    def share(value: T) -> T:
        return cast(T, seen.setdefault(value, value))

    return share


def available(
    session: Session, team_id: str, now: datetime
) -> tuple[list[PoolMentor], dict[int, int]]:
    """Mentors who may be recommended (not paused, an open slot), and their open slots."""
    active = (
        select(Relationship.mentor_id, func.count())
        .where(Relationship.team_id == team_id, Relationship.status == RelationshipStatus.ACTIVE)
        .group_by(Relationship.mentor_id)
    )
    loads: dict[int, int] = dict(session.execute(active).all())
    query = select(
        Member.id,
        Member.display_name,
        Member.expertise.cast(Text),
        Member.functional_area,
        Member.tz,
        Member.languages.cast(Text),
        Member.location,
        Member.mentor_capacity,
    ).where(
        Member.team_id == team_id,
        Member.is_mentor.is_(True),
        or_(Member.paused_until.is_(None), Member.paused_until <= now),
    )
    rows = run(session, query, {})
    mentors, slots = [], {}
    share, listed = sharing(), functools.cache(json_list)
    for id_, name, expertise, area, tz, languages, location, capacity in rows:
        # Never negative: capacity may have been lowered below the load.
        free = max(0, capacity - loads.get(id_, 0))
        if free > 0:
            profile = MentorProfile(
                listed(expertise),
                share(area),
                share(tz),
                listed(languages),
                share(location),
                free,
            )
            mentors.append(PoolMentor(id_, name, profile))
            slots[id_] = free
    return mentors, slots


def pending_pairs(session: Session, team_id: str) -> dict[int, set[int]]:
    """mentee -> mentors with a request, offer or preference waiting: not recommended."""
    pairs: defaultdict[int, set[int]] = defaultdict(set)
    rows = session.execute(
        select(Request.mentee_id, Request.mentor_id).where(
            Request.team_id == team_id, Request.status == RequestStatus.PENDING
        )
    )
    for mentee, mentor in rows:
        pairs[mentee].add(mentor)
    return pairs


def current_recommendations(session: Session, team_id: str) -> dict[int, tuple[int, ...]]:
    """mentee -> ids of their current recommendations, ascending."""
    found: defaultdict[int, list[int]] = defaultdict(list)
    rows = session.execute(
        select(Recommendation.mentee_id, Recommendation.id)
        .where(Recommendation.team_id == team_id, Recommendation.superseded_at.is_(None))
        .order_by(Recommendation.id)
    )
    for mentee, id_ in rows:
        found[mentee].append(id_)
    return {mentee: tuple(ids) for mentee, ids in found.items()}
