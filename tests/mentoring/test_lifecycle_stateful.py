"""The request lifecycle as a state machine, on a real database.

Hypothesis drives random sequences of the real operations (send, accept, decline, withdraw,
remind, expire, admin close, finish, abandon, pause, resume, role and capacity changes) by the
right people and by the wrong ones, while a clock only moves forward. A small Python model predicts
the outcome of every step: which domain error it raises, or what it changes. After every step the
whole database is read back and checked against the model and against the invariants of DESIGN.md:

* no mentor has more active relationships than their capacity, and only mentors have mentees; no
  mentee has more active relationships than the program allows, nor more pending requests; at
  most one pending request and one active relationship per pair;
* every request that left "pending" carries answered_at and exactly its own transition stamp;
* every state change has its event, and every announcement its outbox row;
* a domain error leaves the database exactly as it was.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from mentoring import relationships as relationships
from mentoring import requests as requests
from mentoring.core.actors import SYSTEM_SWEEP, Actor
from mentoring.core.errors import (
    AlreadyHandled,
    DomainError,
    Duplicate,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotEnrolled,
    NotFound,
    Unavailable,
)
from mentoring.profiles.editing import MAX_PAUSE, enroll, parse_profile, pause, resume
from mentoring.program.settings import DEFAULT_DECLINE_REASONS
from mentoring.program.settings_changes import update_settings
from store.db import Database
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Base, Event, Member, OutboxMessage, Relationship, Request
from tests import factories
from tests.conftest import NOW, TEAM

T = TypeVar("T")

MAX_PENDING = 2
MAX_ACTIVE = 1
MENTOR_CAPACITY = {"UM1": 1, "UM2": 2, "UM3": 2}
BOTH_ROLES = "UD1"  # a mentor (capacity 1) who is also a mentee
MENTEES = ("UE1", "UE2", "UE3", "UE4", BOTH_ROLES)
MENTORS = (*MENTOR_CAPACITY, BOTH_ROLES)
ENROLLED = tuple(dict.fromkeys((*MENTORS, *MENTEES)))
MAY_STOP_MENTORING = ("UM3", BOTH_ROLES)  # UM1 and UM2 stay, so requests keep being answered
STRANGER = "UX1"  # never enrolled
EVERYONE = (*ENROLLED, STRANGER)

GOOD_MESSAGE = "I'd love help growing from senior engineer into a staff engineer role."
SHORT_MESSAGE = "Hi! Mentor me?"
ADMIN = "UADMIN"
PAUSE_DAYS = (0, 1, 7, 30, 367)  # 0 is not in the future; 367 is longer than MAX_PAUSE

# The timestamp each way out of "pending" must set, and the event it must leave.
STAMP = {
    RequestStatus.ACCEPTED: "accepted_at",
    RequestStatus.DECLINED: "declined_at",
    RequestStatus.WITHDRAWN: "withdrawn_at",
    RequestStatus.EXPIRED: "expired_at",
    RequestStatus.CLOSED_BY_ADMIN: "closed_at",
    RequestStatus.CANCELLED: "cancelled_at",
}
TERMINAL_EVENT = {
    RequestStatus.ACCEPTED: "request.accepted",
    RequestStatus.DECLINED: "request.declined",
    RequestStatus.WITHDRAWN: "request.withdrawn",
    RequestStatus.EXPIRED: "request.expired",
    RequestStatus.CLOSED_BY_ADMIN: "request.closed",
    RequestStatus.CANCELLED: "request.cancelled",
}

Who = Literal["the other party", "a stranger", "a bystander"]


# --------------------------------------------------------------------------------------------
# The model: what the program's rules say should have happened.
# --------------------------------------------------------------------------------------------


@dataclass
class ModelRequest:
    mentee: str
    mentor: str
    status: RequestStatus = RequestStatus.PENDING
    reminders: int = 0


@dataclass
class ModelRelationship:
    mentor: str
    mentee: str
    request_id: int
    status: RelationshipStatus = RelationshipStatus.ACTIVE


@dataclass
class Model:
    """The expected state of the program, and the order in which the operations check rules."""

    mentors: set[str] = field(default_factory=lambda: set(MENTORS))
    mentees: set[str] = field(default_factory=lambda: set(MENTEES))
    capacity: dict[str, int] = field(default_factory=lambda: {**MENTOR_CAPACITY, BOTH_ROLES: 1})
    paused_until: dict[str, datetime | None] = field(
        default_factory=lambda: dict.fromkeys(ENROLLED)
    )
    requests: dict[int, ModelRequest] = field(default_factory=dict)
    relationships: dict[int, ModelRelationship] = field(default_factory=dict)
    member_events: Counter[str] = field(
        default_factory=lambda: Counter({"member.enrolled": len(ENROLLED)})
    )

    def active_as_mentor(self, user: str) -> int:
        return sum(r.mentor == user and r.status == "active" for r in self.relationships.values())

    def active_as_mentee(self, user: str) -> int:
        return sum(r.mentee == user and r.status == "active" for r in self.relationships.values())

    def pending_sent_by(self, user: str) -> int:
        return sum(r.mentee == user and r.status == "pending" for r in self.requests.values())

    def paired(self, mentee: str, mentor: str) -> bool:
        pending = any(
            (r.mentee, r.mentor, r.status) == (mentee, mentor, "pending")
            for r in self.requests.values()
        )
        active = any(
            (r.mentee, r.mentor, r.status) == (mentee, mentor, "active")
            for r in self.relationships.values()
        )
        return pending or active

    def is_paused(self, user: str, now: datetime) -> bool:
        until = self.paused_until[user]
        return until is not None and until > now

    def send_error(
        self, mentee: str, mentor: str, message: str, now: datetime
    ) -> type[DomainError] | None:
        if mentee not in self.mentees:
            return NotEnrolled
        if mentee == mentor:
            return InvalidInput
        if mentor not in self.mentors:
            return NotFound
        if len(message) < 20:
            return InvalidInput
        if self.is_paused(mentor, now):
            return Unavailable
        if self.active_as_mentee(mentee) >= MAX_ACTIVE:
            return LimitReached
        if self.pending_sent_by(mentee) >= MAX_PENDING:
            return LimitReached
        if self.paired(mentee, mentor):
            return Duplicate
        if self.active_as_mentor(mentor) >= self.capacity[mentor]:
            return Unavailable
        return None

    def accept_error(self, request_id: int, actor: str) -> type[DomainError] | None:
        request = self.requests[request_id]
        if actor != request.mentor:
            return NotAllowed
        if request.status != "pending":
            return AlreadyHandled
        if request.mentor not in self.mentors or request.mentee not in self.mentees:
            return Unavailable  # a role given up while the request waited
        if self.active_as_mentor(request.mentor) >= self.capacity[request.mentor]:
            return LimitReached
        if self.active_as_mentee(request.mentee) >= MAX_ACTIVE:
            return LimitReached
        return None

    def decline_error(
        self, request_id: int, actor: str, reason: str, pause_days: int | None
    ) -> type[DomainError] | None:
        request = self.requests[request_id]
        if reason not in DEFAULT_DECLINE_REASONS:
            return InvalidInput
        if actor != request.mentor:
            return NotAllowed
        if request.status != "pending":
            return AlreadyHandled
        if pause_days is not None and (
            request.mentor not in self.mentors or not _valid_pause(pause_days)
        ):
            return InvalidInput
        return None

    def withdraw_error(self, request_id: int, actor: str) -> type[DomainError] | None:
        request = self.requests[request_id]
        if actor != request.mentee:
            return NotAllowed
        if request.status != "pending":
            return AlreadyHandled
        return None

    def pending_error(self, request_id: int) -> type[DomainError] | None:
        """remind and expire: anything but a pending request was already handled."""
        return None if self.requests[request_id].status == "pending" else AlreadyHandled

    def close_error(self, request_id: int, is_admin: bool, reason: str) -> type[DomainError] | None:
        if not is_admin:
            return NotAllowed
        if not reason.strip():
            return InvalidInput
        return self.pending_error(request_id)

    def end_error(
        self, relationship_id: int, actor: str, reason: str | None = None
    ) -> type[DomainError] | None:
        """finish (reason None) and abandon (a reason is required)."""
        relationship = self.relationships[relationship_id]
        if reason is not None and not reason.strip():
            return InvalidInput
        if actor not in ENROLLED:
            return NotEnrolled
        if actor not in (relationship.mentor, relationship.mentee):
            return NotAllowed
        if relationship.status != "active":
            return AlreadyHandled
        return None

    def pause_error(self, user: str, days: int) -> type[DomainError] | None:
        if user not in self.mentors:
            return NotEnrolled
        return None if _valid_pause(days) else InvalidInput

    def step_down_error(self, mentor: str) -> type[DomainError] | None:
        return LimitReached if self.active_as_mentor(mentor) else None

    def capacity_error(self, mentor: str, capacity: int) -> type[DomainError] | None:
        if capacity < 1:
            return InvalidInput
        if capacity < self.active_as_mentor(mentor):
            return LimitReached
        return None


def _bundle(value: int | None) -> MultipleResults[int]:
    """What a rule adds to its bundle: the new id, or nothing when the operation was refused."""
    return multiple() if value is None else multiple(value)


def _valid_pause(days: int) -> bool:
    return timedelta(0) < timedelta(days=days) <= MAX_PAUSE


# --------------------------------------------------------------------------------------------
# Where each Hypothesis example gets a fresh database.
# --------------------------------------------------------------------------------------------


def open_program(database: Database) -> Database:
    """Set up the workspace, its limits and the population every example starts from."""
    factories.workspace(database)
    with database.write() as session:
        update_settings(
            session=session,
            team_id=TEAM,
            actor=ADMIN,
            changes={
                "max_pending_requests_per_mentee": MAX_PENDING,
                "max_active_relationships_per_mentee": MAX_ACTIVE,
            },
            now=NOW,
        )
    for user, capacity in MENTOR_CAPACITY.items():
        factories.mentor(database, user, mentor_capacity=capacity)
    factories.mentor(database, BOTH_ROLES, as_mentee=True, interests=["python"], mentor_capacity=1)
    for user in MENTEES:
        if user != BOTH_ROLES:
            factories.mentee(database, user)
    return database


class Databases(Protocol):
    def fresh(self) -> Database:
        """A database holding exactly what ``open_program`` creates."""
        ...

    def release(self, database: Database) -> None: ...


class SqliteDatabases:
    """The program is set up once in a template file; each example works on a copy of it."""

    def __init__(self, migrated: Path, directory: Path) -> None:
        self._directory = directory
        self._template = directory / "program.sqlite3"
        shutil.copy(migrated, self._template)
        template = open_program(Database.from_url(f"sqlite:///{self._template}"))
        with template.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        template.dispose()
        self._numbers = count()
        self._paths: dict[int, Path] = {}

    def fresh(self) -> Database:
        path = self._directory / f"example-{next(self._numbers)}.sqlite3"
        shutil.copy(self._template, path)
        database = Database.from_url(f"sqlite:///{path}")
        self._paths[id(database)] = path
        return database

    def release(self, database: Database) -> None:
        database.dispose()
        path = self._paths.pop(id(database))
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)


class PostgresDatabases:
    """One migrated PostgreSQL database, emptied and set up again before each example."""

    def __init__(self, url: str) -> None:
        self.database = Database.from_url(url)

    def fresh(self) -> Database:
        # DELETE is much quicker than TRUNCATE for a few dozen rows; ids need not restart.
        with self.database.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
        return open_program(self.database)

    def release(self, database: Database) -> None:
        """The next example truncates; the test disposes of the engine."""


# --------------------------------------------------------------------------------------------
# The state machine.
# --------------------------------------------------------------------------------------------


class RequestLifecycle(RuleBasedStateMachine):
    """Random sequences of lifecycle operations; every outcome predicted, every step checked."""

    sent = Bundle("requests")
    started = Bundle("relationships")

    def __init__(self, databases: Databases) -> None:
        super().__init__()
        self.databases = databases
        self.db = databases.fresh()
        self.now = NOW
        self.model = Model()
        # The database as last read back, while no operation has succeeded since (saves reads).
        self.known: Snapshot | None = None
        with self.db.read() as session:
            rows = session.execute(select(Member.slack_user_id, Member.id)).all()
        self.member_ids: dict[str, int] = dict(rows)
        self.user_of = {member_id: user for user, member_id in self.member_ids.items()}

    def teardown(self) -> None:
        self.databases.release(self.db)

    # -- running an operation against its prediction ------------------------------------------

    def expect(
        self, error: type[DomainError] | None, operation: Callable[[Session], T]
    ) -> T | None:
        """Run ``operation`` in a write transaction; it must raise exactly ``error``, or succeed.

        A domain error must change nothing at all.
        """
        if error is None:
            self.known = None
            with self.db.write() as session:
                return operation(session)
        before = self.known or Snapshot.load(self.db)
        with pytest.raises(DomainError) as raised, self.db.write() as session:
            operation(session)
        assert type(raised.value) is error, f"expected {error.__name__}, got {raised.value!r}"
        self.known = Snapshot.load(self.db)
        assert self.known == before, f"{raised.value!r} left the database changed"
        return None

    def someone(self, who: Who, party: str, pair: tuple[str, str]) -> str:
        if who == "the other party":
            return party
        if who == "a stranger":
            return STRANGER
        return next(user for user in ENROLLED if user not in pair)

    # -- requests -------------------------------------------------------------------------------

    @initialize(
        target=sent,
        pairs=st.lists(st.tuples(st.sampled_from(MENTEES), st.sampled_from(MENTORS)), max_size=8),
    )
    def mentees_send_first_requests(self, pairs: list[tuple[str, str]]) -> Any:
        """The program opens with a burst of requests (some refused by the limits)."""
        sent = [self._send(mentee, mentor, GOOD_MESSAGE) for mentee, mentor in pairs]
        return multiple(*(request_id for request_id in sent if request_id is not None))

    @rule(target=sent, mentee=st.sampled_from(MENTEES), mentor=st.sampled_from(MENTORS))
    def send_request(self, mentee: str, mentor: str) -> Any:
        """A mentee asks a mentor: refused when limits, pauses, capacity or duplicates say so."""
        return _bundle(self._send(mentee, mentor, GOOD_MESSAGE))

    @rule(
        target=sent,
        sender=st.sampled_from(EVERYONE),
        recipient=st.sampled_from(EVERYONE),
        message=st.sampled_from([GOOD_MESSAGE, SHORT_MESSAGE]),
    )
    def send_request_from_anyone_to_anyone(self, sender: str, recipient: str, message: str) -> Any:
        """Strangers, mentors-only, yourself, non-mentors, short messages: the right error."""
        return _bundle(self._send(sender, recipient, message))

    def _send(self, mentee: str, mentor: str, message: str) -> int | None:
        error = self.model.send_error(mentee, mentor, message, self.now)
        view = self.expect(
            error,
            lambda session: requests.send_request(
                session=session,
                team_id=TEAM,
                mentee_user_id=mentee,
                mentor_user_id=mentor,
                message=message,
                now=self.now,
            ),
        )
        if view is None:
            return None
        assert (view.status, view.kind) == (RequestStatus.PENDING, RequestKind.MENTEE_REQUEST)
        assert view.id not in self.model.requests
        self.model.requests[view.id] = ModelRequest(mentee=mentee, mentor=mentor)
        return view.id

    @rule(target=started, request_id=sent)
    def accept(self, request_id: int) -> Any:
        """The addressed mentor accepts; the mentee's other pending requests are cancelled."""
        return _bundle(self._accept(request_id))

    @rule(target=started, mentor=st.sampled_from(MENTORS))
    def mentor_accepts_oldest_waiting_request(self, mentor: str) -> Any:
        """Like accept, aimed at a request still pending (so capacity limits come into play)."""
        waiting = [
            i for i, r in self.model.requests.items() if (r.mentor, r.status) == (mentor, "pending")
        ]
        return _bundle(self._accept(min(waiting))) if waiting else multiple()

    def _accept(self, request_id: int) -> int | None:
        request = self.model.requests[request_id]
        result = self.expect(
            self.model.accept_error(request_id, request.mentor),
            lambda session: requests.accept(
                session=session,
                team_id=TEAM,
                request_id=request_id,
                actor_user_id=request.mentor,
                now=self.now,
            ),
        )
        if result is None:
            return None
        request.status = RequestStatus.ACCEPTED
        others = {
            other_id
            for other_id, other in self.model.requests.items()
            if other.mentee == request.mentee and other.status == "pending"
        }
        # MAX_ACTIVE is 1: having a mentor now closes every other open request.
        assert {c.id for c in result.cancelled} == others
        for other_id in others:
            self.model.requests[other_id].status = RequestStatus.CANCELLED
        relationship = result.relationship
        assert (relationship.mentor_id, relationship.mentee_id, relationship.request_id) == (
            self.member_ids[request.mentor],
            self.member_ids[request.mentee],
            request_id,
        )
        self.model.relationships[relationship.id] = ModelRelationship(
            mentor=request.mentor, mentee=request.mentee, request_id=request_id
        )
        return relationship.id

    @rule(
        request_id=sent,
        reason=st.sampled_from([*DEFAULT_DECLINE_REASONS, "Not one of the listed reasons"]),
        pause_days=st.none() | st.sampled_from(PAUSE_DAYS),
    )
    def decline(self, request_id: int, reason: str, pause_days: int | None) -> None:
        """The addressed mentor declines with a listed reason, perhaps pausing themself too."""
        request = self.model.requests[request_id]
        pause_until = None if pause_days is None else self.now + timedelta(days=pause_days)
        view = self.expect(
            self.model.decline_error(request_id, request.mentor, reason, pause_days),
            lambda session: requests.decline(
                session=session,
                team_id=TEAM,
                request_id=request_id,
                actor_user_id=request.mentor,
                reason=reason,
                note="Good luck!",
                pause_until=pause_until,
                now=self.now,
            ),
        )
        if view is not None:
            assert (view.status, view.decline_reason) == (RequestStatus.DECLINED, reason)
            request.status = RequestStatus.DECLINED
            if pause_until is not None:
                self.model.paused_until[request.mentor] = pause_until
                self.model.member_events["member.paused"] += 1

    @rule(request_id=sent)
    def withdraw(self, request_id: int) -> None:
        """The mentee takes their request back."""
        request = self.model.requests[request_id]
        view = self.expect(
            self.model.withdraw_error(request_id, request.mentee),
            lambda session: requests.withdraw(
                session=session,
                team_id=TEAM,
                request_id=request_id,
                actor_user_id=request.mentee,
                now=self.now,
            ),
        )
        if view is not None:
            assert view.status is RequestStatus.WITHDRAWN
            request.status = RequestStatus.WITHDRAWN

    @rule(
        request_id=sent,
        action=st.sampled_from(["accept", "decline", "withdraw"]),
        who=st.sampled_from(["the other party", "a stranger", "a bystander"]),
    )
    def wrong_person_answers(self, request_id: int, action: str, who: Who) -> None:
        """Only the addressed mentor accepts or declines; only the mentee withdraws."""
        request = self.model.requests[request_id]
        pair = (request.mentee, request.mentor)
        if action == "withdraw":
            actor = self.someone(who, request.mentor, pair)
            error = self.model.withdraw_error(request_id, actor)
        else:
            actor = self.someone(who, request.mentee, pair)
            error = self.model.accept_error(request_id, actor)
        assert error is NotAllowed
        operation: Callable[..., Any] = {
            "accept": requests.accept,
            "withdraw": requests.withdraw,
            "decline": lambda **kw: requests.decline(reason=DEFAULT_DECLINE_REASONS[0], **kw),
        }[action]
        self.expect(
            error,
            lambda session: operation(
                session=session,
                team_id=TEAM,
                request_id=request_id,
                actor_user_id=actor,
                now=self.now,
            ),
        )

    @rule(request_id=sent)
    def remind(self, request_id: int) -> None:
        """The sweep (or an admin) nudges the mentor about a pending request."""
        view = self.expect(
            self.model.pending_error(request_id),
            lambda session: requests.remind(
                session=session,
                team_id=TEAM,
                request_id=request_id,
                actor=SYSTEM_SWEEP,
                now=self.now,
            ),
        )
        if view is not None:
            self.model.requests[request_id].reminders += 1
            assert view.reminder_count == self.model.requests[request_id].reminders
            assert view.last_reminded_at == self.now

    @rule(request_id=sent)
    def expire(self, request_id: int) -> None:
        """The sweep closes a request that waited too long."""
        view = self.expect(
            self.model.pending_error(request_id),
            lambda session: requests.expire(
                session=session, team_id=TEAM, request_id=request_id, now=self.now
            ),
        )
        if view is not None:
            assert view.status is RequestStatus.EXPIRED
            self.model.requests[request_id].status = RequestStatus.EXPIRED

    @rule(request_id=sent, is_admin=st.booleans(), reason=st.sampled_from(["", "Mentor left"]))
    def admin_closes(self, request_id: int, is_admin: bool, reason: str) -> None:
        """Only a program admin closes a pending request, and must give the mentee a reason."""
        view = self.expect(
            self.model.close_error(request_id, is_admin, reason),
            lambda session: requests.close_by_admin(
                session=session,
                team_id=TEAM,
                request_id=request_id,
                actor=Actor(ADMIN, is_admin=is_admin),
                reason=reason,
                now=self.now,
            ),
        )
        if view is not None:
            assert (view.status, view.close_reason) == (RequestStatus.CLOSED_BY_ADMIN, reason)
            self.model.requests[request_id].status = RequestStatus.CLOSED_BY_ADMIN

    # -- relationships --------------------------------------------------------------------------

    @rule(relationship_id=started, by_mentor=st.booleans())
    def finish(self, relationship_id: int, by_mentor: bool) -> None:
        """Either person marks the relationship completed; the mentor's slot frees up."""
        self._end(relationship_id, by_mentor, reason=None)

    @rule(relationship_id=started, by_mentor=st.booleans(), reason=st.sampled_from(["  ", "Moved"]))
    def abandon(self, relationship_id: int, by_mentor: bool, reason: str) -> None:
        """Either person ends it early, and must say why."""
        self._end(relationship_id, by_mentor, reason=reason)

    def _end(self, relationship_id: int, by_mentor: bool, reason: str | None) -> None:
        relationship = self.model.relationships[relationship_id]
        actor = relationship.mentor if by_mentor else relationship.mentee
        self._attempt_end(relationship_id, actor, reason)

    @rule(
        relationship_id=started,
        who=st.sampled_from(["a stranger", "a bystander"]),
        abandoning=st.booleans(),
    )
    def outsider_ends_relationship(self, relationship_id: int, who: Who, abandoning: bool) -> None:
        """Nobody outside the pair can end it."""
        relationship = self.model.relationships[relationship_id]
        pair = (relationship.mentee, relationship.mentor)
        self._attempt_end(
            relationship_id, self.someone(who, "", pair), "Moved" if abandoning else None
        )

    def _attempt_end(self, relationship_id: int, actor: str, reason: str | None) -> None:
        def operation(session: Session) -> Any:
            if reason is None:
                return relationships.finish(
                    session=session,
                    team_id=TEAM,
                    relationship_id=relationship_id,
                    actor_user_id=actor,
                    now=self.now,
                )
            return relationships.abandon(
                session=session,
                team_id=TEAM,
                relationship_id=relationship_id,
                actor_user_id=actor,
                reason=reason,
                now=self.now,
            )

        view = self.expect(self.model.end_error(relationship_id, actor, reason), operation)
        if view is not None:
            status = RelationshipStatus.FINISHED if reason is None else RelationshipStatus.ABANDONED
            assert (view.status, view.ended_at) == (status, self.now)
            self.model.relationships[relationship_id].status = status

    # -- members and time -----------------------------------------------------------------------

    @rule(user=st.sampled_from(EVERYONE), days=st.none() | st.sampled_from(PAUSE_DAYS))
    def pause_or_resume(self, user: str, days: int | None) -> None:
        """A mentor stops new requests for 1 day up to a year (days), or opens up again (None)."""
        if days is None:
            view = self.expect(
                None if user in self.model.mentors else NotEnrolled,
                lambda session: resume(
                    session=session, team_id=TEAM, slack_user_id=user, now=self.now
                ),
            )
            if view is not None and self.model.paused_until.get(user) is not None:
                self.model.paused_until[user] = None
                self.model.member_events["member.resumed"] += 1
            return
        until = self.now + timedelta(days=days)
        view = self.expect(
            self.model.pause_error(user, days),
            lambda session: pause(
                session=session, team_id=TEAM, slack_user_id=user, until=until, now=self.now
            ),
        )
        if view is not None:
            self.model.paused_until[user] = until
            self.model.member_events["member.paused"] += 1

    @rule(mentor=st.sampled_from(MENTORS), capacity=st.integers(min_value=0, max_value=3))
    def change_capacity(self, mentor: str, capacity: int) -> None:
        """A mentor edits their capacity (never below their mentees), or comes back to mentoring."""
        profile = parse_profile(
            {
                "display_name": f"Mentor {mentor}",
                "as_mentor": True,
                "as_mentee": mentor in self.model.mentees,
                "expertise": ["python"],
                "mentor_capacity": capacity,
            }
        )
        view = self.expect(
            self.model.capacity_error(mentor, capacity),
            lambda session: enroll(
                session=session, team_id=TEAM, slack_user_id=mentor, profile=profile, now=self.now
            ),
        )
        if view is not None:
            self.model.capacity[mentor] = capacity
            self.model.mentors.add(mentor)
            self.model.member_events["member.updated"] += 1

    @rule(mentor=st.sampled_from(MAY_STOP_MENTORING))
    def mentor_stops_mentoring(self, mentor: str) -> None:
        """A mentor keeps only the mentee role; refused while they still mentor someone."""
        profile = parse_profile({"display_name": f"Mentor {mentor}", "as_mentee": True})
        view = self.expect(
            self.model.step_down_error(mentor),
            lambda session: enroll(
                session=session, team_id=TEAM, slack_user_id=mentor, profile=profile, now=self.now
            ),
        )
        if view is not None:
            assert (view.is_mentor, view.is_mentee) == (False, True)
            self.model.mentors.discard(mentor)
            self.model.mentees.add(mentor)
            self.model.member_events["member.updated"] += 1

    @rule(hours=st.integers(min_value=1, max_value=24 * 10))
    def advance_clock(self, hours: int) -> None:
        """Time passes (pauses run out); it never goes back."""
        self.now += timedelta(hours=hours)

    # -- what must always hold ------------------------------------------------------------------

    @invariant()
    def database_agrees_with_model_and_invariants(self) -> None:
        state = self.known = self.known or Snapshot.load(self.db)
        self.check_limits(state)
        self.check_transition_stamps(state)
        self.check_events(state)
        self.check_outbox(state)
        self.check_model(state)

    def check_limits(self, state: Snapshot) -> None:
        active = [r for r in state.relationships if r.status is RelationshipStatus.ACTIVE]
        pending = [r for r in state.requests if r.status is RequestStatus.PENDING]
        for member in state.members:
            as_mentor = sum(r.mentor_id == member.id for r in active)
            assert as_mentor <= member.mentor_capacity, f"{member.slack_user_id} over capacity"
            assert member.is_mentor or not as_mentor, (
                f"{member.slack_user_id} mentors, not a mentor"
            )
            assert sum(r.mentee_id == member.id for r in active) <= MAX_ACTIVE
            waiting = [r for r in pending if r.mentee_id == member.id]
            assert sum(r.kind is RequestKind.MENTEE_REQUEST for r in waiting) <= MAX_PENDING
        pending_pairs = Counter((r.mentee_id, r.mentor_id) for r in pending)
        active_pairs = Counter((r.mentee_id, r.mentor_id) for r in active)
        assert max(pending_pairs.values(), default=0) <= 1
        assert max(active_pairs.values(), default=0) <= 1

    def check_transition_stamps(self, state: Snapshot) -> None:
        relationship_of = {r.request_id: r for r in state.relationships}
        for request in state.requests:
            stamps = {name: getattr(request, name) for name in STAMP.values()}
            if request.status is RequestStatus.PENDING:
                assert request.answered_at is None
                assert set(stamps.values()) == {None}
                assert request.id not in relationship_of
                continue
            own = STAMP[request.status]
            assert request.answered_at is not None, f"request {request.id} left pending unstamped"
            assert request.answered_at >= request.created_at
            assert stamps.pop(own) == request.answered_at
            assert set(stamps.values()) == {None}, f"request {request.id} has foreign stamps"
            if request.status is RequestStatus.ACCEPTED:
                relationship = relationship_of[request.id]
                assert relationship.started_at == request.accepted_at
                assert (relationship.mentor_id, relationship.mentee_id) == (
                    request.mentor_id,
                    request.mentee_id,
                )
            else:
                assert request.id not in relationship_of
        for relationship in state.relationships:
            ended = relationship.status is not RelationshipStatus.ACTIVE
            assert (relationship.ended_at is not None) == ended
            assert (relationship.ended_by is not None) == ended
            if ended:
                assert relationship.ended_at >= relationship.started_at
                assert relationship.ended_by in (relationship.mentor_id, relationship.mentee_id)

    def check_events(self, state: Snapshot) -> None:
        """Each request and relationship has exactly the history its state implies, in order.

        So, for example, there are as many "request.accepted" events as accepted requests, and as
        many "relationship.started" events as relationships.
        """
        history: dict[tuple[str, str], list[str]] = {}
        for event in state.events:
            history.setdefault((event.subject_type, event.subject_id), []).append(event.action)
        for request in state.requests:
            expected = ["request.sent"] + ["request.reminded"] * request.reminder_count
            if request.status is not RequestStatus.PENDING:
                expected.append(TERMINAL_EVENT[request.status])
            assert history.pop(("request", str(request.id))) == expected
        for relationship in state.relationships:
            expected = ["relationship.started"]
            if relationship.status is not RelationshipStatus.ACTIVE:
                expected.append(f"relationship.{relationship.status.value}")
            assert history.pop(("relationship", str(relationship.id))) == expected
        assert history.pop(("workspace", TEAM)) == ["settings.updated"]
        member_events = Counter(action for actions in history.values() for action in actions)
        assert {key[0] for key in history} <= {"member"}, (
            f"events about unknown subjects: {history}"
        )
        assert member_events == self.model.member_events

    def check_outbox(self, state: Snapshot) -> None:
        """Every change is announced to the right people, once; the notices a sweep or an admin
        can race on (reminders, expiry, an admin's close) carry distinct dedupe keys."""
        relationship_of = {r.request_id: r.id for r in state.relationships}
        notices: dict[tuple[str, int], Counter[tuple[str, int | None, int | None]]] = {}
        keys: dict[int, list[str]] = {}
        for row in state.outbox:
            if row.request_id is not None:
                subject = ("request", row.request_id)
            else:
                assert row.relationship_id is not None, f"notification about nothing: {row.kind}"
                subject = ("relationship", row.relationship_id)
            notices.setdefault(subject, Counter())[
                (row.kind, row.recipient_id, row.relationship_id)
            ] += 1
            if row.kind == "feedback.asked":  # the closure survey: once per person
                assert row.dedupe_key == f"feedback:{row.relationship_id}:{row.recipient_id}"
            elif row.dedupe_key is not None:
                assert row.kind in ("request.reminder", "request.expired", "request.closed")
                keys.setdefault(row.request_id or 0, []).append(row.dedupe_key)
        for request in state.requests:
            mentee, mentor, n = request.mentee_id, request.mentor_id, request.reminder_count
            expected = Counter({("request.received", mentor, None): 1})
            if n:
                expected[("request.reminder", mentor, None)] = n
            relationship_id = relationship_of.get(request.id)
            expected.update(
                {
                    RequestStatus.PENDING: [],
                    RequestStatus.ACCEPTED: [
                        ("request.accepted", mentee, relationship_id),
                        ("request.updated", mentor, None),
                        ("relationship.started", None, relationship_id),
                    ],
                    RequestStatus.DECLINED: [
                        ("request.declined", mentee, None),
                        ("request.updated", mentor, None),
                    ],
                    RequestStatus.WITHDRAWN: [("request.withdrawn", mentor, None)],
                    RequestStatus.EXPIRED: [
                        ("request.expired", mentee, None),
                        ("request.expired", mentor, None),
                    ],
                    RequestStatus.CLOSED_BY_ADMIN: [
                        ("request.closed", mentee, None),
                        ("request.closed", mentor, None),
                    ],
                    RequestStatus.CANCELLED: [("request.cancelled", mentor, None)],
                }[request.status]
            )
            assert notices.pop(("request", request.id)) == expected, f"request {request.id}"
            ended = {
                RequestStatus.EXPIRED: "expired",
                RequestStatus.CLOSED_BY_ADMIN: "closed",
            }.get(request.status)
            assert sorted(keys.pop(request.id, [])) == sorted(
                [f"reminder:{request.id}:{number}" for number in range(1, n + 1)]
                + ([f"{ended}:{request.id}:{p}" for p in (mentee, mentor)] if ended else [])
            )
        for relationship in state.relationships:
            if relationship.status is RelationshipStatus.ACTIVE:
                continue
            party = {relationship.mentor_id, relationship.mentee_id}
            (other,) = party - {relationship.ended_by}
            expected = Counter({("relationship.ended", other, relationship.id): 1})
            for person in party:  # each is asked for feedback on it
                expected[("feedback.asked", person, relationship.id)] = 1
            assert notices.pop(("relationship", relationship.id)) == expected
        assert notices == {}, f"unexplained notifications: {notices}"
        assert keys == {}

    def check_model(self, state: Snapshot) -> None:
        assert {
            r.id: (self.user_of[r.mentee_id], self.user_of[r.mentor_id], r.status, r.reminder_count)
            for r in state.requests
        } == {
            i: (r.mentee, r.mentor, r.status, r.reminders) for i, r in self.model.requests.items()
        }
        assert {
            r.id: (self.user_of[r.mentor_id], self.user_of[r.mentee_id], r.request_id, r.status)
            for r in state.relationships
        } == {
            i: (r.mentor, r.mentee, r.request_id, r.status)
            for i, r in self.model.relationships.items()
        }
        members = {m.slack_user_id: m for m in state.members}
        assert members.keys() == set(ENROLLED)
        assert {u: m.paused_until for u, m in members.items()} == self.model.paused_until
        assert {u: members[u].mentor_capacity for u in MENTORS} == self.model.capacity
        assert {u for u, m in members.items() if m.is_mentor} == self.model.mentors
        assert {u for u, m in members.items() if m.is_mentee} == self.model.mentees


