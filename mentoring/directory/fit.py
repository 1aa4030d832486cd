"""How well two members fit, and how busy mentors are: shared by the admin tools.

The directory ranks every mentor for one searcher from its in-memory index
(mentoring.directory.scan); the admin queue, pushed recommendations and mentor offers score a
handful of known pairs instead, with the very same :class:`Scorer`, from read models.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.core.views import MemberView
from mentoring.directory.matching import MatchScore, MentorProfile, Scorer, SeekerProfile
from store.enums import RelationshipStatus
from store.models import Relationship


def seeker_of(mentee: MemberView) -> SeekerProfile:
    """The mentee's side of the match score."""
    return SeekerProfile(
        interests=mentee.interests,
        functional_area=mentee.functional_area,
        tz=mentee.tz,
        languages=mentee.languages,
        location=mentee.location,
    )


def mentor_profile_of(mentor: MemberView, open_slots: int) -> MentorProfile:
    """The mentor's side of the match score."""
    return MentorProfile(
        expertise=mentor.expertise,
        functional_area=mentor.functional_area,
        tz=mentor.tz,
        languages=mentor.languages,
        location=mentor.location,
        open_slots=open_slots,
    )


def pair_score(
    mentee: MemberView, mentor: MemberView, *, open_slots: int, now: datetime
) -> MatchScore:
    """The match score the mentee would see for this mentor in the directory."""
    return Scorer(seeker_of(mentee), now=now).explain(mentor_profile_of(mentor, open_slots))


class MenteeScorer:
    """Scores many mentees for one mentor: each the score that mentee would see for the mentor.

    :func:`pair_score` prepares the mentee's side of a :class:`Scorer` for every pair, which is
    most of the work when a mentor browses thousands of mentees. Each factor depends on one
    attribute of the mentee only (interests, area, timezone, languages, location), and mentees
    share few distinct values of each, so this scores each factor once per distinct value,
    with the same Scorer methods on a mentee holding only that attribute: :meth:`total` always
    equals ``pair_score(...).total``.
    """

    def __init__(self, mentor: MemberView, *, open_slots: int, now: datetime) -> None:
        self._mentor = mentor_profile_of(mentor, open_slots)
        self._now = now
        self._tags: dict[tuple[str, ...], int] = {}
        self._areas: dict[str | None, int] = {}
        self._zones: dict[str, int] = {}
        self._languages: dict[tuple[str, ...], int] = {}
        self._locations: dict[str | None, int] = {}

    def _seeker(self, profile: SeekerProfile) -> Scorer:
        return Scorer(profile, now=self._now)

    def total(
        self,
        *,
        interests: tuple[str, ...],
        functional_area: str | None,
        tz: str,
        languages: tuple[str, ...],
        location: str | None,
    ) -> int:
        """The mentee's score for this mentor, from 0 to 100."""
        m = self._mentor
        tags = self._tags.get(interests)
        if tags is None:
            scorer = self._seeker(SeekerProfile(interests=interests))
            tags = self._tags[interests] = scorer.expertise_points(
                len(scorer.shared_tags(m.expertise))
            )
        area = self._areas.get(functional_area)
        if area is None:
            area = self._areas[functional_area] = self._seeker(
                SeekerProfile(functional_area=functional_area)
            ).area_points(m.functional_area)
        zone = self._zones.get(tz)
        if zone is None:
            zone = self._zones[tz] = self._seeker(SeekerProfile(tz=tz)).tz_points(m.tz)
        spoken = self._languages.get(languages)
        if spoken is None:
            spoken = self._languages[languages] = self._seeker(
                SeekerProfile(languages=languages)
            ).language_points(m.languages)
        place = self._locations.get(location)
        if place is None:
            place = self._locations[location] = self._seeker(
                SeekerProfile(location=location)
            ).location_points(m.location)
        return tags + area + zone + spoken + place + Scorer.slot_points(m.open_slots)


def active_mentees(session: Session, mentor_ids: Iterable[int]) -> dict[int, int]:
    """Active relationships per mentor (mentors with none are left out)."""
    ids = sorted(set(mentor_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Relationship.mentor_id, func.count())
        .where(Relationship.mentor_id.in_(ids), Relationship.status == RelationshipStatus.ACTIVE)
        .group_by(Relationship.mentor_id)
    )
    return {mentor_id: int(count) for mentor_id, count in rows}


def open_slots(mentor: MemberView, active: int) -> int:
    """Seats a mentor has left; never negative (capacity may be lowered below the load)."""
    return max(0, mentor.mentor_capacity - active)
