"""Recommendations an admin pushes to mentees, and the recommendations-only directory.

An admin's push picks ``N`` mentors for each mentee who is still looking, by match score and
spread over the mentors in proportion to their open slots (:mod:`mentoring.spreading`). Each
push supersedes the mentee's earlier recommendations (``superseded_at``), is logged, and sends
the mentee one direct message. With ``directory_mode = recommendations_only`` a mentee's
directory shows only their current recommendations, and only those mentors can be asked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from mentoring.audit import Notice, enqueue, record_event
from mentoring.directory import recommended_ids
from mentoring.errors import InvalidInput, NotAllowed
from mentoring.fit import active_mentees, mentor_profile_of, open_slots, pair_score, seeker_of
from mentoring.matching import MatchScore, Scorer
from mentoring.members import lock_members
from mentoring.settings import DirectoryMode, ProgramSettings, get_settings
from mentoring.spreading import Scored, spread
from mentoring.transitions import Actor
from mentoring.views import MemberView
from store.enums import RelationshipStatus, RequestStatus
from store.models import Member, Recommendation, Relationship, Request

MAX_PER_MENTEE = 5


@dataclass(frozen=True, slots=True)
class Recommended:
    """A current recommendation as a mentee sees it: the mentor, fit and room now."""

    id: int
    rank: int
    mentor: MemberView
    score: MatchScore
    active_mentees: int
    open_slots: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MentorLoad:
    mentor: MemberView
    recommended_to: int
    open_slots: int


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push did, for the admin's confirmation."""

    per_mentee: int
    functional_area: str | None
    mentees_considered: int  # mentees without a mentor (in the area)
    mentees_recommended: int  # who got at least one recommendation
    mentees_short: int  # who got some, but fewer than per_mentee
    recommendations: int
    mentors_available: int  # mentors with an open slot
    mentors_used: int
    busiest: tuple[MentorLoad, ...]  # most recommended first, at most 5

    @property
    def max_per_mentor(self) -> int:
        return self.busiest[0].recommended_to if self.busiest else 0


def require_recommended(
    session: Session, settings: ProgramSettings, mentee: Member, mentor: Member
) -> None:
    """In a recommendations-only directory, refuse a mentor not recommended to the mentee.

    Raises:
        NotAllowed: recommendations-only mode and ``mentor`` is not a current recommendation.
    """
    if settings.directory_mode is not DirectoryMode.RECOMMENDATIONS_ONLY:
        return
    found = session.scalar(recommended_ids(mentee.id).where(Recommendation.mentor_id == mentor.id))
    if found is None:
        raise NotAllowed(
            "In this program {mentees} choose among the {mentors} the program recommended to "
            "them, and {name} isn't one of yours right now. Your recommendations are on the "
            "app's Home tab.",
            field="mentor",
            name=mentor.display_name,
        )


def current_recommendations(
    *, session: Session, team_id: str, mentee: MemberView, now: datetime
) -> tuple[Recommended, ...]:
    """The mentee's current recommendations, best first, scored and counted as of ``now``.

    Mentors who have left the mentor role since the push are left out.
    """
    rows = session.execute(
        select(Recommendation, Member)
        .join(Member, Member.id == Recommendation.mentor_id)
        .where(
            Recommendation.team_id == team_id,
            Recommendation.mentee_id == mentee.id,
            Recommendation.superseded_at.is_(None),
            Member.is_mentor.is_(True),
        )
        .order_by(Recommendation.rank, Recommendation.id)
    ).all()
    loads = active_mentees(session, (m.id for _r, m in rows))
    out = []
    for rec, member in rows:
        mentor = MemberView.of(member)
        active = loads.get(mentor.id, 0)
        slots = open_slots(mentor, active)
        out.append(
            Recommended(
                id=rec.id,
                rank=rec.rank,
                mentor=mentor,
                score=pair_score(mentee, mentor, open_slots=slots, now=now),
                active_mentees=active,
                open_slots=slots,
                created_at=rec.created_at,
            )
        )
    return tuple(out)