@dataclass(frozen=True)
class Snapshot:
    """The rows the lifecycle writes (less messages and JSON payloads), read in one transaction."""

    members: Sequence[Row[Any]]
    requests: Sequence[Row[Any]]
    relationships: Sequence[Row[Any]]
    events: Sequence[Row[Any]]
    outbox: Sequence[Row[Any]]

    @classmethod
    def load(cls, database: Database) -> Snapshot:
        with database.engine.connect() as connection:

            def rows(*columns: Any) -> Sequence[Row[Any]]:
                return connection.execute(select(*columns).order_by(columns[0])).all()

            return cls(
                members=rows(
                    Member.id,
                    Member.slack_user_id,
                    Member.is_mentor,
                    Member.is_mentee,
                    Member.mentor_capacity,
                    Member.paused_until,
                    Member.updated_at,
                ),
                requests=rows(*(c for c in Request.__table__.c if c.name != "message")),
                relationships=rows(*Relationship.__table__.c),
                events=rows(Event.id, Event.action, Event.subject_type, Event.subject_id),
                outbox=rows(
                    OutboxMessage.id,
                    OutboxMessage.kind,
                    OutboxMessage.recipient_id,
                    OutboxMessage.request_id,
                    OutboxMessage.relationship_id,
                    OutboxMessage.dedupe_key,
                ),
            )


