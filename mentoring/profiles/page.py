"""Everything a member's full profile shows to another member, gathered in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mentoring.core.errors import NotFound
from mentoring.core.members import active_as_mentor, find_member, get_members
from mentoring.core.views import MemberView, RelationshipView
from mentoring.directory.stats import response_times
from mentoring.meetings.asking import may_request_meeting
from mentoring.program.settings import get_settings
from mentoring.relationships.closure import MentorRatings, mentor_ratings
from mentoring.relationships.goals import GoalView, goals_of
from mentoring.relationships.lifecycle import relationships_of


@dataclass(frozen=True, slots=True)
class ProfileRelationship:
    """A current relationship shown on a profile; ``as_mentor``: the profile's owner mentors."""

    relationship: RelationshipView
    other: MemberView
    as_mentor: bool
    goals: tuple[GoalView, ...] = ()


@dataclass(frozen=True, slots=True)
class ProfilePage:
    member: MemberView
    open_slots: int | None  # mentors only: capacity left
    response_time: timedelta | None  # mentors only: typical time to answer a request
    relationships: tuple[ProfileRelationship, ...]  # active, not hidden from profile
    can_request_meeting: bool  # the viewer may ask this mentor for a one-time meeting
    is_self: bool
    # Mentors only, when the program makes ratings public: what former mentees rated them.
    ratings: MentorRatings | None = None


def profile_page(
    *, session: Session, team_id: str, slack_user_id: str, viewer_user_id: str, now: datetime
) -> ProfilePage:
    """The whole profile of ``slack_user_id`` as ``viewer_user_id`` sees it.

    Relationships the pair chose to hide from profiles are left out.

    Raises:
        NotFound: the person has not joined the program.
    """
    member = find_member(session, team_id, slack_user_id)
    if member is None:
        raise NotFound("That person hasn't joined the mentoring program.")
    rels = relationships_of(
        session=session, team_id=team_id, member_id=member.id, include_hidden=False
    )
    people = get_members(
        session=session,
        team_id=team_id,
        ids={r.mentor_id for r in rels} | {r.mentee_id for r in rels},
    )
    goals = goals_of(session, [r.id for r in rels])
    shown = tuple(
        ProfileRelationship(
            r,
            people[r.mentee_id if r.mentor_id == member.id else r.mentor_id],
            r.mentor_id == member.id,
            goals.get(r.id, ()),
        )
        for r in rels
    )
    open_slots = response_time = None
    if member.is_mentor:
        open_slots = max(member.mentor_capacity - active_as_mentor(session, member.id), 0)
        response_time = response_times(session=session, mentor_ids=[member.id]).get(member.id)
    is_self = viewer_user_id == slack_user_id
    # The same rules the meeting form checks (roles, pause, recommendations-only directory).
    can_meet = member.is_mentor and may_request_meeting(
        session=session,
        team_id=team_id,
        mentee_user_id=viewer_user_id,
        mentor_user_id=slack_user_id,
        now=now,
    )
    ratings = None
    if member.is_mentor and get_settings(session=session, team_id=team_id).ratings_public:
        ratings = mentor_ratings(session, team_id, member.id)
    return ProfilePage(
        MemberView.of(member), open_slots, response_time, shown, can_meet, is_self, ratings
    )
