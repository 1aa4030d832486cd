"""Admin-routed matching, rule by rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mentoring import requests as ops
from mentoring import routing
from mentoring.core.actors import Actor
from mentoring.core.errors import (
    AlreadyHandled,
    DomainError,
    Duplicate,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotFound,
    Unavailable,
)
from mentoring.core.wording import Words
from mentoring.home.app_home import home_for
from mentoring.profiles.editing import pause
from mentoring.program.settings_changes import update_settings
from mentoring.sweep.sweep import sweep
from store.db import Database
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Event, OutboxMessage, Relationship, Request
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.snapshot import snapshot

MESSAGE = "I'd love help growing into a staff engineer role this year."
ADMIN = Actor("UADMIN", is_admin=True)


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    configure(db, matching_mode="admin_routed")
    for mentor in ("UM1", "UM2", "UM3", "UM4"):
        f.mentor(db, mentor)
    f.mentee(db, "UE1")
    f.mentee(db, "UE2")
    return db


def configure(db: Database, **changes: Any) -> None:
    with db.write() as s:
        update_settings(session=s, team_id=TEAM, actor="UADMIN", changes=changes, now=NOW)


def submit(
    db: Database, mentee: str = "UE1", mentors: tuple[str, ...] = ("UM1", "UM2", "UM3"), **kw: Any
) -> routing.Submission:
    with db.write() as s:
        return routing.submit_preferences(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_ids=list(mentors),
            message=kw.get("message", MESSAGE),
            now=kw.get("now", NOW),
        )


def act(db: Database, fn: Callable[..., Any], **kw: Any) -> Any:
    with db.write() as s:
        return fn(session=s, team_id=TEAM, **{"now": NOW, **kw})


def rejected(db: Database, error: type[DomainError], fn: Callable[[], Any]) -> DomainError:
    before = snapshot(db)
    with pytest.raises(error) as info:
        fn()
    assert snapshot(db) == before
    assert info.value.message
    return info.value


def outbox(db: Database) -> list[tuple[str, int | None]]:
    with db.read() as s:
        rows = s.execute(
            select(OutboxMessage.kind, OutboxMessage.recipient_id).order_by(OutboxMessage.id)
        )
        return [(k, r) for k, r in rows]


def statuses(db: Database) -> dict[int, RequestStatus]:
    with db.read() as s:
        return {r.preference_rank or 0: r.status for r in s.scalars(select(Request))}


def test_submission_stores_ranked_pending_preferences_and_tells_no_mentor(
    program: Database,
) -> None:
    sub = submit(program)
    assert sub.status is routing.SubmissionStatus.PENDING
    assert [(p.rank, p.mentor.slack_user_id) for p in sub.preferences] == [
        (1, "UM1"),
        (2, "UM2"),
        (3, "UM3"),
    ]
    with program.read() as s:
        rows = s.scalars(select(Request).order_by(Request.preference_rank)).all()
        event = s.scalars(select(Event).where(Event.subject_type == "request")).one()
    assert {(r.kind, r.status, r.message) for r in rows} == {
        (RequestKind.ADMIN_ROUTED, RequestStatus.PENDING, MESSAGE)
    }
    assert sub.id == rows[0].id
    assert (event.action, event.actor) == ("preferences.submitted", "UE1")
    assert outbox(program) == []  # preferred mentors are never asked anything


@pytest.mark.parametrize(
    ("mentors", "error", "field"),
    [
        ((), InvalidInput, "preference_1"),
        (("UM1", "UM2", "UM3", "UM4"), InvalidInput, "preference_3"),
        (("UM1", "UM1"), InvalidInput, "preference_2"),
        (("UM1", "UE1"), InvalidInput, "preference_2"),
        (("UM1", "UNOBODY"), NotFound, "preference_2"),
        (("UE2",), NotFound, "preference_1"),
    ],
)
def test_submission_choice_rules_point_at_the_preference(
    program: Database, mentors: tuple[str, ...], error: type[DomainError], field: str
) -> None:
    assert rejected(program, error, lambda: submit(program, mentors=mentors)).field == field


def test_submission_refuses_paused_full_and_current_mentors(program: Database) -> None:
    with program.write() as s:
        pause(session=s, team_id=TEAM, slack_user_id="UM2", until=NOW + timedelta(days=5), now=NOW)
    err = rejected(program, Unavailable, lambda: submit(program, mentors=("UM1", "UM2")))
    assert err.field == "preference_2"
    f.mentor(program, "UFULL", mentor_capacity=1)
    f.mentee(program, "UE3")
    submit(program, "UE3", ("UFULL",))
    act(program, routing.assign, request_id=_pending_id(program, "UE3"), actor=ADMIN)
    err = rejected(program, Unavailable, lambda: submit(program, mentors=("UFULL",)))
    assert "no open mentoring slots" in err.message
    assert rejected(program, InvalidInput, lambda: submit(program, message="short")).field == (
        "message"
    )


def _pending_id(db: Database, mentee: str, rank: int = 1) -> int:
    with db.read() as s:
        home = home_for(session=s, team_id=TEAM, slack_user_id=mentee, is_admin=False, now=NOW)
    assert home.submission is not None
    return next(p.request.id for p in home.submission.preferences if p.rank == rank)


def test_mode_decides_between_requests_and_preferences(program: Database) -> None:
    err = rejected(
        program,
        NotAllowed,
        lambda: act(
            program,
            ops.send_request,
            mentee_user_id="UE1",
            mentor_user_id="UM1",
            message=MESSAGE,
        ),
    )
    assert "choose up to three preferred mentors" in err.message
    configure(program, matching_mode="self")
    assert "ask mentors directly" in rejected(program, NotAllowed, lambda: submit(program)).message


def test_one_submission_at_a_time_and_it_counts_as_one_pending_request(
    program: Database,
) -> None:
    configure(program, max_pending_requests_per_mentee=2)
    submit(program)
    err = rejected(program, LimitReached, lambda: submit(program, mentors=("UM4",)))
    assert "already with the program admins" in err.message
    # Back in self mode, the submission still waiting counts as one of the two allowed.
    configure(program, matching_mode="self")
    act(program, ops.send_request, mentee_user_id="UE1", mentor_user_id="UM4", message=MESSAGE)
    f.mentor(program, "UM5")
    rejected(
        program,
        LimitReached,
        lambda: act(
            program,
            ops.send_request,
            mentee_user_id="UE1",
            mentor_user_id="UM5",
            message=MESSAGE,
        ),
    )


def test_direct_requests_left_from_before_count_toward_the_limit(program: Database) -> None:
    configure(program, matching_mode="self", max_pending_requests_per_mentee=1)
    act(program, ops.send_request, mentee_user_id="UE1", mentor_user_id="UM4", message=MESSAGE)
    configure(program, matching_mode="admin_routed")
    assert "requests waiting" in rejected(program, LimitReached, lambda: submit(program)).message


def test_assign_starts_the_relationship_closes_the_rest_and_tells_the_pair(
    program: Database,
) -> None:
    submit(program)
    chosen = _pending_id(program, "UE1", rank=2)
    done = act(program, routing.assign, request_id=chosen, actor=ADMIN)

    assert done.submission.status is routing.SubmissionStatus.ASSIGNED
    assert done.submission.assigned is not None
    assert done.submission.assigned.slack_user_id == "UM2"
    assert statuses(program) == {
        1: RequestStatus.CANCELLED,
        2: RequestStatus.ACCEPTED,
        3: RequestStatus.CANCELLED,
    }
    with program.read() as s:
        rel = s.scalars(select(Relationship)).one()
        actions = s.scalars(
            select(Event.action)
            .where(Event.subject_type.in_(("request", "relationship")))
            .order_by(Event.id)
        ).all()
        um2 = s.get_one(Request, chosen).mentor_id
        ue1 = s.get_one(Request, chosen).mentee_id
    assert (rel.status, rel.mentor_id, rel.mentee_id, rel.request_id) == (
        RelationshipStatus.ACTIVE,
        um2,
        ue1,
        chosen,
    )
    assert actions == [
        "preferences.submitted",
        "request.assigned",
        "relationship.started",
        "request.cancelled",
        "request.cancelled",
    ]
    # The group DM first, then the mentee and the mentor; the other two mentors hear nothing.
    assert outbox(program) == [
        ("relationship.started", None),
        ("match.assigned", ue1),
        ("match.assigned", um2),
    ]


def test_assign_is_for_admins_only(program: Database) -> None:
    submit(program)
    chosen = _pending_id(program, "UE1")
    rejected(
        program,
        NotAllowed,
        lambda: act(program, routing.assign, request_id=chosen, actor=Actor("UM1")),
    )
    # The preferred mentor cannot accept it as if it were a request either.
    rejected(
        program,
        NotAllowed,
        lambda: act(program, ops.accept, request_id=chosen, actor_user_id="UM1"),
    )


def test_assign_checks_capacity_pause_and_repeats(program: Database) -> None:
    f.mentor(program, "USOLO", mentor_capacity=1)
    submit(program, "UE1", ("USOLO", "UM1"))
    submit(program, "UE2", ("USOLO", "UM2"))
    act(program, routing.assign, request_id=_pending_id(program, "UE1"), actor=ADMIN)
    err = rejected(
        program,
        LimitReached,
        lambda: act(program, routing.assign, request_id=_pending_id(program, "UE2"), actor=ADMIN),
    )
    assert "already has 1 of 1" in err.message
    with program.write() as s:
        pause(session=s, team_id=TEAM, slack_user_id="UM2", until=NOW + timedelta(days=3), now=NOW)
    rejected(
        program,
        Unavailable,
        lambda: act(
            program, routing.assign, request_id=_pending_id(program, "UE2", 2), actor=ADMIN
        ),
    )
    with program.read() as s:
        first = s.scalars(select(Relationship.request_id)).one()
    err = rejected(
        program,
        AlreadyHandled,
        lambda: act(program, routing.assign, request_id=first or 0, actor=ADMIN),
    )
    assert "already assigned" in err.message


def test_close_tells_the_mentee_the_reason_only(program: Database) -> None:
    sub = submit(program)
    rejected(
        program,
        NotAllowed,
        lambda: act(
            program, routing.close_submission, request_id=sub.id, actor=Actor("UE2"), reason="x"
        ),
    )
    rejected(
        program,
        InvalidInput,
        lambda: act(program, routing.close_submission, request_id=sub.id, actor=ADMIN, reason=""),
    )
    closed = act(
        program,
        routing.close_submission,
        request_id=sub.id,
        actor=ADMIN,
        reason="None of them has room until June.",
    )
    assert closed.status is routing.SubmissionStatus.CLOSED
    assert closed.close_reason == "None of them has room until June."
    assert set(statuses(program).values()) == {RequestStatus.CLOSED_BY_ADMIN}
    assert outbox(program) == [("match.closed", sub.mentee.id)]
    rejected(
        program,
        AlreadyHandled,
        lambda: act(program, routing.close_submission, request_id=sub.id, actor=ADMIN, reason="x"),
    )
    # Closed, the mentee may submit again.
    assert submit(program, mentors=("UM4",)).status is routing.SubmissionStatus.PENDING


def test_withdraw_is_for_the_mentee_and_frees_them_to_submit_again(program: Database) -> None:
    sub = submit(program)
    rejected(
        program,
        NotAllowed,
        lambda: act(program, routing.withdraw_submission, request_id=sub.id, actor_user_id="UE2"),
    )
    # A single preference cannot be withdrawn on its own (its mentor was never told).
    rejected(
        program,
        NotAllowed,
        lambda: act(program, ops.withdraw, request_id=sub.id, actor_user_id="UE1"),
    )
    out = act(program, routing.withdraw_submission, request_id=sub.id, actor_user_id="UE1")
    assert out.status is routing.SubmissionStatus.WITHDRAWN
    assert outbox(program) == []
    assert submit(program, mentors=("UM2",)).preferences[0].mentor.slack_user_id == "UM2"


def test_two_submissions_in_the_same_instant_stay_apart(program: Database) -> None:
    first = submit(program, mentors=("UM1", "UM2"))
    act(program, routing.withdraw_submission, request_id=first.id, actor_user_id="UE1")
    second = submit(program, mentors=("UM3", "UM4"))
    with program.read() as s:
        again = routing.get_submission(session=s, team_id=TEAM, request_id=first.id, now=NOW)
        latest = routing.get_submission(session=s, team_id=TEAM, request_id=second.id, now=NOW)
    assert [p.mentor.slack_user_id for p in again.preferences] == ["UM1", "UM2"]
    assert again.status is routing.SubmissionStatus.WITHDRAWN
    assert [p.mentor.slack_user_id for p in latest.preferences] == ["UM3", "UM4"]
    assert latest.status is routing.SubmissionStatus.PENDING


def test_queue_lists_pending_submissions_oldest_first_with_scores_and_slots(
    program: Database,
) -> None:
    f.mentor(program, "UBUSY", mentor_capacity=2, expertise=["python"], functional_area="Data")
    submit(program, "UE2", ("UM1",), now=NOW - timedelta(days=2))
    submit(program, "UE1", ("UBUSY", "UM2"))
    with program.read() as s:
        queue = routing.pending_queue(session=s, team_id=TEAM, now=NOW)
    assert queue.total == 2
    assert [q.mentee.slack_user_id for q in queue.submissions] == ["UE2", "UE1"]
    busy = queue.submissions[1].preferences[0]
    assert (busy.rank, busy.open_slots, busy.active_mentees) == (1, 2, 0)
    # The mentee's interests (python) and area (Engineering) against the mentor's profile.
    assert busy.score.total < queue.submissions[1].preferences[1].score.total
    assert "Shares 1 expertise tag: python" in busy.score.reasons


def test_accepting_another_offer_closes_the_submission_silently(program: Database) -> None:
    configure(program, mentor_offers_enabled=True)
    sub = submit(program)
    from mentoring.offers.sending import send_offer

    offer = act(
        program,
        send_offer,
        mentor_user_id="UM4",
        mentee_user_id="UE1",
        message="I'd be glad to help you grow as an engineer.",
    )
    act(program, ops.accept, request_id=offer.id, actor_user_id="UE1")
    with program.read() as s:
        preferences = s.scalars(
            select(Request.status).where(Request.kind == RequestKind.ADMIN_ROUTED)
        ).all()
        got = routing.get_submission(session=s, team_id=TEAM, request_id=sub.id, now=NOW)
    assert set(preferences) == {RequestStatus.CANCELLED}
    assert got.status is routing.SubmissionStatus.CANCELLED
    kinds = [kind for kind, _to in outbox(program)]
    assert "request.cancelled" not in kinds  # the preferred mentors were never asked
    late = rejected(
        program,
        AlreadyHandled,
        lambda: act(program, routing.assign, request_id=sub.id, actor=ADMIN),
    )
    assert late.say(Words("guide", "learner")) == (
        "These preferences were already closed because the learner found a guide."
    )


def test_sweep_never_reminds_and_closes_a_forgotten_submission_once(program: Database) -> None:
    sub = submit(program)
    with program.write() as s:
        report = sweep(session=s, team_id=TEAM, now=NOW + timedelta(days=13), admin_user_ids=())
    assert (report.reminded, report.expired) == (0, 0)
    assert outbox(program) == []
    later = NOW + timedelta(days=14)
    for _ in range(2):
        with program.write() as s:
            sweep(session=s, team_id=TEAM, now=later, admin_user_ids=())
    assert set(statuses(program).values()) == {RequestStatus.EXPIRED}
    assert outbox(program) == [("match.expired", sub.mentee.id)]
    with program.read() as s:
        home = home_for(session=s, team_id=TEAM, slack_user_id="UE1", is_admin=False, now=later)
    assert home.submission is not None
    assert home.submission.status is routing.SubmissionStatus.EXPIRED


def test_home_shows_the_submission_not_the_rows_and_mentors_see_nothing(
    program: Database,
) -> None:
    submit(program)
    with program.read() as s:
        mentee = home_for(session=s, team_id=TEAM, slack_user_id="UE1", is_admin=False, now=NOW)
        mentor = home_for(session=s, team_id=TEAM, slack_user_id="UM1", is_admin=False, now=NOW)
    assert mentee.sent == ()
    assert mentee.submission is not None
    assert len(mentee.submission.preferences) == 3
    assert mentor.waiting_for_me == ()
    # A decided submission leaves Home after a month.
    act(program, routing.assign, request_id=_pending_id(program, "UE1"), actor=ADMIN)
    with program.read() as s:
        soon = home_for(
            session=s,
            team_id=TEAM,
            slack_user_id="UE1",
            is_admin=False,
            now=NOW + timedelta(days=29),
        )
        later = home_for(
            session=s,
            team_id=TEAM,
            slack_user_id="UE1",
            is_admin=False,
            now=NOW + timedelta(days=31),
        )
    assert soon.submission is not None and later.submission is None


def test_duplicate_with_a_pending_request_to_the_same_mentor(program: Database) -> None:
    configure(program, matching_mode="self")
    act(program, ops.send_request, mentee_user_id="UE1", mentor_user_id="UM1", message=MESSAGE)
    configure(program, matching_mode="admin_routed")
    err = rejected(program, Duplicate, lambda: submit(program, mentors=("UM2", "UM1")))
    assert err.field == "preference_2"


def test_request_follow_ups_leave_preferences_alone(program: Database) -> None:
    sub = submit(program)
    for fn, kw in (
        (ops.close_by_admin, {"actor": ADMIN, "reason": "Closing just one of them."}),
        (ops.remind, {"actor": "UADMIN"}),
    ):
        err = rejected(
            program, NotAllowed, lambda fn=fn, kw=kw: act(program, fn, request_id=sub.id, **kw)
        )
        assert err.say(Words("guide", "learner")) == (
            "This is one of a learner's preferences for the admins: assign or close them from "
            "`/mentor-admin queue`."
        )
