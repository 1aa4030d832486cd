"""The demo's timeline: steps planned in the past, replayed in time order by the real operations.

Mentor slots are planned so that no operation can be refused, whatever the replay order:

* the *guide* mentor is only used where a story asks for them;
* two *pausing* mentors receive one request each, decline it and pause themselves;
* a few *full* mentors receive only requests that end up accepted, until they are at capacity;
* every other (*open*) mentor keeps at least one slot free over the whole history, counting
  ended relationships too, so a request sent to them at any moment finds room.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.demo.people import PersonPlan
from bot.demo.texts import (
    ABANDON_REASONS,
    CLOSE_REASONS,
    DECLINE_NOTES,
    FINISH_NOTES,
    GOALS,
    MESSAGES,
)
from mentoring.asks.reminders import next_reminder_at, next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP, Actor
from mentoring.profiles.editing import enroll, parse_profile
from mentoring.program.settings import ProgramSettings
from mentoring.relationships.lifecycle import abandon, finish
from mentoring.requests.answers import accept, decline
from mentoring.requests.followups import close_by_admin, expire, remind
from mentoring.requests.sending import send_request, withdraw


@dataclass(slots=True)
class Action:
    """One step of history: an operation run with ``now`` = ``at``."""

    at: datetime
    seq: int
    step: Callable[[Session, datetime], None]

    def run(self, session: Session) -> None:
        """Run the step in ``session`` at its moment."""
        self.step(session, self.at)


@dataclass(slots=True)
class Planned:
    """A request of the plan; its database ids are known once replayed."""

    mentee: PersonPlan
    mentor: PersonPlan
    sent_at: datetime
    ends_at: datetime | None = None  # None: still pending
    id: int = 0  # known once replayed
    relationship_id: int = 0


@dataclass
class Timeline:
    """Collects the steps of the demo's history; :meth:`actions_in_order` replays them."""

    rng: random.Random
    now: datetime
    team_id: str
    settings: ProgramSettings
    mentors: list[PersonPlan]
    admin: str
    actions: list[Action] = field(default_factory=list)
    _requests: list[Planned] = field(default_factory=list)
    _committed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _used: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _first: dict[str, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.guide = self.mentors[0]
        rest = self.mentors[1:]
        small = [m for m in rest if m.capacity <= 2]
        self.full = self.rng.sample(small, k=min(4, len(small)))
        self.pausing = self.rng.sample([m for m in rest if m not in self.full], k=2)
        self.open = [m for m in rest if m not in self.full and m not in self.pausing]

    # -- time and mentors -----------------------------------------------------------------

    def ago(self, low_days: float, high_days: float) -> datetime:
        """A random moment between ``high_days`` and ``low_days`` before now, to the minute."""
        moment = self.now - timedelta(days=self.rng.uniform(low_days, high_days))
        return moment.replace(second=0, microsecond=0)

    def hours(self, low: float, high: float) -> timedelta:
        """A random span between ``low`` and ``high`` hours, in whole minutes."""
        return timedelta(minutes=round(self.rng.uniform(low, high) * 60))

    def days(self, low: float, high: float) -> timedelta:
        """A random span between ``low`` and ``high`` days, in whole minutes."""
        return self.hours(low * 24, high * 24)

    def _pick(self, mentee: PersonPlan, *, slot: bool) -> PersonPlan:
        """A matching mentor; ``slot``: the request will be accepted and take a slot."""
        cap = {m.user_id: m.capacity for m in self.mentors}
        if slot:
            pool = [m for m in self.full if self._committed[m.user_id] < cap[m.user_id]]
            pool += [m for m in self.open if self._committed[m.user_id] + 2 <= cap[m.user_id]]
        else:
            pool = list(self.open)
        pool = [m for m in pool if m.user_id not in self._used[mentee.user_id]]
        if not pool:
            raise ValueError(f"no mentor left for {mentee.user_id}: too few demo mentors")
        weights = [1 + 4 * len(m.tags & mentee.tags) + 6 * (m in self.full) for m in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def _add(self, at: datetime, step: Callable[[Session, datetime], None], who: str) -> None:
        if at >= self.now:
            raise ValueError(f"demo history must be in the past ({at} >= {self.now})")
        self._first[who] = min(at, self._first.get(who, at))
        self.actions.append(Action(at, len(self.actions), step))

    # -- operations ---------------------------------------------------------------------

    def send(
        self, mentee: PersonPlan, at: datetime, *, slot: bool, mentor: PersonPlan | None = None
    ) -> Planned:
        """The mentee asks ``mentor`` (or a matching one; ``slot``: it will be accepted)."""
        mentor = mentor or self._pick(mentee, slot=slot)
        self._used[mentee.user_id].add(mentor.user_id)
        self._committed[mentor.user_id] += slot
        req = Planned(mentee, mentor, at)
        self._requests.append(req)
        shared = sorted(mentee.tags & mentor.tags) or sorted(mentor.tags)
        goal_tag = next((t for t in shared if t in mentee.tags), sorted(mentee.tags)[0])
        title = mentee.person.title
        message = self.rng.choice(MESSAGES).format(
            mentor=mentor.first_name,
            a_title=f"{'an' if title[0] in 'AEIOU' else 'a'} {title}",
            goal=GOALS[goal_tag],
            tag=shared[0],
        )

        def step(session: Session, now: datetime) -> None:
            req.id = send_request(
                session=session,
                team_id=self.team_id,
                mentee_user_id=mentee.user_id,
                mentor_user_id=mentor.user_id,
                message=message,
                now=now,
            ).id

        self._add(at, step, mentee.user_id)
        return req

    def accept(self, req: Planned, at: datetime) -> None:
        """The mentor accepts; the relationship starts."""
        req.ends_at = at

        def step(session: Session, now: datetime) -> None:
            result = accept(
                session=session,
                team_id=self.team_id,
                request_id=req.id,
                actor_user_id=req.mentor.user_id,
                now=now,
            )
            req.relationship_id = result.relationship.id

        self._add(at, step, req.mentee.user_id)

    def decline(self, req: Planned, at: datetime, *, pause_days: float | None = None) -> None:
        """The mentor declines with a reason and a note (and pauses, given ``pause_days``)."""
        req.ends_at = at
        reasons = self.settings.decline_reasons
        reason = reasons[0] if pause_days else self.rng.choice(reasons)
        note = self.rng.choice(DECLINE_NOTES.get(reason, ("",)))
        until = self.now + timedelta(days=pause_days) if pause_days else None

        def step(session: Session, now: datetime) -> None:
            decline(
                session=session,
                team_id=self.team_id,
                request_id=req.id,
                actor_user_id=req.mentor.user_id,
                reason=reason,
                note=note,
                pause_until=until,
                now=now,
            )

        self._add(at, step, req.mentee.user_id)

    def end(self, req: Planned, at: datetime, *, finished: bool) -> None:
        """The mentor or the mentee finishes or abandons the relationship."""
        actor = self.rng.choice((req.mentor, req.mentee)).user_id
        note = self.rng.choice(FINISH_NOTES if finished else ABANDON_REASONS)

        def step(session: Session, now: datetime) -> None:
            end = finish if finished else abandon
            arg = {"note": note} if finished else {"reason": note}
            end(
                session=session,
                team_id=self.team_id,
                relationship_id=req.relationship_id,
                actor_user_id=actor,
                now=now,
                **arg,
            )

        self._add(at, step, req.mentee.user_id)

    def close(self, req: Planned, at: datetime, how: str) -> None:
        """Withdraw, expire or close (as an admin) a pending request."""
        req.ends_at = at
        reason = self.rng.choice(CLOSE_REASONS)

        def step(session: Session, now: datetime) -> None:
            team, request_id = self.team_id, req.id
            if how == "withdraw":
                withdraw(
                    session=session,
                    team_id=team,
                    request_id=request_id,
                    actor_user_id=req.mentee.user_id,
                    now=now,
                )
            elif how == "expire":
                expire(session=session, team_id=team, request_id=request_id, now=now)
            else:
                close_by_admin(
                    session=session,
                    team_id=team,
                    request_id=request_id,
                    actor=Actor(self.admin, is_admin=True),
                    reason=reason,
                    now=now,
                )

        self._add(at, step, req.mentee.user_id)

    def _remind(self, req: Planned, at: datetime) -> None:
        def step(session: Session, now: datetime) -> None:
            remind(
                session=session,
                team_id=self.team_id,
                request_id=req.id,
                actor=SYSTEM_SWEEP,
                now=now,
            )

        self._add(at, step, req.mentee.user_id)

    def actions_in_order(self, mentees: list[PersonPlan]) -> list[Action]:
        """Everything planned, plus reminders and enrollments, oldest first."""
        self._reminders()
        self._enrollments(mentees)
        return sorted(self.actions, key=lambda a: (a.at, a.seq))

    def _reminders(self) -> None:
        """The reminders the sweep would have sent while each request waited."""
        for req in self._requests:
            end = req.ends_at or self.now
            count, last = 0, None
            while (due := next_reminder_at(req.sent_at, count, last, self.settings)) is not None:
                at = next_working_moment(due, req.mentor.person.tz, self.settings)
                if at >= end:
                    break
                self._remind(req, at)
                count, last = count + 1, at

    def _enrollments(self, mentees: list[PersonPlan]) -> None:
        """Mentors joined when the program started; mentees some days before their first step."""
        people = [(m, self.ago(200, 235)) for m in self.mentors]
        for mentee in mentees:
            first = self._first.get(mentee.user_id)
            joined = first - self.hours(24, 360) if first else self.ago(0.1, 90)
            people.append((mentee, joined.replace(second=0, microsecond=0)))
        for person, at in people:
            self.actions.append(Action(at, len(self.actions), self._enroll(person)))

    def _enroll(self, person: PersonPlan) -> Callable[[Session, datetime], None]:
        profile = parse_profile(person.profile)

        def step(session: Session, now: datetime) -> None:
            enroll(
                session=session,
                team_id=self.team_id,
                slack_user_id=person.user_id,
                profile=profile,
                now=now,
            )

        return step