def push_recommendations(
    *,
    session: Session,
    team_id: str,
    actor: Actor,
    per_mentee: int,
    functional_area: str | None,
    now: datetime,
) -> PushReport:
    """Recommend ``per_mentee`` mentors to every mentee without a mentor, and tell them.

    Eligible mentors are current mentors, not paused, with an open slot, who are not the mentee
    and have no pending request with them. Choices follow :func:`mentoring.spreading.spread`.
    Each mentee who gets recommendations has their earlier ones superseded, an event logged
    and one direct message queued. Mentees nobody is left for keep what they had.

    Args:
        session: an open write session.
        team_id: the workspace.
        actor: the admin pushing (checked by the bot layer).
        per_mentee: recommendations per mentee, 1 to 5.
        functional_area: only mentees in this area (``None``: every mentee without a mentor).
        now: the time of the push.

    Raises:
        NotAllowed: the actor is not a program admin.
        InvalidInput: ``per_mentee`` out of range or an unknown functional area.
    """
    if not actor.is_admin:
        raise NotAllowed("Only program admins can push recommendations.")
    settings = get_settings(session=session, team_id=team_id)
    if not 1 <= per_mentee <= MAX_PER_MENTEE:
        raise InvalidInput(
            "Recommend between 1 and {most} per {mentee}.", field="per_mentee", most=MAX_PER_MENTEE
        )
    area = _area(functional_area, settings)
    mentees = _looking(session, team_id, area)
    mentors = _available(session, team_id, now)
    loads = active_mentees(session, mentors)
    slots = {i: open_slots(m, loads.get(i, 0)) for i, m in mentors.items()}
    slots = {i: s for i, s in slots.items() if s > 0}
    asked = _pending_pairs(session, team_id)

    candidates: dict[int, list[Scored]] = {}
    for mentee in mentees.values():
        scorer = Scorer(seeker_of(mentee), now=now)
        scored = [
            (scorer.total(mentor_profile_of(mentors[i], s)), mentors[i].display_name.casefold(), i)
            for i, s in slots.items()
            if i != mentee.id and (mentee.id, i) not in asked
        ]
        scored.sort(key=lambda t: (-t[0], t[1], t[2]))
        candidates[mentee.id] = [Scored(i, total) for total, _name, i in scored]
    chosen = spread(candidates, slots, per_mentee)

    recipients = sorted(m for m, picks in chosen.items() if picks)
    lock_members(session, *recipients)
    for mentee_id in recipients:
        _replace(session, team_id, mentee_id, chosen[mentee_id], actor.user_id, per_mentee, now)

    counts = Counter(s.mentor_id for picks in chosen.values() for s in picks)
    busiest = tuple(
        MentorLoad(mentors[i], n, slots[i])
        for i, n in sorted(counts.items(), key=lambda kv: (-kv[1], mentors[kv[0]].display_name))[:5]
    )
    return PushReport(
        per_mentee=per_mentee,
        functional_area=area,
        mentees_considered=len(mentees),
        mentees_recommended=len(recipients),
        mentees_short=sum(1 for m in recipients if len(chosen[m]) < per_mentee),
        recommendations=sum(counts.values()),
        mentors_available=len(slots),
        mentors_used=len(counts),
        busiest=busiest,
    )


def _area(functional_area: str | None, settings: ProgramSettings) -> str | None:
    wanted = (functional_area or "").strip()
    if not wanted:
        return None
    for area in settings.functional_areas:
        if area.casefold() == wanted.casefold():
            return area
    raise InvalidInput("Unknown functional area: {area}.", field="functional_area", area=wanted)


def _looking(session: Session, team_id: str, area: str | None) -> dict[int, MemberView]:
    """Enrolled mentees without an active mentor (in ``area``), by member id."""
    has_mentor = select(Relationship.mentee_id).where(
        Relationship.team_id == team_id, Relationship.status == RelationshipStatus.ACTIVE
    )
    query = select(Member).where(
        Member.team_id == team_id, Member.is_mentee.is_(True), Member.id.not_in(has_mentor)
    )
    if area is not None:
        query = query.where(Member.functional_area == area)
    return {m.id: MemberView.of(m) for m in session.scalars(query.order_by(Member.id))}


def _available(session: Session, team_id: str, now: datetime) -> dict[int, MemberView]:
    query = select(Member).where(
        Member.team_id == team_id,
        Member.is_mentor.is_(True),
        or_(Member.paused_until.is_(None), Member.paused_until <= now),
    )
    return {m.id: MemberView.of(m) for m in session.scalars(query.order_by(Member.id))}


def _pending_pairs(session: Session, team_id: str) -> set[tuple[int, int]]:
    """(mentee, mentor) pairs with a request, offer or preference waiting: not recommended."""
    rows = session.execute(
        select(Request.mentee_id, Request.mentor_id).where(
            Request.team_id == team_id, Request.status == RequestStatus.PENDING
        )
    )
    return {(mentee, mentor) for mentee, mentor in rows}


def _replace(
    session: Session,
    team_id: str,
    mentee_id: int,
    picks: Sequence[Scored],
    actor: str,
    per_mentee: int,
    now: datetime,
) -> None:
    """Supersede the mentee's current recommendations with ``picks``; log it; tell them."""
    before = list(session.scalars(recommended_ids(mentee_id).order_by(Recommendation.rank)))
    session.execute(
        update(Recommendation)
        .where(Recommendation.mentee_id == mentee_id, Recommendation.superseded_at.is_(None))
        .values(superseded_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = [
        Recommendation(
            team_id=team_id,
            mentee_id=mentee_id,
            mentor_id=pick.mentor_id,
            rank=rank,
            score=pick.score,
            created_at=now,
            created_by=actor,
        )
        for rank, pick in enumerate(picks, start=1)
    ]
    session.add_all(rows)
    session.flush()
    record_event(
        session,
        team_id=team_id,
        actor=actor,
        action="recommendations.pushed",
        subject_type="member",
        subject_id=mentee_id,
        before={"mentor_ids": before} if before else None,
        after={"mentor_ids": [p.mentor_id for p in picks], "asked_for": per_mentee},
        at=now,
    )
    enqueue(
        session,
        team_id=team_id,
        notice=Notice.RECOMMENDATIONS_PUSHED,
        now=now,
        recipient_id=mentee_id,
        payload={"recommendation_ids": [r.id for r in rows]},
    )


def still_current(session: Session, recommendation_ids: Sequence[int]) -> bool:
    """Whether none of these recommendations has been superseded (a newer push has its own DM)."""
    if not recommendation_ids:
        return False
    superseded = session.scalar(
        select(func.count()).where(
            Recommendation.id.in_(list(recommendation_ids)),
            Recommendation.superseded_at.is_not(None),
        )
    )
    return not superseded
