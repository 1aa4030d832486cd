"""How well two members fit, and how busy mentors are: shared by the admin tools.

The directory ranks mentors for one searcher in SQL (mentoring.ranking); the admin queue,
pushed recommendations and mentor offers score a handful of known pairs instead, with the
very same :class:`Scorer`, from read models.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.matching import MatchScore, MentorProfile, Scorer, SeekerProfile
from mentoring.views import MemberView
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
