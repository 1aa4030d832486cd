"""Terms end relationships on their date unless extended; the health figures and the export."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mentoring.core.errors import AlreadyHandled
from mentoring.profiles.page import profile_page
from mentoring.relationships import lifecycle
from mentoring.relationships.checkins import Answer, answer_checkin
from mentoring.relationships.closure import MentorRatings, answer_feedback
from mentoring.relationships.goals import set_goals
from mentoring.relationships.stats import RelationshipHealth, relationship_health
from mentoring.relationships.terms import confirm_finish, extend_term
from mentoring.reports.export import checkins_table, relationships_table
from store.db import Database
from store.enums import RelationshipStatus
from store.models import CheckIn, Relationship
from tests.conftest import NOW, TEAM
from tests.mentoring.relationships.helpers import configure, pair, program, sweep


@pytest.fixture
def db_program(db: Database) -> Database:
    return program(db)


def finish(db: Database, rel_id: int, who: str, at: datetime = NOW) -> None:
    with db.write() as s:
        lifecycle.finish(session=s, team_id=TEAM, relationship_id=rel_id, actor_user_id=who, now=at)


def give_feedback(db: Database, rel_id: int, outcome: str, rating: int, at: datetime) -> None:
    with db.write() as s:
        answer_feedback(
            session=s,
            team_id=TEAM,
            relationship_id=rel_id,
            actor_user_id="UMENTEE",
            outcome=outcome,
            rating=rating,
            note="",
            now=at,
        )


def figures(db: Database, start: datetime, end: datetime) -> RelationshipHealth:
    with db.read() as s:
        return relationship_health(session=s, team_id=TEAM, start=start, end=end, now=end)


def relationship(db: Database, rel_id: int) -> Relationship:
    with db.read() as s:
        row = s.get(Relationship, rel_id)
        assert row is not None
        s.expunge(row)
        return row


def test_a_long_running_pair_gets_ten_days_notice_when_a_term_is_set(db_program: Database) -> None:
    r = pair(db_program)
    configure(db_program, relationship_term_days=30)
    later = NOW + timedelta(days=100)
    result = sweep(db_program, later)
    assert (result.terms_asked, result.terms_finished) == (1, 0)
    assert relationship(db_program, r.id).term_ends_at == later + timedelta(days=10)
    assert sweep(db_program, later + timedelta(days=10)).terms_finished == 1
    row = relationship(db_program, r.id)
    assert (row.status, row.end_cause) == (RelationshipStatus.FINISHED, "term")


def test_extend_is_guarded_by_the_end_date_it_was_shown(db_program: Database) -> None:
    r = pair(db_program)
    configure(db_program, relationship_term_days=60, relationship_extension_days=14)
    sweep(db_program, NOW + timedelta(days=50))
    end = relationship(db_program, r.id).term_ends_at
    assert end == NOW + timedelta(days=60)
    with db_program.write() as s:
        new_end = extend_term(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTEE",
            seen_end=end,
            now=NOW,
        )
    assert new_end == end + timedelta(days=14)
    with pytest.raises(AlreadyHandled), db_program.write() as s:
        extend_term(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTOR",
            seen_end=end,
            now=NOW,
        )
    with db_program.write() as s:
        confirm_finish(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTOR",
            seen_end=new_end,
            now=NOW,
        )
    assert sweep(db_program, new_end - timedelta(seconds=1)).terms_finished == 0
    assert sweep(db_program, new_end).terms_finished == 1


def test_health_figures_and_export_columns(db_program: Database) -> None:
    r = pair(db_program)
    with db_program.write() as s:
        set_goals(
            session=s,
            team_id=TEAM,
            relationship_id=r.id,
            actor_user_id="UMENTEE",
            texts=["Ship a design doc", "Run a retro"],
            now=NOW,
        )
    sweep(db_program, NOW + timedelta(days=14))
    with db_program.write() as s:
        checkin = s.scalars(select(CheckIn)).one()
        answer_checkin(
            session=s,
            team_id=TEAM,
            checkin_id=checkin.id,
            actor_user_id="UMENTOR",
            answer=Answer.YES,
            now=NOW + timedelta(days=15),
        )
    finish(db_program, r.id, "UMENTEE", NOW + timedelta(days=20))
    give_feedback(db_program, r.id, "fully", 5, NOW + timedelta(days=21))
    health = figures(db_program, NOW - timedelta(days=30), NOW + timedelta(days=30))
    with db_program.read() as s:
        rels = relationships_table(s, TEAM).text
        checkins = checkins_table(s, TEAM)
    assert (health.started, health.ended, health.active) == (1, 1, 0)
    assert health.median_length == timedelta(days=20)
    assert (health.checkins_asked, health.checkin_response_rate, health.checkin_met_rate) == (
        1,
        0.5,
        1.0,
    )
    assert (health.completion_rate, health.average_rating, health.goals_fully) == (1.0, 5.0, 1)
    assert "Ship a design doc | Run a retro,0,1,1,1," in rels
    assert rels.strip().endswith(",member,,,fully,5")
    assert checkins.rows == 1 and checkins.text.splitlines()[0].startswith("relationship_id,")


def test_match_rate_counts_mentees_whose_first_30_days_ended_in_the_period(
    db_program: Database,
) -> None:
    pair(db_program)  # the mentee enrolled and was matched at NOW
    health = figures(db_program, NOW + timedelta(days=20), NOW + timedelta(days=40))
    assert (health.match_cohort, health.match_rate) == (1, 1.0)


def test_ratings_show_on_the_mentors_profile_only_when_the_program_says_so(
    db_program: Database,
) -> None:
    r = pair(db_program)
    finish(db_program, r.id, "UMENTOR")
    give_feedback(db_program, r.id, "partly", 4, NOW)

    def ratings() -> object:
        with db_program.read() as s:
            return profile_page(
                session=s, team_id=TEAM, slack_user_id="UMENTOR", viewer_user_id="UMENTEE", now=NOW
            ).ratings

    assert ratings() is None
    configure(db_program, ratings_public=True)
    assert ratings() == MentorRatings(4.0, 1)
