"""A push in two phases, on SQLite and PostgreSQL: choose while reading, then write in batches.

The plan is made in a read session and writes nothing; the write phase records a plan as given
(no scoring), after re-checking what may have changed in between: mentees matched meanwhile,
mentors paused, full or no longer mentors, requests made meanwhile, and newer pushes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from mentoring import requests as ops
from mentoring.core.actors import Actor
from mentoring.profiles.editing import enroll, parse_profile, pause
from mentoring.recommendations.apply import apply_push
from mentoring.recommendations.plan import MenteePlan, PushPlan, plan_from, plan_push, read_push
from mentoring.recommendations.service import push_recommendations
from mentoring.recommendations.spreading import Scored
from store.db import Database
from store.models import Event, Member, OutboxMessage, Recommendation
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.routing.test_routing import configure
from tests.snapshot import snapshot

ADMIN = Actor("UADMIN", is_admin=True)
MESSAGE = "I'd love help growing into a staff engineer role this year."
LATER = NOW + timedelta(minutes=5)


@pytest.fixture
def program(db: Database) -> Database:
    """Four mentors (one with a single slot) and three mentees, in self-service matching."""
    f.workspace(db)
    configure(db, matching_mode="self")
    f.mentor(db, "UMA", mentor_capacity=1, expertise=["python", "leadership"])
    for user in ("UMB", "UMC", "UMD"):
        f.mentor(db, user, mentor_capacity=2)
    for user in ("UE1", "UE2", "UE3"):
        f.mentee(db, user, interests=["python", "leadership"])
    return db


def plan(db: Database, per_mentee: int = 2, now: Any = NOW) -> PushPlan:
    with db.read() as s:
        return plan_push(
            session=s,
            team_id=TEAM,
            actor=ADMIN,
            per_mentee=per_mentee,
            functional_area=None,
            now=now,
        )


def apply(db: Database, push: PushPlan) -> tuple[dict[str, list[str]], list[str]]:
    """Write the whole plan; (mentee -> mentors written, mentees left alone), by Slack id."""
    with db.write() as s:
        applied = apply_push(session=s, plan=push, batch=push.mentees)
    users = ids(db)
    return (
        {users[m]: [users[p.mentor_id] for p in picks] for m, picks in applied.written.items()},
        sorted(users[m] for m in applied.changed),
    )


def ids(db: Database) -> dict[int, str]:
    with db.read() as s:
        return dict(s.execute(select(Member.id, Member.slack_user_id)).all())


def member_id(db: Database, user: str) -> int:
    return next(i for i, u in ids(db).items() if u == user)


def current(db: Database) -> dict[str, list[tuple[int, str, int]]]:
    """mentee -> (rank, mentor, score) of their current recommendations."""
    users = ids(db)
    out: dict[str, list[tuple[int, str, int]]] = {}
    with db.read() as s:
        rows = s.scalars(
            select(Recommendation)
            .where(Recommendation.superseded_at.is_(None))
            .order_by(Recommendation.mentee_id, Recommendation.rank)
        )
        for r in rows:
            out.setdefault(users[r.mentee_id], []).append((r.rank, users[r.mentor_id], r.score))
    return out


def planned(db: Database, push: PushPlan) -> dict[str, list[str]]:
    users = ids(db)
    return {users[m.mentee_id]: [users[p.mentor_id] for p in m.picks] for m in push.mentees}


def counts(db: Database) -> tuple[int, int, int]:
    """(recommendations, push events, queued messages) in the database."""
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Recommendation)) or 0,
            s.scalar(select(func.count()).where(Event.action == "recommendations.pushed")) or 0,
            s.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
        )


def accept_request(db: Database, mentee: str, mentor: str) -> None:
    with db.write() as s:
        req = ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            message=MESSAGE,
            now=NOW,
        )
        ops.accept(session=s, team_id=TEAM, request_id=req.id, actor_user_id=mentor, now=NOW)


def test_planning_writes_nothing_and_writing_records_the_plan(program: Database) -> None:
    push = plan(program)

    assert counts(program) == (0, 0, 0)
    assert push.mentees_considered == 3 and len(push.open_slots) == 4
    assert all(len(m.picks) == 2 and m.current == () for m in push.mentees)

    written, changed = apply(program, push)

    assert written == planned(program, push) and changed == []
    now = current(program)
    for mentee in push.mentees:
        user = ids(program)[mentee.mentee_id]
        assert [(rank, score) for rank, _m, score in now[user]] == [
            (rank, p.score) for rank, p in enumerate(mentee.picks, start=1)
        ]
    assert counts(program) == (6, 3, 3)
    with program.read() as s:
        e1 = member_id(program, "UE1")
        notice = s.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == e1)).one()
        recs = s.scalars(
            select(Recommendation.id).where(Recommendation.mentee_id == notice.recipient_id)
        ).all()
    assert notice.kind == "recommendations.pushed"
    assert notice.payload == {"recommendation_ids": sorted(recs)}


def test_the_choice_is_made_from_what_was_read_alone(program: Database) -> None:
    """Reading and choosing are apart: the choice runs with no session, on what was read."""
    before = plan(program)
    with program.read() as s:
        inputs = read_push(
            session=s, team_id=TEAM, actor=ADMIN, per_mentee=2, functional_area=None, now=NOW
        )
    with program.write() as s:  # after the read, before the choice
        pause(session=s, team_id=TEAM, slack_user_id="UMB", until=NOW + timedelta(days=9), now=NOW)

    assert plan_from(inputs) == before
    assert plan(program) != before  # read again, the pause counts


def test_the_write_phase_records_what_it_is_given_without_scoring(program: Database) -> None:
    """A plan made by hand, in an order and with scores no scoring would give, is kept as is."""
    e1, ma, mb, md = (member_id(program, u) for u in ("UE1", "UMA", "UMB", "UMD"))
    push = PushPlan(
        team_id=TEAM,
        actor=ADMIN,
        per_mentee=3,
        functional_area=None,
        now=NOW,
        mentees_considered=1,
        open_slots={ma: 1, mb: 2, md: 2},
        mentor_names={},
        mentees=(MenteePlan(e1, (Scored(md, 7), Scored(ma, 99), Scored(mb, 1)), ()),),
    )

    written, _changed = apply(program, push)

    assert written == {"UE1": ["UMD", "UMA", "UMB"]}
    assert current(program) == {"UE1": [(1, "UMD", 7), (2, "UMA", 99), (3, "UMB", 1)]}
    with program.read() as s:
        pushed = s.scalars(select(Event).where(Event.action == "recommendations.pushed")).one()
    assert (pushed.actor, pushed.before) == ("UADMIN", None)
    assert pushed.after == {"mentor_ids": [md, ma, mb], "asked_for": 3}


def test_a_mentee_matched_meanwhile_is_left_alone(program: Database) -> None:
    push = plan(program)
    accept_request(program, "UE1", "UMB")  # while the push was choosing

    written, changed = apply(program, push)

    assert changed == ["UE1"] and "UE1" not in written
    assert set(current(program)) == {"UE2", "UE3"}
    with program.read() as s:
        told = s.scalars(
            select(OutboxMessage.recipient_id).where(OutboxMessage.kind == "recommendations.pushed")
        ).all()
    assert sorted(told) == sorted(member_id(program, u) for u in ("UE2", "UE3"))


def test_mentors_unavailable_meanwhile_are_dropped_and_the_rest_ranked_again(
    program: Database,
) -> None:
    push = plan(program, per_mentee=4)
    assert all(len(m.picks) >= 3 for m in push.mentees)
    f.mentee(program, "ULATE", interests=["python"])
    accept_request(program, "ULATE", "UMA")  # UMA's only slot is taken
    with program.write() as s:
        pause(session=s, team_id=TEAM, slack_user_id="UMB", until=NOW + timedelta(days=9), now=NOW)
        enroll(  # UMC stays enrolled, as a mentee only
            session=s,
            team_id=TEAM,
            slack_user_id="UMC",
            profile=parse_profile(
                {"display_name": "Mentor UMC", "as_mentee": True, "tz": "Europe/London"}
            ),
            now=NOW,
        )

    written, changed = apply(program, push)

    gone = {"UMA", "UMB", "UMC"}
    expected = {
        mentee: [m for m in mentors if m not in gone]
        for mentee, mentors in planned(program, push).items()
    }
    assert written == {m: left for m, left in expected.items() if left}
    assert changed == sorted(m for m, left in expected.items() if not left)
    assert {m: [(r, u) for r, u, _s in recs] for m, recs in current(program).items()} == {
        m: list(enumerate(left, start=1)) for m, left in expected.items() if left
    }


def test_a_request_made_meanwhile_drops_that_pair_only(program: Database) -> None:
    push = plan(program)
    first = planned(program, push)["UE2"][0]
    with program.write() as s:
        ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UE2",
            mentor_user_id=first,
            message=MESSAGE,
            now=NOW,
        )

    written, _changed = apply(program, push)

    assert written["UE2"] == planned(program, push)["UE2"][1:]
    assert [u for _r, u, _s in current(program)["UE2"]] == written["UE2"]


def test_applying_a_plan_again_or_after_a_newer_push_changes_nothing(program: Database) -> None:
    first, rival = plan(program), plan(program)
    apply(program, first)
    after_first = snapshot(program)

    again = apply(program, first)  # a retry of the same writes
    stale = apply(program, rival)  # planned from the same state, written second

    assert again == ({}, ["UE1", "UE2", "UE3"]) and stale == again
    assert snapshot(program) == after_first

    newer = plan(program, per_mentee=1, now=LATER)
    written, _changed = apply(program, newer)
    assert set(written) == {"UE1", "UE2", "UE3"}
    assert counts(program) == (6 + 3, 3 + 3, 3 + 3)
    with program.read() as s:
        events = s.scalars(select(Event).where(Event.at == LATER)).all()
    previous = planned(program, first)
    users = ids(program)
    for e in events:
        assert e.before is not None
        assert [users[m] for m in e.before["mentor_ids"]] == previous[users[int(e.subject_id)]]


class RecordingDatabase(Database):
    """The same database, noting each session it opens and the statements run in it."""

    def __init__(self, db: Database) -> None:
        super().__init__(db.engine)
        self.sessions: list[tuple[str, list[str]]] = []
        self.pushed_after_each_write: list[int] = []
        self.counting = False

    def log(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.sessions and not self.counting:
            self.sessions[-1][1].append(statement)

    @contextmanager
    def read(self) -> Iterator[Session]:
        self.sessions.append(("read", []))
        with super().read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        self.sessions.append(("write", []))
        with super().write() as session:
            yield session
        self.counting = True
        with super().read() as session:
            self.pushed_after_each_write.append(
                session.scalar(select(func.count()).where(Event.action == "recommendations.pushed"))
                or 0
            )
        self.counting = False


def test_a_push_chooses_in_one_read_session_then_writes_in_short_batches(db: Database) -> None:
    f.workspace(db)
    for n in range(4):
        f.mentor(db, f"UM{n}", mentor_capacity=2)
    for n in range(5):
        f.mentee(db, f"UE{n}")
    expected = plan(db)
    recording = RecordingDatabase(db)
    event.listen(db.engine, "before_cursor_execute", recording.log)
    try:
        report = push_recommendations(
            db=recording,
            team_id=TEAM,
            actor=ADMIN,
            per_mentee=2,
            functional_area=None,
            now=NOW,
            batch_size=2,
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", recording.log)

    # One read session chooses; then a write transaction per two mentees; then the report's
    # profiles are read.
    assert [kind for kind, _statements in recording.sessions] == ["read", *["write"] * 3, "read"]
    assert recording.pushed_after_each_write == [2, 4, 5]
    choosing = recording.sessions[0][1]
    assert not any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in choosing)
    for _kind, statements in recording.sessions[1:-1]:
        # A fixed handful of statements by id, whatever the size of the program: no ranking.
        assert any(s.startswith("INSERT INTO recommendations") for s in statements)
        assert len(statements) <= 12
        assert not any("member_tags" in s or "workspaces" in s for s in statements)
    assert current(db) == {
        mentee: [(rank, mentor, p.score) for rank, (mentor, p) in enumerate(picks, start=1)]
        for mentee, picks in (
            (ids(db)[m.mentee_id], [(ids(db)[p.mentor_id], p) for p in m.picks])
            for m in expected.mentees
        )
    }
    assert (report.mentees_recommended, report.recommendations, report.mentees_changed) == (
        5,
        10,
        0,
    )


def test_a_writer_waiting_during_a_batch_goes_before_the_next_batch(sqlite_db: Database) -> None:
    """SQLite: the push needs no pause for this process's writers; they take turns."""
    db = sqlite_db
    f.workspace(db)
    for n in range(3):
        f.mentor(db, f"UM{n}", mentor_capacity=2)
    for n in range(4):
        f.mentee(db, f"UE{n}")
    order: list[str] = []
    other: list[threading.Thread] = []

    class Interleaved(Database):
        @contextmanager
        def write(self) -> Iterator[Session]:
            with super().write() as session:
                order.append("push batch")
                yield session
                if len(order) == 1:  # during the first batch, someone else asks to write
                    other.append(threading.Thread(target=someone_else))
                    other[0].start()
                    assert db.turns is not None and db.turns.wait_for_queue(1, 10)

    def someone_else() -> None:
        with db.write() as session:
            session.execute(text("UPDATE workspaces SET name = 'renamed'"))
            order.append("someone else")

    interleaved = Interleaved(db.engine)
    report = push_recommendations(
        db=interleaved,
        team_id=TEAM,
        actor=ADMIN,
        per_mentee=1,
        functional_area=None,
        now=NOW,
        batch_size=2,
    )
    other[0].join(10)
    assert order == ["push batch", "someone else", "push batch"]
    assert report.mentees_recommended == 4


