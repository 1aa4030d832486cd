"""Recommendations an admin pushes to mentees, and the recommendations-only directory.

An admin's push picks ``N`` mentors for each mentee who is still looking, by match score and
spread over the mentors in proportion to their open slots
(:mod:`mentoring.recommendations.spreading`). Each
push supersedes the mentee's earlier recommendations (``superseded_at``), is logged, and sends
the mentee one direct message. With ``directory_mode = recommendations_only`` a mentee's
directory shows only their current recommendations, and only those mentors can be asked.

A push is worked out in a read session (:mod:`mentoring.recommendations.plan`) and written in short
batches that re-check what changed meanwhile (:mod:`mentoring.recommendations.apply`): choosing for
a
large program takes seconds, and no other writer should wait for it.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.core.actors import Actor
from mentoring.core.errors import NotAllowed
from mentoring.core.members import get_members
from mentoring.core.views import MemberView
from mentoring.directory.fit import active_mentees, open_slots, pair_score
from mentoring.directory.matching import MatchScore
from mentoring.directory.search import recommended_ids
from mentoring.program.settings import DirectoryMode, ProgramSettings
from mentoring.recommendations.apply import apply_push
from mentoring.recommendations.plan import MAX_PER_MENTEE, PushPlan, plan_from, read_push
from mentoring.recommendations.spreading import Scored
from store.db import Database
from store.models import Member, Recommendation

__all__ = [
    "MAX_PER_MENTEE",
    "MentorLoad",
    "PushReport",
    "Recommended",
    "current_recommendations",
    "push_recommendations",
    "require_recommended",
    "still_current",
]
WRITE_BATCH = 100  # mentees per write transaction: ~10-40 ms of SQLite's write lock
# Another process waiting for SQLite's lock tries again at most 100 ms apart: a pause a little
# longer than that, once a second, lets it in. (This process's writers need no pause: they
# take turns with the push's batches, store.turns.)
PAUSE_EVERY_S = 1.0
PAUSE_S = 0.11


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
    # Planned for, but left as they were: matched, re-recommended or out of mentors meanwhile.
    mentees_changed: int = 0

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
    db: Database,
    team_id: str,
    actor: Actor,
    per_mentee: int,
    functional_area: str | None,
    now: datetime,
    batch_size: int = WRITE_BATCH,
) -> PushReport:
    """Recommend ``per_mentee`` mentors to every mentee without a mentor, and tell them.

    It takes the database, not a session, because it runs in two phases in sessions of its
    own: what the choice needs is read in one read session, and the choice itself
    (:func:`mentoring.recommendations.plan.plan_from`, every looking mentee against every
    available mentor) is made after it closed, holding no lock and no transaction; then the
    writes (:func:`mentoring.recommendations.apply.apply_push`), ``batch_size`` mentees per
    write transaction, each re-checking what may have changed meanwhile and holding SQLite's
    write lock for a few tens of milliseconds. Other writers of this process get their turn
    between two batches (:mod:`store.turns`), other processes' in a short pause once a second.
    Each mentee's change is whole (superseded, inserted, logged, told) within one
    transaction; a push that fails between batches leaves the mentees written so far with
    their new recommendations and the others with their old ones.

    Args:
        db: the database.
        team_id: the workspace.
        actor: the admin pushing (checked by the bot layer).
        per_mentee: recommendations per mentee, 1 to 5.
        functional_area: only mentees in this area (``None``: every mentee without a mentor).
        now: the time of the push.
        batch_size: mentees written per write transaction.

    Raises:
        NotAllowed: the actor is not a program admin.
        InvalidInput: ``per_mentee`` out of range or an unknown functional area.
    """
    with db.read() as session:
        inputs = read_push(
            session=session,
            team_id=team_id,
            actor=actor,
            per_mentee=per_mentee,
            functional_area=functional_area,
            now=now,
        )
    with long_lived():
        gc.freeze()  # the profiles read: they live as long as the push
        with no_collections():
            plan = plan_from(inputs)  # seconds for a large program: no session, no transaction
        gc.freeze()  # and the plan
        written, changed = _write_plan(db, plan, batch_size)
    counts = Counter(s.mentor_id for picks in written.values() for s in picks)
    names = plan.mentor_names
    top = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]], kv[0]))[:5]
    with db.read() as session:
        views = get_members(session=session, team_id=team_id, ids=[i for i, _n in top])
    return PushReport(
        per_mentee=per_mentee,
        functional_area=plan.functional_area,
        mentees_considered=plan.mentees_considered,
        mentees_recommended=len(written),
        mentees_short=sum(1 for picks in written.values() if len(picks) < per_mentee),
        recommendations=sum(counts.values()),
        mentors_available=len(plan.open_slots),
        mentors_used=len(counts),
        busiest=tuple(MentorLoad(views[i], n, plan.open_slots[i]) for i, n in top if i in views),
        mentees_changed=changed,
    )


def _write_plan(
    db: Database, plan: PushPlan, batch_size: int
) -> tuple[dict[int, tuple[Scored, ...]], int]:
    """Write ``plan`` ``batch_size`` mentees per transaction; who got what, how many changed."""
    written: dict[int, tuple[Scored, ...]] = {}
    changed, paused = 0, time.monotonic()
    for start in range(0, len(plan.mentees), batch_size):
        if db.is_sqlite and time.monotonic() - paused >= PAUSE_EVERY_S:
            time.sleep(PAUSE_S)
            paused = time.monotonic()
        with db.write() as session:
            applied = apply_push(
                session=session, plan=plan, batch=plan.mentees[start : start + batch_size]
            )
        written.update(applied.written)
        changed += len(applied.changed)
    return written, changed


@contextmanager
def long_lived() -> Iterator[None]:
    """Objects frozen inside (``gc.freeze``) are left out of garbage collection until the end.

    A large push holds millions of objects (profiles, lists, the plan) for its whole run; each
    full collection walked them all, pausing for up to 0.4 s at 100,000 mentors, in the middle
    of write transactions too. Frozen, they are not walked; afterwards they go back to the
    oldest generation (``gc.unfreeze``), and whatever became garbage is collected as usual.
    Freezing is process-wide: objects of other threads frozen meanwhile are only collected
    later, never lost.
    """
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def no_collections() -> Iterator[None]:
    """No automatic garbage collection inside (``gc.disable``), as it was again afterwards.

    Choosing makes millions of objects that live until the plan is made and hardly any
    reference cycles, so collections there only walk live objects: at 100,000 mentors 20 full
    ones paused every thread of the process (other members' writes too) for 1.8 s in all, up
    to 0.3 s at a time. What other threads leave in cycles meanwhile is collected afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
