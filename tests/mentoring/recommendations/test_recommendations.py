"""Pushed recommendations and the recommendations-only directory, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mentoring import requests as ops
from mentoring.core.actors import Actor
from mentoring.core.errors import InvalidInput, NotAllowed
from mentoring.core.members import get_members
from mentoring.core.views import MemberView
from mentoring.directory.search import DirectoryFilters, recommend_mentors, search_mentors
from mentoring.home.app_home import home_for
from mentoring.recommendations.service import (
    PushReport,
    current_recommendations,
    push_recommendations,
)
from store.db import Database
from store.models import Event, OutboxMessage, Recommendation
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.routing.test_routing import configure

ADMIN = Actor("UADMIN", is_admin=True)
MESSAGE = "I'd love help growing into a staff engineer role this year."


def push(db: Database, per_mentee: int = 3, area: str | None = None, **kw: Any) -> PushReport:
    return push_recommendations(
        db=db,
        team_id=TEAM,
        actor=kw.get("actor", ADMIN),
        per_mentee=per_mentee,
        functional_area=area,
        now=kw.get("now", NOW),
    )


def current(db: Database) -> dict[str, list[str]]:
    """mentee user id -> current recommended mentor user ids, by rank."""
    with db.read() as s:
        rows = s.execute(
            select(Recommendation).where(Recommendation.superseded_at.is_(None))
        ).scalars()
        recs = list(rows)
        people = get_members(
            session=s,
            team_id=TEAM,
            ids={r.mentee_id for r in recs} | {r.mentor_id for r in recs},
        )
    out: dict[str, list[str]] = {}
    for r in sorted(recs, key=lambda r: (r.mentee_id, r.rank)):
        out.setdefault(people[r.mentee_id].slack_user_id, []).append(
            people[r.mentor_id].slack_user_id
        )
    return out


@pytest.fixture
def star(db: Database) -> Database:
    """A star mentor who fits every mentee best (one open slot), and five ordinary mentors."""
    f.workspace(db)
    f.mentor(
        db,
        "USTAR",
        mentor_capacity=1,
        expertise=["python", "leadership", "architecture"],
        languages=["English"],
        tz="Europe/Berlin",
    )
    for n in range(5):
        f.mentor(db, f"UM{n}", mentor_capacity=2, expertise=["python"], tz="America/New_York")
    for n in range(10):
        f.mentee(
            db,
            f"UE{n}",
            interests=["python", "leadership", "architecture"],
            languages=["English"],
        )
    return db


def test_push_spreads_the_star_by_open_slots(star: Database) -> None:
    report = push(star, per_mentee=3)

    recs = current(star)
    load = Counter(m for mentors in recs.values() for m in mentors)
    # 30 recommendations over 11 open slots: the star (1 slot) is recommended at most
    # ceil(30/11) = 3 times, not to all ten mentees.
    assert load["USTAR"] == 3
    assert max(load.values()) <= 6
    assert all(len(mentors) == 3 for mentors in recs.values()) and len(recs) == 10
    assert (report.mentees_considered, report.mentees_recommended) == (10, 10)
    assert (report.recommendations, report.mentees_short) == (30, 0)
    assert (report.mentors_available, report.mentors_used) == (6, 6)
    assert report.max_per_mentor == max(load.values())
    busiest = [(b.mentor.slack_user_id, b.recommended_to, b.open_slots) for b in report.busiest]
    assert busiest == sorted(busiest, key=lambda b: (-b[1], b[0]))
    assert all((load[u], 2) == (n, slots) for u, n, slots in busiest)


def test_push_supersedes_logs_and_queues_one_message_per_mentee(star: Database) -> None:
    push(star, per_mentee=2)
    later = NOW + timedelta(hours=1)
    push(star, per_mentee=1, now=later)
    with star.read() as s:
        rows = s.scalars(select(Recommendation)).all()
        events = s.scalars(select(Event).where(Event.action == "recommendations.pushed")).all()
        notices = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "recommendations.pushed")
        ).all()
    assert sum(1 for r in rows if r.superseded_at is None) == 10
    assert {r.superseded_at for r in rows if r.created_at == NOW} == {later}
    assert all(r.created_by == "UADMIN" for r in rows)
    assert len(events) == 20 and len(notices) == 20
    second = [e for e in events if e.at == later]
    assert all(e.before and len(e.before["mentor_ids"]) == 2 for e in second)
    assert all(e.after and len(e.after["mentor_ids"]) == 1 for e in second)


def test_push_only_reaches_mentees_still_looking_in_the_area(star: Database) -> None:
    f.mentee(star, "UDATA", functional_area="Data", interests=["data"])
    configure(star, matching_mode="self")
    with star.write() as s:
        req = ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UE0",
            mentor_user_id="UM0",
            message=MESSAGE,
            now=NOW,
        )
        ops.accept(session=s, team_id=TEAM, request_id=req.id, actor_user_id="UM0", now=NOW)
    report = push(star, per_mentee=2, area="data")  # matched ignoring case
    assert report.functional_area == "Data"
    assert report.mentees_considered == 1
    assert list(current(star)) == ["UDATA"]
    everyone = push(star, per_mentee=2)
    assert everyone.mentees_considered == 10  # UE0 has a mentor now; UDATA is in
    assert "UE0" not in current(star)


def test_push_rules(star: Database) -> None:
    with pytest.raises(NotAllowed):
        push(star, actor=Actor("UE1"))
    for bad in (0, 6):
        with pytest.raises(InvalidInput) as info:
            push(star, per_mentee=bad)
        assert info.value.field == "per_mentee"
    with pytest.raises(InvalidInput) as info:
        push(star, area="Astronomy")
    assert info.value.field == "functional_area"
    assert current(star) == {}


def test_recommendations_only_restricts_search_requests_and_suggestions(star: Database) -> None:
    configure(star, directory_mode="recommendations_only")
    push(star, per_mentee=2)
    mine = current(star)["UE1"]
    with star.read() as s:
        page = search_mentors(
            session=s, team_id=TEAM, searcher_user_id="UE1", filters=DirectoryFilters(), now=NOW
        )
        suggested = recommend_mentors(session=s, team_id=TEAM, mentee_user_id="UE1", now=NOW)
        mentor_view = search_mentors(
            session=s, team_id=TEAM, searcher_user_id="UM1", filters=DirectoryFilters(), now=NOW
        )
    assert page.recommended_only
    assert sorted(m.mentor.slack_user_id for m in page.results) == sorted(mine)
    assert {m.mentor.slack_user_id for m in suggested} <= set(mine)
    assert mentor_view.total == 5 and not mentor_view.recommended_only  # mentors browse freely

    other = next(u for u in ["USTAR", "UM0", "UM1", "UM2", "UM3", "UM4"] if u not in mine)
    with pytest.raises(NotAllowed) as info, star.write() as s:
        ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UE1",
            mentor_user_id=other,
            message=MESSAGE,
            now=NOW,
        )
    assert "isn't one of yours" in info.value.message
    with star.write() as s:
        sent = ops.send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UE1",
            mentor_user_id=mine[0],
            message=MESSAGE,
            now=NOW,
        )
    assert sent.status.value == "pending"


def test_open_directory_ignores_recommendations_for_search_and_requests(star: Database) -> None:
    push(star, per_mentee=1)
    with star.read() as s:
        page = search_mentors(
            session=s, team_id=TEAM, searcher_user_id="UE1", filters=DirectoryFilters(), now=NOW
        )
    assert page.total == 6 and not page.recommended_only


def test_home_shows_the_pushed_recommendations_first(star: Database) -> None:
    push(star, per_mentee=2)
    with star.read() as s:
        home = home_for(session=s, team_id=TEAM, slack_user_id="UE3", is_admin=False, now=NOW)
        member = home.member
        assert member is not None
        live = current_recommendations(session=s, team_id=TEAM, mentee=member, now=NOW)
    assert home.recommended_by_admin
    assert [m.mentor.slack_user_id for m in home.recommendations] == current(star)["UE3"]
    assert [r.rank for r in live] == [1, 2]
    assert isinstance(live[0].mentor, MemberView) and live[0].score.total > 0


def test_recommendations_only_without_a_push_suggests_nobody(star: Database) -> None:
    configure(star, directory_mode="recommendations_only")
    with star.read() as s:
        home = home_for(session=s, team_id=TEAM, slack_user_id="UE3", is_admin=False, now=NOW)
        page = search_mentors(
            session=s, team_id=TEAM, searcher_user_id="UE3", filters=DirectoryFilters(), now=NOW
        )
    assert home.recommendations == () and not home.recommended_by_admin
    assert page.total == 0 and page.recommended_only
