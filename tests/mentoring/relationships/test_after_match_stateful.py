"""Relationships after the match as a state machine, on a real database.

Hypothesis drives random sequences of the real operations (requests accepted, check-ins asked
by the sweep and answered by the right and the wrong people, terms extended, confirmed or left
to run out, relationships finished, members leaving Slack and coming back) while a clock only
moves forward. After every step the database is read back and the issue's invariants checked:

* a check-in is asked at most once per pair per period: a pair's check-ins are numbered 1..n
  with no gap, each at least ``checkin_every_days`` after the one before (or the start), and
  each announced by exactly one notice;
* an ended relationship gets no check-in: none asked after it ended, none left open;
* a deactivated member is in no pending ask and no active relationship;
* once a sweep has run, no active relationship is past the end of its term;
* nobody is asked for feedback twice on one relationship, nor on an active one;
* no mentor has more active relationships than their capacity.

The request lifecycle's own machine (tests/mentoring/test_lifecycle_stateful.py) checks every
event and notice of asks; this one checks what comes after.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from mentoring.core.errors import DomainError
from mentoring.program.settings import get_settings
from mentoring.relationships import lifecycle
from mentoring.relationships.checkins import Answer, answer_checkin
from mentoring.relationships.departures import member_left, member_returned
from mentoring.relationships.terms import confirm_finish, extend_term
from mentoring.requests.answers import accept
from mentoring.requests.sending import send_request
from mentoring.sweep.relationships import sweep_relationships
from store.enums import RelationshipStatus, RequestStatus
from store.models import CheckIn, Feedback, Member, OutboxMessage, Relationship, Request
from tests.conftest import NOW, TEAM
from tests.mentoring.relationships.helpers import MESSAGE, configure
from tests.mentoring.test_lifecycle_stateful import Databases, PostgresDatabases, SqliteDatabases

EVERY = 14
TERM = 60
# The population of the lifecycle machine's program (open_program): mentors of capacity 1-2,
# mentees, and UD1, both.
MENTORS = ("UM1", "UM2", "UM3", "UD1")
MENTEES = ("UE1", "UE2", "UE3", "UE4", "UD1")
PEOPLE = tuple(dict.fromkeys((*MENTORS, *MENTEES)))
SIDE = st.sampled_from(("mentor", "mentee", "stranger"))


class AfterTheMatch(RuleBasedStateMachine):
    """Check-ins, terms and departures under any sequence of steps."""

    def __init__(self, databases: Databases) -> None:
        super().__init__()
        self.databases = databases
        self.db = databases.fresh()
        self.now = NOW
        self.swept_at: datetime | None = None
        configure(self.db, checkin_every_days=EVERY, relationship_term_days=TERM)

    def teardown(self) -> None:
        self.databases.release(self.db)

    def attempt(self, operation: Any, **arguments: Any) -> None:
        """Run an operation as a person would; a refusal is fine, and must change nothing."""
        try:
            with self.db.write() as session:
                operation(session=session, team_id=TEAM, now=self.now, **arguments)
        except DomainError:
            pass

    def relationship(self, index: int) -> Relationship | None:
        with self.db.read() as session:
            rows = session.scalars(select(Relationship).order_by(Relationship.id)).all()
            session.expunge_all()
        return rows[index % len(rows)] if rows else None

    def person(self, relationship: Relationship, side: str) -> str:
        with self.db.read() as session:
            member_id = {"mentor": relationship.mentor_id, "mentee": relationship.mentee_id}.get(
                side
            )
            member = session.get(Member, member_id) if member_id else None
            return member.slack_user_id if member else "UM2" if side == "stranger" else "UE4"

    # -- steps ----------------------------------------------------------------------------------

    @rule(mentee=st.sampled_from(MENTEES), mentor=st.sampled_from(MENTORS), take=st.booleans())
    def ask_and_maybe_accept(self, mentee: str, mentor: str, take: bool) -> None:
        try:
            with self.db.write() as session:
                request = send_request(
                    session=session,
                    team_id=TEAM,
                    mentee_user_id=mentee,
                    mentor_user_id=mentor,
                    message=MESSAGE,
                    now=self.now,
                )
        except DomainError:
            return
        if take:
            self.attempt(accept, request_id=request.id, actor_user_id=mentor)

    @rule(hours=st.integers(min_value=1, max_value=24 * 20))
    def time_passes_and_the_sweep_runs(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        with self.db.write() as session:
            settings_now = get_settings(session=session, team_id=TEAM)
            sweep_relationships(session, TEAM, settings_now, self.now)
        self.swept_at = self.now

    @rule(index=st.integers(0, 20), side=SIDE, answer=st.sampled_from(list(Answer)))
    def someone_answers_the_latest_check_in(self, index: int, side: str, answer: Answer) -> None:
        relationship = self.relationship(index)
        if relationship is None:
            return
        with self.db.read() as session:
            latest = session.scalar(
                select(CheckIn.id)
                .where(CheckIn.relationship_id == relationship.id)
                .order_by(CheckIn.number.desc())
                .limit(1)
            )
        if latest is not None:
            self.attempt(
                answer_checkin,
                checkin_id=latest,
                actor_user_id=self.person(relationship, side),
                answer=answer,
                note="We need a hand" if answer is Answer.HELP else "",
            )

    @rule(index=st.integers(0, 20), side=SIDE, extend=st.booleans())
    def someone_decides_the_term(self, index: int, side: str, extend: bool) -> None:
        relationship = self.relationship(index)
        if relationship is None or relationship.term_ends_at is None:
            return
        self.attempt(
            extend_term if extend else confirm_finish,
            relationship_id=relationship.id,
            actor_user_id=self.person(relationship, side),
            seen_end=relationship.term_ends_at,
        )

    @rule(index=st.integers(0, 20), side=SIDE)
    def someone_finishes(self, index: int, side: str) -> None:
        relationship = self.relationship(index)
        if relationship is not None:
            self.attempt(
                lifecycle.finish,
                relationship_id=relationship.id,
                actor_user_id=self.person(relationship, side),
            )

    @rule(user=st.sampled_from(PEOPLE), back=st.booleans())
    def someone_leaves_slack_or_comes_back(self, user: str, back: bool) -> None:
        with self.db.write() as session:
            if back:
                member_returned(session=session, team_id=TEAM, slack_user_id=user, now=self.now)
            else:
                member_left(
                    session=session,
                    team_id=TEAM,
                    slack_user_id=user,
                    admins=["UADMIN"],
                    now=self.now,
                )

    # -- what must always hold ------------------------------------------------------------------

    @invariant()
    def the_issues_invariants_hold(self) -> None:
        with self.db.read() as session:
            relationships = {r.id: r for r in session.scalars(select(Relationship))}
            checkins = session.scalars(
                select(CheckIn).order_by(CheckIn.relationship_id, CheckIn.number)
            ).all()
            asked = Counter(
                session.scalars(
                    select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "checkin.asked")
                )
            )
            gone = {
                m.id
                for m in session.scalars(select(Member).where(Member.deactivated_at.is_not(None)))
            }
            pending = session.scalars(
                select(Request).where(Request.status == RequestStatus.PENDING)
            ).all()
            feedback = session.execute(select(Feedback.relationship_id, Feedback.member_id)).all()
            capacity = dict(session.execute(select(Member.id, Member.mentor_capacity)).all())
        by_pair: dict[int, list[CheckIn]] = {}
        for checkin in checkins:
            by_pair.setdefault(checkin.relationship_id, []).append(checkin)
        for rel_id, rows in by_pair.items():
            rel = relationships[rel_id]
            assert [c.number for c in rows] == list(range(1, len(rows) + 1))
            assert rel.checkins_asked == len(rows)
            previous = rel.started_at
            for c in rows:
                assert c.asked_at - previous >= timedelta(days=EVERY), "asked twice in a period"
                previous = c.asked_at
                assert asked[f"checkin:{rel_id}:{c.number}"] == 1
            if rel.status is not RelationshipStatus.ACTIVE:
                assert rel.ended_at is not None
                assert all(c.asked_at <= rel.ended_at for c in rows), "asked after it ended"
                assert all(c.closed_at is not None for c in rows), "left open after it ended"
        active = [r for r in relationships.values() if r.status is RelationshipStatus.ACTIVE]
        for rel in active:
            assert not {rel.mentor_id, rel.mentee_id} & gone, "a member who left is still paired"
            if self.swept_at is not None and rel.term_ends_at is not None:
                assert rel.term_ends_at > self.swept_at, "active past the end of its term"
        for request in pending:
            assert not {request.mentor_id, request.mentee_id} & gone, "a member who left waits"
        assert max(Counter(feedback).values(), default=0) <= 1
        for rel_id, _member in feedback:
            assert relationships[rel_id].status is not RelationshipStatus.ACTIVE
        load = Counter(r.mentor_id for r in active)
        assert all(load[m] <= capacity[m] for m in load)


SQLITE_SETTINGS = settings(max_examples=30, stateful_step_count=30, deadline=None)
POSTGRES_SETTINGS = settings(max_examples=12, stateful_step_count=25, deadline=None)


@pytest.mark.slow
def test_after_the_match_on_sqlite(sqlite_template: Path, tmp_path: Path) -> None:
    databases = SqliteDatabases(sqlite_template, tmp_path)
    run_state_machine_as_test(lambda: AfterTheMatch(databases), settings=SQLITE_SETTINGS)


@pytest.mark.slow
@pytest.mark.postgres
def test_after_the_match_on_postgres(postgres_url: str) -> None:
    databases = PostgresDatabases(postgres_url)
    try:
        run_state_machine_as_test(lambda: AfterTheMatch(databases), settings=POSTGRES_SETTINGS)
    finally:
        databases.database.dispose()
