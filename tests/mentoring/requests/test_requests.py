"""The request lifecycle, rule by rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mentoring import requests as ops
from mentoring.core.actors import Actor
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
from mentoring.profiles.editing import pause
from mentoring.program.settings_changes import update_settings
from store.db import Database
from store.enums import RelationshipStatus, RequestStatus
from store.models import Event, Member, OutboxMessage, Request
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.snapshot import snapshot

MESSAGE = "I'd love help growing from senior engineer to staff engineer."


@pytest.fixture
def program(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UMENTOR")
    f.mentee(db, "UMENTEE")
    return db


def send(db: Database, mentee: str = "UMENTEE", mentor: str = "UMENTOR", **kw: Any) -> Any:
    with db.write() as s:
        return ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            message=kw.pop("message", MESSAGE),
            now=kw.pop("now", NOW),
        )


def act(db: Database, fn: Callable[..., Any], **kw: Any) -> Any:
    with db.write() as s:
        return fn(session=s, team_id=TEAM, **kw)


def outbox_kinds(db: Database, request_id: int) -> list[tuple[str, int | None]]:
    with db.read() as s:
        rows = s.execute(
            select(OutboxMessage.kind, OutboxMessage.recipient_id)
            .where(OutboxMessage.request_id == request_id)
            .order_by(OutboxMessage.id)
        )
        return [(k, r) for k, r in rows]


def assert_rejected(db: Database, error: type[DomainError], fn: Callable[[], Any]) -> DomainError:
    """The operation raises ``error`` and the database is exactly as before."""
    before = snapshot(db)
    with pytest.raises(error) as info:
        fn()
    assert snapshot(db) == before
    assert info.value.message  # a sentence for the user, not an empty string
    return info.value


def test_send_creates_pending_request_event_and_notice_for_mentor(program: Database) -> None:
    req = send(program)
    assert req.status is RequestStatus.PENDING
    assert req.message == MESSAGE
    assert outbox_kinds(program, req.id) == [("request.received", req.mentor_id)]
    with program.read() as s:
        event = s.scalars(select(Event).where(Event.action == "request.sent")).one()
    assert (event.actor, event.subject_id) == ("UMENTEE", str(req.id))


@pytest.mark.parametrize(
    ("message", "field"),
    [("", "message"), ("too short", "message"), ("x" * 10_000, "message"), ("   " * 30, "message")],
)
def test_send_rejects_bad_messages(program: Database, message: str, field: str) -> None:
    err = assert_rejected(program, InvalidInput, lambda: send(program, message=message))
    assert err.field == field


def test_send_rules(program: Database) -> None:
    f.mentor(program, "UOTHER")
    assert_rejected(
        program, InvalidInput, lambda: send(program, mentee="UMENTEE", mentor="UMENTEE")
    )
    assert_rejected(program, NotEnrolled, lambda: send(program, mentee="UNOBODY"))
    assert_rejected(program, NotFound, lambda: send(program, mentor="UNOBODY"))
    # A mentor-only member cannot request; a mentee-only member cannot be requested.
    assert_rejected(program, NotEnrolled, lambda: send(program, mentee="UOTHER"))
    f.mentee(program, "UMENTEE2")
    assert_rejected(program, NotFound, lambda: send(program, mentor="UMENTEE2"))


def test_unknown_workspace_is_rejected(program: Database) -> None:
    with pytest.raises(NotFound), program.write() as s:
        ops.send_request(
            session=s,
            team_id="TUNKNOWN",
            mentee_user_id="UMENTEE",
            mentor_user_id="UMENTOR",
            message=MESSAGE,
            now=NOW,
        )


def test_one_pending_request_per_pair_and_redo_after_decline(program: Database) -> None:
    first = send(program)
    assert_rejected(program, Duplicate, lambda: send(program))
    act(
        program,
        ops.decline,
        request_id=first.id,
        actor_user_id="UMENTOR",
        reason="I don't have time right now",
        now=NOW,
    )
    again = send(program, now=NOW + timedelta(days=1))
    assert again.id != first.id
    assert again.status is RequestStatus.PENDING


def test_pending_limit_counts_only_requests_the_mentee_sent(program: Database) -> None:
    for i in range(3):
        f.mentor(program, f"UM{i}")
        send(program, mentor=f"UM{i}")
    err = assert_rejected(program, LimitReached, lambda: send(program))
    assert "3 requests waiting" in err.message


def test_paused_mentor_and_full_mentor_are_unavailable(program: Database) -> None:
    with program.write() as s:
        pause(
            session=s,
            team_id=TEAM,
            slack_user_id="UMENTOR",
            until=NOW + timedelta(days=10),
            now=NOW,
        )
    err = assert_rejected(program, Unavailable, lambda: send(program))
    assert "March 12, 2026" in err.message
    assert_rejected(
        program,
        InvalidInput,
        lambda: act(
            program, pause, slack_user_id="UMENTOR", until=NOW - timedelta(days=1), now=NOW
        ),
    )

    f.mentor(program, "UFULL", mentor_capacity=1)
    f.mentee(program, "UFIRST")
    req = send(program, mentee="UFIRST", mentor="UFULL")
    act(program, ops.accept, request_id=req.id, actor_user_id="UFULL", now=NOW)
    assert_rejected(program, Unavailable, lambda: send(program, mentor="UFULL"))


def test_accept_starts_relationship_and_notifies_everyone(program: Database) -> None:
    req = send(program)
    result = act(program, ops.accept, request_id=req.id, actor_user_id="UMENTOR", now=NOW)
    assert result.request.status is RequestStatus.ACCEPTED
    assert result.request.answered_at == NOW
    assert result.relationship.status is RelationshipStatus.ACTIVE
    assert (result.relationship.mentor_id, result.relationship.mentee_id) == (
        req.mentor_id,
        req.mentee_id,
    )
    assert outbox_kinds(program, req.id) == [
        ("request.received", req.mentor_id),
        ("relationship.started", None),
        ("request.accepted", req.mentee_id),
        ("request.updated", req.mentor_id),
    ]


def test_accept_is_for_the_addressed_mentor_only_and_only_once(program: Database) -> None:
    req = send(program)
    f.mentor(program, "USTRANGER")
    for who in ("USTRANGER", "UMENTEE", "UNOBODY"):
        assert_rejected(
            program,
            NotAllowed,
            lambda who=who: act(program, ops.accept, request_id=req.id, actor_user_id=who, now=NOW),
        )
    act(program, ops.accept, request_id=req.id, actor_user_id="UMENTOR", now=NOW)
    err = assert_rejected(
        program,
        AlreadyHandled,
        lambda: act(program, ops.accept, request_id=req.id, actor_user_id="UMENTOR", now=NOW),
    )
    assert err.message == "This request was already accepted."
    assert_rejected(
        program,
        AlreadyHandled,
        lambda: act(
            program,
            ops.decline,
            request_id=req.id,
            actor_user_id="UMENTOR",
            reason="Other",
            now=NOW,
        ),
    )
    assert_rejected(
        program,
        NotFound,
        lambda: act(program, ops.accept, request_id=999, actor_user_id="UMENTOR", now=NOW),
    )


def test_reaching_the_active_limit_cancels_other_pending_requests(program: Database) -> None:
    f.mentor(program, "UM2")
    f.mentor(program, "UM3")
    first = send(program)
    second = send(program, mentor="UM2")
    third = send(program, mentor="UM3")
    result = act(program, ops.accept, request_id=second.id, actor_user_id="UM2", now=NOW)
    assert {r.id for r in result.cancelled} == {first.id, third.id}
    with program.read() as s:
        statuses = dict(s.execute(select(Request.id, Request.status)).all())
    assert statuses == {
        first.id: RequestStatus.CANCELLED,
        second.id: RequestStatus.ACCEPTED,
        third.id: RequestStatus.CANCELLED,
    }
    assert ("request.cancelled", first.mentor_id) in outbox_kinds(program, first.id)
    # A mentee at the limit cannot ask anyone else.
    assert_rejected(program, LimitReached, lambda: send(program, mentor="UM3"))


def test_mentor_at_capacity_cannot_accept_more(program: Database) -> None:
    f.mentor(program, "UCAP", mentor_capacity=1)
    f.mentee(program, "UA")
    a = send(program, mentee="UA", mentor="UCAP")
    b = send(program, mentor="UCAP")
    act(program, ops.accept, request_id=a.id, actor_user_id="UCAP", now=NOW)
    err = assert_rejected(
        program,
        LimitReached,
        lambda: act(program, ops.accept, request_id=b.id, actor_user_id="UCAP", now=NOW),
    )
    assert "1 of 1" in err.message


def test_decline_records_reason_note_and_can_pause(program: Database) -> None:
    req = send(program)
    assert_rejected(
        program,
        InvalidInput,
        lambda: act(
            program,
            ops.decline,
            request_id=req.id,
            actor_user_id="UMENTOR",
            reason="not a configured reason",
            now=NOW,
        ),
    )
    declined = act(
        program,
        ops.decline,
        request_id=req.id,
        actor_user_id="UMENTOR",
        reason="My expertise isn't the right fit",
        note="  Try someone in Data.  ",
        pause_until=NOW + timedelta(days=7),
        now=NOW,
    )
    assert declined.status is RequestStatus.DECLINED
    assert (declined.decline_reason, declined.decline_note) == (
        "My expertise isn't the right fit",
        "Try someone in Data.",
    )
    assert outbox_kinds(program, req.id)[1:] == [
        ("request.declined", req.mentee_id),
        ("request.updated", req.mentor_id),
    ]
    with program.read() as s:
        mentor = s.get(Member, req.mentor_id)
        assert mentor is not None
        assert mentor.paused_until == NOW + timedelta(days=7)


def test_decline_with_bad_pause_date_changes_nothing(program: Database) -> None:
    req = send(program)
    assert_rejected(
        program,
        InvalidInput,
        lambda: act(
            program,
            ops.decline,
            request_id=req.id,
            actor_user_id="UMENTOR",
            reason="Other",
            pause_until=NOW - timedelta(hours=1),
            now=NOW,
        ),
    )
    assert act(program, ops.get_request, request_id=req.id).status is RequestStatus.PENDING


def test_withdraw_is_for_the_mentee_only(program: Database) -> None:
    req = send(program)
    assert_rejected(
        program,
        NotAllowed,
        lambda: act(program, ops.withdraw, request_id=req.id, actor_user_id="UMENTOR", now=NOW),
    )
    out = act(program, ops.withdraw, request_id=req.id, actor_user_id="UMENTEE", now=NOW)
    assert out.status is RequestStatus.WITHDRAWN
    assert outbox_kinds(program, req.id)[-1] == ("request.withdrawn", req.mentor_id)
    assert_rejected(
        program,
        AlreadyHandled,
        lambda: act(program, ops.withdraw, request_id=req.id, actor_user_id="UMENTEE", now=NOW),
    )


def test_remind_counts_and_dedupes(program: Database) -> None:
    req = send(program)
    first = act(program, ops.remind, request_id=req.id, actor="system:sweep", now=NOW)
    second = act(program, ops.remind, request_id=req.id, actor="UADMIN", now=NOW)
    assert (first.reminder_count, second.reminder_count) == (1, 2)
    with program.read() as s:
        keys = s.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "request.reminder")
        ).all()
    assert keys == [f"reminder:{req.id}:1", f"reminder:{req.id}:2"]


def test_expire_and_admin_close_tell_both_sides(program: Database) -> None:
    f.mentor(program, "UM2")
    a = send(program)
    b = send(program, mentor="UM2")
    expired = act(program, ops.expire, request_id=a.id, now=NOW + timedelta(days=14))
    assert expired.status is RequestStatus.EXPIRED
    assert [k for k, _ in outbox_kinds(program, a.id)[1:]] == ["request.expired"] * 2

    admin = Actor("UADMIN", is_admin=True)
    assert_rejected(
        program,
        NotAllowed,
        lambda: act(
            program,
            ops.close_by_admin,
            request_id=b.id,
            actor=Actor("UMENTEE"),
            reason="x",
            now=NOW,
        ),
    )
    assert_rejected(
        program,
        InvalidInput,
        lambda: act(program, ops.close_by_admin, request_id=b.id, actor=admin, reason=" ", now=NOW),
    )
    closed = act(
        program, ops.close_by_admin, request_id=b.id, actor=admin, reason="Mentor left", now=NOW
    )
    assert (closed.status, closed.close_reason) == (RequestStatus.CLOSED_BY_ADMIN, "Mentor left")
    assert_rejected(
        program, AlreadyHandled, lambda: act(program, ops.expire, request_id=b.id, now=NOW)
    )


def test_settings_change_applies_to_the_next_request(program: Database) -> None:
    with program.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"max_pending_requests_per_mentee": 1},
            now=NOW,
        )
    send(program)
    f.mentor(program, "UM2")
    assert_rejected(program, LimitReached, lambda: send(program, mentor="UM2"))


def test_teams_do_not_mix(program: Database) -> None:
    f.workspace(program, "T0OTHER")
    f.mentor(program, "UMENTOR", team_id="T0OTHER")
    req = send(program)
    with pytest.raises(NotFound), program.write() as s:
        ops.accept(
            session=s, team_id="T0OTHER", request_id=req.id, actor_user_id="UMENTOR", now=NOW
        )
