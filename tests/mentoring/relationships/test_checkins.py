"""Check-ins: asked once per period in working hours, answered once, at-risk rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed
from mentoring.relationships import lifecycle
from mentoring.relationships.checkins import Answer, answer_checkin, rate_checkin
from store.db import Database
from store.models import CheckIn, OutboxMessage, Relationship
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.relationships.helpers import configure, pair, program, sweep


@pytest.fixture
def db_program(db: Database) -> Database:
    return program(db)


def checkins(db: Database) -> list[CheckIn]:
    with db.read() as s:
        rows = list(s.scalars(select(CheckIn).order_by(CheckIn.number)))
        s.expunge_all()
    return rows


def answer(db: Database, user: str, checkin: CheckIn, what: Answer, note: str = "") -> None:
    with db.write() as s:
        answer_checkin(
            session=s,
            team_id=TEAM,
            checkin_id=checkin.id,
            actor_user_id=user,
            answer=what,
            note=note,
            admins=("UADMIN",),
            now=NOW + timedelta(days=15),
        )


def test_a_check_in_is_due_after_the_interval_and_asked_once_per_period(
    db_program: Database,
) -> None:
    pair(db_program)
    assert sweep(db_program, NOW + timedelta(days=13, hours=23)).checkins == 0
    assert sweep(db_program, NOW + timedelta(days=14)).checkins == 1
    assert sweep(db_program, NOW + timedelta(days=14)).checkins == 0  # the same sweep again
    assert sweep(db_program, NOW + timedelta(days=27)).checkins == 0
    assert sweep(db_program, NOW + timedelta(days=28)).checkins == 1
    rows = checkins(db_program)
    assert [c.number for c in rows] == [1, 2]
    assert rows[0].closed_at == NOW + timedelta(days=28)  # the newer one closed it
    assert rows[1].since == NOW + timedelta(days=14)


def test_the_card_waits_for_the_mentors_working_hours(db_program: Database) -> None:
    pair(db_program)
    saturday_night = NOW + timedelta(days=19, hours=14)  # Sat 23:00 UTC
    sweep(db_program, saturday_night)
    with db_program.read() as s:
        notice = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "checkin.asked")).one()
    assert notice.next_attempt_at == NOW + timedelta(days=21)  # Monday 09:00 in London


def test_an_ended_relationship_gets_no_check_in(db_program: Database) -> None:
    r = pair(db_program)
    with db_program.write() as s:
        lifecycle.finish(
            session=s, team_id=TEAM, relationship_id=r.id, actor_user_id="UMENTEE", now=NOW
        )
    assert sweep(db_program, NOW + timedelta(days=30)).checkins == 0


def test_answers_are_taken_once_from_the_pair_only(db_program: Database) -> None:
    pair(db_program)
    f.mentor(db_program, "UOTHER")
    sweep(db_program, NOW + timedelta(days=14))
    [checkin] = checkins(db_program)
    answer(db_program, "UMENTOR", checkin, Answer.YES)
    with pytest.raises(AlreadyHandled):
        answer(db_program, "UMENTOR", checkin, Answer.NOT_YET)
    with pytest.raises(NotAllowed):
        answer(db_program, "UOTHER", checkin, Answer.YES)
    with pytest.raises(InvalidInput):
        answer(db_program, "UMENTEE", checkin, Answer.HELP, note="")
    with pytest.raises(InvalidInput), db_program.write() as s:
        rate_checkin(
            session=s,
            team_id=TEAM,
            checkin_id=checkin.id,
            actor_user_id="UMENTEE",
            rating=6,
            now=NOW,
        )
    [checkin] = checkins(db_program)
    assert (checkin.mentor_answer, checkin.mentee_answer) == ("yes", None)


def test_a_closed_check_in_takes_no_answer(db_program: Database) -> None:
    pair(db_program)
    sweep(db_program, NOW + timedelta(days=14))
    sweep(db_program, NOW + timedelta(days=28))
    first = checkins(db_program)[0]
    with pytest.raises(AlreadyHandled, match="newer one"):
        answer(db_program, "UMENTOR", first, Answer.YES)


def test_two_unanswered_check_ins_flag_the_pair_and_two_yeses_clear_it(
    db_program: Database,
) -> None:
    r = pair(db_program)
    for days in (14, 28, 42):
        sweep(db_program, NOW + timedelta(days=days))
    with db_program.read() as s:
        rel = s.get(Relationship, r.id)
        assert rel is not None and rel.at_risk_reason == "no_answer"
    latest = checkins(db_program)[-1]
    answer(db_program, "UMENTOR", latest, Answer.YES)
    answer(db_program, "UMENTEE", latest, Answer.YES)
    with db_program.read() as s:
        rel = s.get(Relationship, r.id)
        assert rel is not None and rel.at_risk_since is None


def test_not_yet_from_both_twice_in_a_row_flags_the_pair(db_program: Database) -> None:
    r = pair(db_program)
    sweep(db_program, NOW + timedelta(days=14))
    first = checkins(db_program)[0]
    answer(db_program, "UMENTOR", first, Answer.NOT_YET)
    answer(db_program, "UMENTEE", first, Answer.NOT_YET)
    sweep(db_program, NOW + timedelta(days=28))
    second = checkins(db_program)[1]
    answer(db_program, "UMENTOR", second, Answer.NOT_YET)
    with db_program.read() as s:
        assert s.get(Relationship, r.id).at_risk_since is None  # type: ignore[union-attr]
    answer(db_program, "UMENTEE", second, Answer.NOT_YET)
    with db_program.read() as s:
        assert s.get(Relationship, r.id).at_risk_reason == "not_met"  # type: ignore[union-attr]


def test_help_flags_the_pair_and_tells_each_admin_once(db_program: Database) -> None:
    r = pair(db_program)
    sweep(db_program, NOW + timedelta(days=14))
    [checkin] = checkins(db_program)
    answer(db_program, "UMENTEE", checkin, Answer.HELP, note="We never find a time")
    with db_program.read() as s:
        assert s.get(Relationship, r.id).at_risk_reason == "help"  # type: ignore[union-attr]
        told = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "checkin.help")).all()
        assert [(t.payload["user"], t.payload["side"]) for t in told] == [("UADMIN", "mentee")]


def test_check_ins_can_be_turned_off(db_program: Database) -> None:
    pair(db_program)
    configure(db_program, checkin_every_days=0)
    assert sweep(db_program, NOW + timedelta(days=60)).checkins == 0
