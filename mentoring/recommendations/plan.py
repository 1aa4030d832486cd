"""The read phase of a push: who is looking, who may be recommended, and who gets whom.

Nothing here writes. :func:`mentoring.recommendations.service.push_recommendations` reads what it
needs in a read session (:func:`read_push`) and chooses after closing it (:func:`plan_from`),
so however long the choice takes for a large program, no other writer waits for it (SQLite's
write lock is taken only by the short write phase, :mod:`mentoring.recommendations.apply`), and no
transaction stays open meanwhile.

The choice is the one :mod:`mentoring.recommendations.spreading` describes, over every looking
mentee and every
eligible mentor, computed without scoring every pair: each mentee's best candidates come from a
:class:`MentorPool`, a few per recommendation asked for, and a mentee whose list the spreading
uses up gets the next few still in the pool (see :func:`choose`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.core.actors import Actor
from mentoring.core.errors import InvalidInput, NotAllowed
from mentoring.directory.matching import SeekerProfile
from mentoring.program.settings import ProgramSettings, get_settings
from mentoring.recommendations.mentor_pool import MentorPool, PoolMentor, Ranking
from mentoring.recommendations.reading import (
    available,
    current_recommendations,
    looking,
    pending_pairs,
)
from mentoring.recommendations.spreading import Scored, spread

MAX_PER_MENTEE = 5
CANDIDATES_PER_PICK = 4  # list length per recommendation asked for; see choose()


@dataclass(frozen=True, slots=True)
class MenteePlan:
    """What one mentee is to be recommended, and what they had when it was chosen."""

    mentee_id: int
    picks: tuple[Scored, ...]  # best first
    current: tuple[int, ...]  # ids of the mentee's current recommendations when planned


@dataclass(frozen=True, slots=True)
class PushPlan:
    """A push worked out from reading the program, ready for :func:`push_apply.apply_push`.

    The reads are not one snapshot everywhere (PostgreSQL reads each statement at its own
    moment); the write phase re-checks what matters, so a change meanwhile is harmless.
    """

    team_id: str
    actor: Actor
    per_mentee: int
    functional_area: str | None  # as the taxonomy spells it
    now: datetime
    mentees_considered: int  # mentees without a mentor (in the area)
    open_slots: Mapping[int, int]  # mentor id -> open slots, for mentors with at least one
    mentor_names: Mapping[int, str]  # display names of those mentors
    mentees: tuple[MenteePlan, ...]  # mentees given at least one mentor, by member id


@dataclass(frozen=True, slots=True)
class PushInputs:
    """What a push reads before choosing: the whole choice is made from this."""

    team_id: str
    actor: Actor
    per_mentee: int
    functional_area: str | None
    now: datetime
    seekers: Mapping[int, SeekerProfile]  # looking mentees by member id, in id order
    mentors: Sequence[PoolMentor]  # with an open slot
    open_slots: Mapping[int, int]
    asked: Mapping[int, set[int]]  # mentee -> mentors with a pending request between them
    current: Mapping[int, tuple[int, ...]]  # mentee -> ids of their current recommendations


def plan_push(
    *,
    session: Session,
    team_id: str,
    actor: Actor,
    per_mentee: int,
    functional_area: str | None,
    now: datetime,
) -> PushPlan:
    """Choose ``per_mentee`` mentors for every mentee without a mentor; write nothing.

    :func:`read_push` then :func:`plan_from`; a caller that wants the session closed while
    choosing (a large program takes seconds) calls the two itself.

    Args:
        session: an open session; a read session is enough (nothing is written).
        team_id: the workspace.
        actor: the admin pushing (checked by the bot layer).
        per_mentee: recommendations per mentee, 1 to 5.
        functional_area: only mentees in this area (``None``: every mentee without a mentor).
        now: the time of the push.

    Raises:
        NotAllowed: the actor is not a program admin.
        InvalidInput: ``per_mentee`` out of range or an unknown functional area.
    """
    return plan_from(
        read_push(
            session=session,
            team_id=team_id,
            actor=actor,
            per_mentee=per_mentee,
            functional_area=functional_area,
            now=now,
        )
    )


def read_push(
    *,
    session: Session,
    team_id: str,
    actor: Actor,
    per_mentee: int,
    functional_area: str | None,
    now: datetime,
) -> PushInputs:
    """Check the push and read what choosing needs (arguments as :func:`plan_push`).

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
    mentors, slots = available(session, team_id, now)
    return PushInputs(
        team_id=team_id,
        actor=actor,
        per_mentee=per_mentee,
        functional_area=area,
        now=now,
        seekers=looking(session, team_id, area),
        mentors=mentors,
        open_slots=slots,
        asked=pending_pairs(session, team_id),
        current=current_recommendations(session, team_id),
    )