def push(db: Database) -> None:
    """Two recommendations to every looking mentee of ``db``, now."""
    push_recommendations(
        db=db, team_id=TEAM, actor=ADMIN, per_mentee=2, functional_area=None, now=NOW
    )


def test_a_push_keeps_what_it_read_and_planned_out_of_garbage_collection_until_it_ends(
    program: Database,
) -> None:
    """Full collections walked a large push's millions of objects mid-write (0.4 s pauses)."""
    frozen_while_writing: list[int] = []

    class Watching(Database):
        @contextmanager
        def write(self) -> Iterator[Session]:
            frozen_while_writing.append(gc.get_freeze_count())
            with super().write() as session:
                yield session

    assert gc.get_freeze_count() == 0
    push(Watching(program.engine))

    assert frozen_while_writing and all(count > 0 for count in frozen_while_writing)
    assert gc.get_freeze_count() == 0  # collected as usual again afterwards


def test_choosing_runs_without_automatic_garbage_collection_restored_afterwards(
    program: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting_while_choosing: list[bool] = []

    def watched(inputs: Any) -> PushPlan:
        collecting_while_choosing.append(gc.isenabled())
        return plan_from(inputs)

    monkeypatch.setattr("mentoring.recommendations.service.plan_from", watched)
    assert gc.isenabled()
    push(program)

    assert collecting_while_choosing == [False]
    assert gc.isenabled()


def test_choosing_leaves_collection_off_when_it_was_off(program: Database) -> None:
    gc.disable()
    try:
        push(program)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_push_that_fails_leaves_garbage_collection_as_it_was(program: Database) -> None:
    class Failing(Database):
        @contextmanager
        def write(self) -> Iterator[Session]:
            raise RuntimeError("the database went away")
            yield  # pragma: no cover

    with pytest.raises(RuntimeError, match="went away"):
        push(Failing(program.engine))

    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
