"""Mentors browsing the mentees still looking, best fit first (``/find-mentor mentees``).

Who is "still looking", how they are ranked and what a page holds are here; the rules of making
an offer are in :mod:`mentoring.offers.sending`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from mentoring.core import errors
from mentoring.core.members import active_as_mentor
from mentoring.core.views import MemberView
from mentoring.directory.fit import MenteeScorer, open_slots, pair_score
from mentoring.directory.matching import MatchScore
from mentoring.offers.sending import offers_waiting_from, require_offerer, require_offers_enabled
from mentoring.program.settings import get_settings
from store.enums import RelationshipStatus, RequestStatus
from store.models import Member, Relationship, Request
from store.types import json_list

MAX_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class MenteeMatch:
    """A mentee as a mentor browsing sees them: profile, fit, and whether an offer waits."""

    mentee: MemberView
    score: MatchScore
    waiting: bool  # a request or offer between the two is already pending


@dataclass(frozen=True, slots=True)
class MenteePage:
    results: tuple[MenteeMatch, ...]
    total: int
    page: int
    page_size: int
    open_slots: int  # the browsing mentor's open slots, less their offers waiting

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


def check_can_browse(*, session: Session, team_id: str, mentor_user_id: str) -> None:
    """Check, before opening the browse, that this person may offer (cheap: no ranking).

    Raises:
        NotAllowed: offers are turned off.
        NotEnrolled: the person browsing is not a mentor.
    """
    settings = get_settings(session=session, team_id=team_id)
    require_offers_enabled(settings)
    require_offerer(session, team_id, mentor_user_id, settings)


def mentees_looking(
    *,
    session: Session,
    team_id: str,
    mentor_user_id: str,
    now: datetime,
    functional_area: str | None = None,
    page: int = 1,
    page_size: int = 10,
) -> MenteePage:
    """Mentees who are still looking, best fit for this mentor first.

    "Still looking": enrolled as mentee, fewer active relationships than the program allows,
    and not already mentored by this mentor. Ranked by the match score the mentee would see
    for this mentor in the directory (the same Scorer, seen from the mentee's side), then by
    who enrolled first (they have waited longest), then by name.

    Every candidate is scored, from the few columns the score reads (:class:`MenteeScorer`);
    only the page shown is loaded whole and explained.

    Raises:
        NotAllowed: offers are turned off.
        NotEnrolled: the person browsing is not a mentor.
        InvalidInput: a bad page or page size.
    """
    settings = get_settings(session=session, team_id=team_id)
    require_offers_enabled(settings)
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise errors.InvalidInput(
            "Ask for a page from 1 and up to 20 people per page.", field="page"
        )
    mentor = require_offerer(session, team_id, mentor_user_id, settings)
    mentor_view = MemberView.of(mentor)
    slots = open_slots(mentor_view, active_as_mentor(session, mentor.id))
    active = (
        select(Relationship.mentee_id, func.count().label("n"))
        .where(Relationship.team_id == team_id, Relationship.status == RelationshipStatus.ACTIVE)
        .group_by(Relationship.mentee_id)
        .subquery()
    )
    mine = select(Relationship.mentee_id).where(
        Relationship.mentor_id == mentor.id, Relationship.status == RelationshipStatus.ACTIVE
    )
    query = (
        select(
            Member.id,
            # As stored: mentees share few distinct lists, each then decoded once (tags).
            cast(Member.interests, Text),
            Member.functional_area,
            Member.tz,
            cast(Member.languages, Text),
            Member.location,
            Member.enrolled_at,
            Member.display_name,
        )
        .outerjoin(active, active.c.mentee_id == Member.id)
        .where(
            Member.team_id == team_id,
            Member.is_mentee.is_(True),
            Member.id != mentor.id,
            Member.id.not_in(mine),
            func.coalesce(active.c.n, 0) < settings.max_active_relationships_per_mentee,
        )
    )
    if functional_area:
        query = query.where(Member.functional_area == functional_area)
    # Open slots count the same for every mentee: score as if the mentor had one, so the
    # order is about the two people.
    scorer = MenteeScorer(mentor_view, open_slots=1, now=now)
    tags = cache(json_list)  # for this browse only: each distinct list decoded once
    ranked = sorted(
        (
            -scorer.total(
                interests=tags(interests),
                functional_area=area,
                tz=tz,
                languages=tags(languages),
                location=location,
            ),
            enrolled_at,
            name,
            id_,
        )
        for id_, interests, area, tz, languages, location, enrolled_at, name in (
            session.connection().execute(query)
        )
    )
    start = (page - 1) * page_size
    shown = [row[-1] for row in ranked[start : start + page_size]]
    people = {
        m.id: MemberView.of(m) for m in session.scalars(select(Member).where(Member.id.in_(shown)))
    }
    waiting = set(
        session.scalars(
            select(Request.mentee_id).where(
                Request.mentor_id == mentor.id,
                Request.status == RequestStatus.PENDING,
                Request.mentee_id.in_(shown),
            )
        )
    )
    results = tuple(
        MenteeMatch(
            people[id_],
            pair_score(people[id_], mentor_view, open_slots=1, now=now),
            id_ in waiting,
        )
        for id_ in shown
    )
    return MenteePage(
        results=results,
        total=len(ranked),
        page=page,
        page_size=page_size,
        open_slots=max(0, slots - offers_waiting_from(session, mentor.id)),
    )