# --------------------------------------------------------------------------------------------
# The tests.
# --------------------------------------------------------------------------------------------


def test_former_mentor_cannot_take_on_a_mentee(db: Database) -> None:
    """A member who gave up the mentor role cannot start mentoring through an old request.

    Regression, found by the state machine: enroll() refuses to drop the mentor role while the
    member still has mentees, yet a request sent while they were a mentor stays pending, and
    accept() used to turn it into a relationship: a non-mentor with a mentee.
    """
    factories.workspace(db)
    factories.mentor(db, "UM1")
    factories.mentee(db, "UE1")
    with db.write() as session:
        request = requests.send_request(
            session=session,
            team_id=TEAM,
            mentee_user_id="UE1",
            mentor_user_id="UM1",
            message=GOOD_MESSAGE,
            now=NOW,
        )
    with db.write() as session:
        profile = parse_profile({"display_name": "Former mentor", "as_mentee": True})
        enroll(session=session, team_id=TEAM, slack_user_id="UM1", profile=profile, now=NOW)

    with pytest.raises(Unavailable), db.write() as session:
        requests.accept(
            session=session, team_id=TEAM, request_id=request.id, actor_user_id="UM1", now=NOW
        )

    assert Snapshot.load(db).relationships == []


SQLITE_SETTINGS = settings(max_examples=40, stateful_step_count=30, deadline=None)
POSTGRES_SETTINGS = settings(max_examples=20, stateful_step_count=30, deadline=None)


@pytest.mark.slow
def test_request_lifecycle_on_sqlite(sqlite_template: Path, tmp_path: Path) -> None:
    """Any sequence of lifecycle operations keeps SQLite consistent with the rules and model."""
    databases = SqliteDatabases(sqlite_template, tmp_path)
    run_state_machine_as_test(lambda: RequestLifecycle(databases), settings=SQLITE_SETTINGS)


@pytest.mark.slow
@pytest.mark.postgres
def test_request_lifecycle_on_postgres(postgres_url: str) -> None:
    """The same state machine on PostgreSQL, emptied between examples."""
    databases = PostgresDatabases(postgres_url)
    try:
        run_state_machine_as_test(lambda: RequestLifecycle(databases), settings=POSTGRES_SETTINGS)
    finally:
        databases.database.dispose()
