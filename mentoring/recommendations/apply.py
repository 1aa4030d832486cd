"""The write phase of a push: record a planned batch of mentees in one short transaction.

:func:`apply_push` does no scoring and no spreading: it re-reads what may have changed since
the plan was read, by member id, and writes. What it re-checks for each mentee, under the
mentee's row lock (PostgreSQL; SQLite's write lock covers everything):

* **Still looking**: still a mentee, and without an active mentor. Someone matched while the
  push ran gets nothing (no message about mentors they no longer need).
* **Unchanged recommendations**: their current recommendations are exactly the ones the plan
  read. Otherwise another push wrote since, or this very plan was applied already; the mentee
  is left alone. This makes applying a plan idempotent, and of two pushes racing, the first
  to write a mentee wins and the other leaves them be.
* **Each mentor still available**: still a mentor, not paused, with an open slot, and no
  request between the two made meanwhile. Mentors who fail are dropped from that mentee's
  list, the rest keep their order and are ranked again from 1; a mentee left with nobody keeps
  what they had.

Not re-checked, by choice: the spreading's quotas (a mentor whose open slots fell from two to
one during the push keeps the share planned for two: a drift bounded by what happens in the
seconds a push takes, and a recommendation reserves nothing; accepting a request checks
capacity), the mentee's functional area (the admin's filter applies to the program as the
push found it), and scores (stored as computed).

Every mentee written gets the same rows the single-transaction push wrote: earlier
recommendations superseded, the new ones, one ``recommendations.pushed`` event and one
direct message queued, all in this transaction. Inserts go to the driver in bulk
(:func:`store.bulk.insert_many`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import BindParameter, Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice
from mentoring.core.members import lock_members
from mentoring.core.outbox import EVENTS, OUTBOX, outbox_row
from mentoring.core.prebuilt import run
from mentoring.recommendations.plan import MenteePlan, PushPlan
from mentoring.recommendations.spreading import Scored
from store.bulk import insert_many
from store.enums import RelationshipStatus, RequestStatus
from store.models import Member, Recommendation, Relationship, Request

RECOMMENDATIONS = cast(Table, Recommendation.__table__)


@dataclass(frozen=True, slots=True)
class Applied:
    """What one batch wrote."""

    written: dict[int, tuple[Scored, ...]]  # mentee id -> the mentors recommended, best first
    changed: tuple[int, ...]  # mentees left as they were: they changed while the push ran


def apply_push(*, session: Session, plan: PushPlan, batch: Sequence[MenteePlan]) -> Applied:
    """Write ``batch`` (mentees of ``plan``) after re-checking it; see the module docstring.

    Args:
        session: an open write session; the caller commits.
        plan: the push the batch belongs to (team, actor, time, size).
        batch: the mentees to write now; a few hundred keep the transaction short.

    Returns:
        Who got which mentors, and who was left alone because they changed meanwhile.
    """
    ids = sorted(m.mentee_id for m in batch)
    if not ids:
        return Applied({}, ())
    lock_members(session, *ids)
    looking = _still_looking(session, ids)
    current = _current(session, ids)
    mentors = sorted({p.mentor_id for m in batch for p in m.picks})
    available = _available(session, mentors, plan)
    asked = _pending_pairs(session, ids)

    written: dict[int, tuple[Scored, ...]] = {}
    changed: list[int] = []
    for mentee in sorted(batch, key=lambda m: m.mentee_id):
        had = current.get(mentee.mentee_id, [])
        picks = tuple(
            p
            for p in mentee.picks
            if p.mentor_id in available and (mentee.mentee_id, p.mentor_id) not in asked
        )
        unchanged = tuple(sorted(r for r, _mentor in had)) == mentee.current
        if mentee.mentee_id in looking and unchanged and picks:
            written[mentee.mentee_id] = picks
        else:
            changed.append(mentee.mentee_id)
    if written:
        _write(session, plan, written, current)
    return Applied(written, tuple(changed))


# Run for every batch of a push, a thousand times at 100,000 mentors: built once
# (mentoring.core.prebuilt), Core statements on the tables.
MEMBERS = cast(Table, Member.__table__)
RELATIONSHIPS = cast(Table, Relationship.__table__)
REQUESTS = cast(Table, Request.__table__)
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
_ACTIVE = RELATIONSHIPS.c.status == RelationshipStatus.ACTIVE
# By primary key only: the ids come from a team-scoped read.
_LOOKING = select(MEMBERS.c.id).where(
    MEMBERS.c.id.in_(_IDS),
    MEMBERS.c.is_mentee.is_(True),
    MEMBERS.c.id.not_in(
        select(RELATIONSHIPS.c.mentee_id).where(RELATIONSHIPS.c.mentee_id.in_(_IDS), _ACTIVE)
    ),
)
_CURRENT = (
    select(RECOMMENDATIONS.c.mentee_id, RECOMMENDATIONS.c.id, RECOMMENDATIONS.c.mentor_id)
    .where(RECOMMENDATIONS.c.mentee_id.in_(_IDS), RECOMMENDATIONS.c.superseded_at.is_(None))
    .order_by(RECOMMENDATIONS.c.mentee_id, RECOMMENDATIONS.c.rank, RECOMMENDATIONS.c.id)
)
_AVAILABLE = select(MEMBERS.c.id).where(
    MEMBERS.c.id.in_(_IDS),
    MEMBERS.c.is_mentor.is_(True),
    or_(
        MEMBERS.c.paused_until.is_(None),
        MEMBERS.c.paused_until <= bindparam("now", type_=MEMBERS.c.paused_until.type),
    ),
    MEMBERS.c.mentor_capacity
    > select(func.count())
    .where(RELATIONSHIPS.c.mentor_id == MEMBERS.c.id, _ACTIVE)
    .scalar_subquery(),
)
_PENDING = select(REQUESTS.c.mentee_id, REQUESTS.c.mentor_id).where(
    REQUESTS.c.mentee_id.in_(_IDS), REQUESTS.c.status == RequestStatus.PENDING
)
_NEW = (
    select(RECOMMENDATIONS.c.mentee_id, RECOMMENDATIONS.c.id)
    .where(RECOMMENDATIONS.c.mentee_id.in_(_IDS), RECOMMENDATIONS.c.superseded_at.is_(None))
    .order_by(RECOMMENDATIONS.c.id)
)


def _still_looking(session: Session, ids: list[int]) -> set[int]:
    return set(run(session, _LOOKING, {"ids": ids}).scalars())


def _current(session: Session, ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """mentee -> (recommendation id, mentor id) of their current recommendations, by rank."""
    found: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for mentee, rec, mentor in run(session, _CURRENT, {"ids": ids}):
        found[mentee].append((rec, mentor))
    return found


def _available(session: Session, ids: list[int], plan: PushPlan) -> set[int]:
    """Of ``ids``, the mentors who are still mentors, not paused, and have an open slot."""
    if not ids:
        return set()
    return set(run(session, _AVAILABLE, {"ids": ids, "now": plan.now}).scalars())


def _pending_pairs(session: Session, ids: list[int]) -> set[tuple[int, int]]:
    return {(mentee, mentor) for mentee, mentor in run(session, _PENDING, {"ids": ids})}


def _write(
    session: Session,
    plan: PushPlan,
    written: dict[int, tuple[Scored, ...]],
    current: dict[int, list[tuple[int, int]]],
) -> None:
    now, team_id, actor = plan.now, plan.team_id, plan.actor.user_id
    replaced = [rec for mentee in written for rec, _mentor in current.get(mentee, [])]
    if replaced:
        session.execute(
            update(RECOMMENDATIONS)
            .where(RECOMMENDATIONS.c.id.in_(replaced), RECOMMENDATIONS.c.superseded_at.is_(None))
            .values(superseded_at=now)
        )
    insert_many(
        session,
        RECOMMENDATIONS,
        [
            {
                "team_id": team_id,
                "mentee_id": mentee,
                "mentor_id": pick.mentor_id,
                "rank": rank,
                "score": pick.score,
                "created_at": now,
                "created_by": actor,
                "superseded_at": None,
            }
            for mentee, picks in written.items()
            for rank, pick in enumerate(picks, start=1)
        ],
    )
    # The mentees' current recommendations are now exactly the rows just inserted.
    new_ids: defaultdict[int, list[int]] = defaultdict(list)
    for mentee, rec in run(session, _NEW, {"ids": list(written)}):
        new_ids[mentee].append(rec)
    events: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    for mentee, picks in written.items():
        before = [mentor for _rec, mentor in current.get(mentee, [])]
        events.append(
            {
                "team_id": team_id,
                "at": now,
                "actor": actor,
                "action": "recommendations.pushed",
                "subject_type": "member",
                "subject_id": str(mentee),
                "before": {"mentor_ids": before} if before else None,
                "after": {"mentor_ids": [p.mentor_id for p in picks], "asked_for": plan.per_mentee},
            }
        )
        notices.append(
            outbox_row(
                team_id,
                Notice.RECOMMENDATIONS_PUSHED,
                now,
                recipient_id=mentee,
                payload={"recommendation_ids": new_ids[mentee]},
            )
        )
    insert_many(session, EVENTS, events)
    insert_many(session, OUTBOX, notices, skip_duplicates=True)