def plan_from(inputs: PushInputs) -> PushPlan:
    """The push's choice (no database): every looking mentee against every eligible mentor.

    Eligible mentors are current mentors, not paused, with an open slot, who are not the mentee
    and have no pending request with them. Choices follow
    :func:`mentoring.recommendations.spreading.spread`.
    """
    seekers = inputs.seekers
    excluded = _Excluded(seekers, inputs.asked)
    pool = MentorPool(inputs.mentors, now=inputs.now)
    chosen = choose(seekers, pool, inputs.open_slots, inputs.per_mentee, excluded=excluded)
    del pool, excluded  # a large push's peak memory: let them go before the plan is built
    return PushPlan(
        team_id=inputs.team_id,
        actor=inputs.actor,
        per_mentee=inputs.per_mentee,
        functional_area=inputs.functional_area,
        now=inputs.now,
        mentees_considered=len(seekers),
        open_slots=inputs.open_slots,
        mentor_names={m.id: m.name for m in inputs.mentors},
        mentees=tuple(
            MenteePlan(mentee, tuple(picks), inputs.current.get(mentee, ()))
            for mentee in list(chosen)
            if (picks := chosen.pop(mentee))
        ),
    )


def choose(
    seekers: Mapping[int, SeekerProfile],
    pool: MentorPool,
    open_slots: Mapping[int, int],
    per_mentee: int,
    *,
    excluded: Mapping[int, Collection[int]],
    depth: int | None = None,
) -> dict[int, list[Scored]]:
    """:func:`spread` over every mentee's ranking of the pool, reading only what it needs.

    Each mentee's list holds their best ``depth`` mentors (default
    ``CANDIDATES_PER_PICK * per_mentee``). When the spreading runs through a list while the
    mentee's ranking has more, the pool gives the next ``depth`` best mentors still in it:
    mentors out of quota are retired from the pool as the spreading uses them up, so the next
    list skips them. One spreading, and its choices are those of a spreading over the whole
    rankings (mentors out of quota or already chosen are never chosen again). The pool is used
    up: it serves one choice.

    Args:
        seekers: mentee id -> profile, in the order ties between mentees go (member id).
        pool: the eligible mentors.
        open_slots: mentor id -> open slots.
        per_mentee: recommendations per mentee.
        excluded: mentee id -> mentor ids never to recommend them (themselves, pending asks).
        depth: the first list length.

    Returns:
        mentee id -> chosen mentors, best first (empty when nobody is left for them).
    """
    first = max(per_mentee, depth if depth is not None else CANDIDATES_PER_PICK * per_mentee)
    # Seekers with the same interests and area one after the other: the pool reuses their tiers.
    order = sorted(seekers, key=lambda m: _primary_key(seekers[m]))
    fetched = {m: pool.best(seekers[m], first, excluded.get(m, ())) for m in order}
    sizes = _Sizes(pool, excluded)

    def more(mentee: int, last: Scored | None, taken: Sequence[int]) -> tuple[Ranking, bool]:
        # The first list was fetched above; handing it over here (not as the spreading's
        # input) lets it go as soon as the spreading moves on from it.
        rest = fetched.pop(mentee, None)
        if rest is None:
            # Go on from the end of the last list: everyone ranked before it was chosen for
            # the mentee (``taken``) or retired, and stays so.
            rest = pool.best(seekers[mentee], first, excluded.get(mentee, ()), after=last)
        return rest, len(rest) < first

    empty: tuple[Scored, ...] = ()
    return spread(
        dict.fromkeys(seekers, empty),
        open_slots,
        per_mentee,
        sizes=sizes,
        more=more,
        on_full=pool.retire,
        group=lambda mentee: _primary_key(seekers[mentee]),
    )


class _Excluded(Mapping[int, tuple[int, ...]]):
    """Mentee id -> the mentee and the mentors they have asked, made when asked for (a large
    push would otherwise keep a tuple per mentee for the whole choice)."""

    def __init__(self, seekers: Mapping[int, object], asked: Mapping[int, set[int]]) -> None:
        self._seekers, self._asked = seekers, asked

    def __getitem__(self, mentee: int) -> tuple[int, ...]:
        if mentee not in self._seekers:
            raise KeyError(mentee)
        return (mentee, *self._asked.get(mentee, ()))

    def __iter__(self) -> Iterator[int]:
        return iter(self._seekers)

    def __len__(self) -> int:
        return len(self._seekers)


class _Sizes(Mapping[int, int]):
    """Mentee id -> how many of the pool's mentors they may be recommended, made when asked."""

    def __init__(self, pool: MentorPool, excluded: Mapping[int, Collection[int]]) -> None:
        self._pool, self._excluded = pool, excluded

    def __getitem__(self, mentee: int) -> int:
        return len(self._pool) - self._pool.count_in(self._excluded[mentee])

    def __iter__(self) -> Iterator[int]:
        return iter(self._excluded)

    def __len__(self) -> int:
        return len(self._excluded)


def _primary_key(seeker: SeekerProfile) -> tuple[tuple[str, ...], str]:
    return tuple(sorted({t.lower() for t in seeker.interests})), seeker.functional_area or ""


def _area(functional_area: str | None, settings: ProgramSettings) -> str | None:
    wanted = (functional_area or "").strip()
    if not wanted:
        return None
    for area in settings.functional_areas:
        if area.casefold() == wanted.casefold():
            return area
    raise InvalidInput("Unknown functional area: {area}.", field="functional_area", area=wanted)
