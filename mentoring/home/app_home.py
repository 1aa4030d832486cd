"""Everything a member's App Home shows, gathered in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from mentoring.core.members import find_member, get_members
from mentoring.core.views import MemberView, RelationshipView, RequestView
from mentoring.directory.search import MentorMatch, recommend_mentors
from mentoring.program.settings import DirectoryMode, ProgramSettings, get_settings
from mentoring.recommendations.service import current_recommendations
from mentoring.relationships.goals import GoalView, goals_of
from mentoring.routing.queue import NOT_A_PREFERENCE, queue_summary
from mentoring.routing.submissions import Submission, latest_submission
from store.enums import OutboxStatus, RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, OutboxMessage, Relationship, Request

RECENT_ANSWERED = 5
RECENT_WINDOW = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class RequestLine:
    request: RequestView
    other: MemberView  # the person on the other side


@dataclass(frozen=True, slots=True)
class RelationshipLine:
    relationship: RelationshipView
    other: MemberView
    goals: tuple[GoalView, ...] = ()


@dataclass(frozen=True, slots=True)
class AdminSummary:
    pending_requests: int  # mentees' requests and mentors' offers (never preferences)
    active_relationships: int
    mentors: int
    mentees: int
    failed_notifications: int
    waiting_submissions: int = 0  # admin-routed submissions in the queue, each counted once


@dataclass(frozen=True, slots=True)
class HomeData:
    member: MemberView | None
    settings: ProgramSettings
    waiting_for_me: tuple[RequestLine, ...]  # requests I should answer
    sent: tuple[RequestLine, ...]  # my pending requests, then the last few answered
    as_mentor: tuple[RelationshipLine, ...]
    as_mentee: tuple[RelationshipLine, ...]
    recommendations: tuple[MentorMatch, ...]
    admin: AdminSummary | None
    # The mentee's latest ranked preferences for the admins (admin-routed matching).
    submission: Submission | None = None
    # True when the recommendations are an admin's push rather than computed for this view.
    recommended_by_admin: bool = False


def home_for(
    *, session: Session, team_id: str, slack_user_id: str, is_admin: bool, now: datetime
) -> HomeData:
    """Gather a member's Home: their requests, relationships, recommendations, admin summary."""
    settings = get_settings(session=session, team_id=team_id)
    admin = admin_summary(session, team_id) if is_admin else None
    member = find_member(session, team_id, slack_user_id)
    if member is None:
        return HomeData(None, settings, (), (), (), (), (), admin)
    me = member.id
    requests = session.scalars(
        select(Request)
        .where(Request.team_id == team_id, or_(Request.mentee_id == me, Request.mentor_id == me))
        .where(
            or_(
                Request.status == RequestStatus.PENDING,
                Request.answered_at >= now - RECENT_WINDOW,
            )
        )
        .order_by(Request.created_at.desc(), Request.id.desc())
        .limit(100)
    ).all()
    relationships = session.scalars(
        select(Relationship)
        .where(
            Relationship.team_id == team_id,
            Relationship.status == RelationshipStatus.ACTIVE,
            or_(Relationship.mentor_id == me, Relationship.mentee_id == me),
        )
        .order_by(Relationship.started_at)
    ).all()
    ids = {r.mentee_id for r in requests} | {r.mentor_id for r in requests}
    ids |= {r.mentee_id for r in relationships} | {r.mentor_id for r in relationships}
    people = get_members(session=session, team_id=team_id, ids=ids)

    waiting: list[RequestLine] = []
    sent_pending: list[RequestLine] = []
    sent_answered: list[RequestLine] = []
    for r in map(RequestView.of, requests):
        if r.kind is RequestKind.ADMIN_ROUTED:
            continue  # preferences are shown together as the submission, and mentors never see them
        if r.answerer_id == me and r.status is RequestStatus.PENDING:
            waiting.append(RequestLine(r, people[r.initiator_id]))
        elif r.initiator_id == me:
            line = RequestLine(r, people[r.answerer_id])
            (sent_pending if r.status is RequestStatus.PENDING else sent_answered).append(line)
    goals = goals_of(session, [r.id for r in relationships])
    as_mentor = tuple(
        RelationshipLine(RelationshipView.of(r), people[r.mentee_id], goals.get(r.id, ()))
        for r in relationships
        if r.mentor_id == me
    )
    as_mentee = tuple(
        RelationshipLine(RelationshipView.of(r), people[r.mentor_id], goals.get(r.id, ()))
        for r in relationships
        if r.mentee_id == me
    )
    recommendations: tuple[MentorMatch, ...] = ()
    pushed = False
    submission = None
    if member.is_mentee:
        submission = latest_submission(session=session, team_id=team_id, mentee_id=me, now=now)
    if member.is_mentee and len(as_mentee) < settings.max_active_relationships_per_mentee:
        recommendations = tuple(
            MentorMatch(r.mentor, r.score, r.active_mentees, r.open_slots, 0)
            for r in current_recommendations(
                session=session, team_id=team_id, mentee=MemberView.of(member), now=now
            )
        )
        pushed = bool(recommendations)
        if not pushed and settings.directory_mode is not DirectoryMode.RECOMMENDATIONS_ONLY:
            recommendations = recommend_mentors(
                session=session, team_id=team_id, mentee_user_id=slack_user_id, now=now, limit=3
            )
    return HomeData(
        member=MemberView.of(member),
        settings=settings,
        waiting_for_me=tuple(reversed(waiting)),  # oldest first: answer those before newer ones
        sent=tuple(sent_pending + sent_answered[:RECENT_ANSWERED]),
        as_mentor=as_mentor,
        as_mentee=as_mentee,
        recommendations=recommendations,
        admin=admin,
        submission=submission,
        recommended_by_admin=pushed,
    )


def admin_summary(session: Session, team_id: str) -> AdminSummary:
    """Program-wide counts for an admin; a submission of ranked preferences counts once."""

    def count(*where: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).where(*where)) or 0

    return AdminSummary(
        pending_requests=count(
            Request.team_id == team_id, Request.status == RequestStatus.PENDING, NOT_A_PREFERENCE
        ),
        active_relationships=count(
            Relationship.team_id == team_id, Relationship.status == RelationshipStatus.ACTIVE
        ),
        mentors=count(Member.team_id == team_id, Member.is_mentor.is_(True)),
        mentees=count(Member.team_id == team_id, Member.is_mentee.is_(True)),
        failed_notifications=count(
            OutboxMessage.team_id == team_id, OutboxMessage.status == OutboxStatus.FAILED
        ),
        waiting_submissions=queue_summary(session=session, team_id=team_id).waiting,
    )
