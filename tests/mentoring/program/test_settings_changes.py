"""Changing settings: every problem at once, and taxonomy changes that keep profiles valid."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event, select

from mentoring.core.members import get_member
from mentoring.core.wording import Words
from mentoring.directory.search import DirectoryFilters, search_mentors
from mentoring.program.settings import (
    DEFAULT_EXPERTISE_TAGS,
    DEFAULT_FUNCTIONAL_AREAS,
    ProgramSettings,
    get_settings,
)
from mentoring.program.settings_changes import InvalidSettings, settings_problems, update_settings
from store.db import Database
from store.models import Event, MemberTag, Workspace
from store.turns import Turns
from tests import factories as f
from tests.conftest import NOW, TEAM

DEFAULTS = ProgramSettings().model_dump(mode="json")


def test_every_problem_is_reported_by_field_at_once() -> None:
    problems = settings_problems(
        {
            **DEFAULTS,
            "max_pending_requests_per_mentee": 0,  # out of range
            "default_mentor_capacity": 12,  # above the maximum of 10: between fields
            "working_hours_start": 18,
            "working_hours_end": 9,
            "terminology": {"mentor": "guide", "mentee": "Guide"},
            "resources": [{"title": "Guide", "url": "ftp://x"}],
        }
    )
    words = Words("guide", "learner")
    said = {field: p.say(words) for field, p in problems.items()}
    assert said == {
        "max_pending_requests_per_mentee": "Enter 1 or more.",
        "default_mentor_capacity": (
            "The default guide capacity cannot exceed the maximum capacity."
        ),
        "working_hours_end": "Working hours must start before they end.",
        "terminology.mentee": "Pick a different word for each role.",
        "resources": (
            "Resource 1: The link needs to start with https:// (or http://) and have no spaces."
        ),
    }
    assert settings_problems(DEFAULTS) == {}


def test_rules_about_unreadable_fields_are_left_to_the_form() -> None:
    problems = settings_problems(
        {**DEFAULTS, "remind_after_days": 20, "auto_close_after_days": "soon"},
        unreadable={"auto_close_after_days"},
    )
    assert problems == {}


@pytest.mark.parametrize(
    ("terms", "field", "message"),
    [
        ({"mentor": "<!channel>", "mentee": "learner"}, "terminology.mentor", "letters only"),
        ({"mentor": "guide", "mentee": ""}, "terminology.mentee", "Fill this in"),
        ({"mentor": "peer coach", "mentee": "coachee"}, None, None),
        ({"mentor": "guía", "mentee": "aprendiz"}, None, None),
    ],
)
def test_role_words_are_plain_words(
    terms: dict[str, str], field: str | None, message: str | None
) -> None:
    problems = settings_problems({**DEFAULTS, "terminology": terms})
    if field is None:
        assert problems == {}
    else:
        assert message is not None and message in problems[field].message


def test_escalation_has_to_come_before_auto_close() -> None:
    problems = settings_problems({**DEFAULTS, "escalate_after_days": 14})
    assert "leave it empty for never" in problems["escalate_after_days"].message
    assert settings_problems({**DEFAULTS, "escalate_after_days": None}) == {}


def change(db: Database, changes: dict[str, Any], **kwargs: Any) -> ProgramSettings:
    with db.write() as s:
        return update_settings(
            session=s, team_id=TEAM, actor="UADMIN", changes=changes, now=NOW, **kwargs
        )


def without(values: tuple[str, ...], *gone: str) -> list[str]:
    return [v for v in values if v not in gone]


def test_removing_a_value_in_use_is_refused_naming_how_many_use_it(db: Database) -> None:
    f.workspace(db)
    f.mentor(db, "UM1", functional_area="Data", expertise=["python", "data"])
    f.mentee(db, "UE1", functional_area="Data", interests=["python"])
    f.mentee(db, "UE2", functional_area="Engineering", interests=["data"])
    with pytest.raises(InvalidSettings) as caught:
        change(
            db,
            {
                "functional_areas": without(DEFAULT_FUNCTIONAL_AREAS, "Data", "Legal"),
                "expertise_tags": without(DEFAULT_EXPERTISE_TAGS, "python"),
            },
        )
    problems = caught.value.problems
    assert "“Data” (2 profiles)" in problems["functional_areas"].message
    assert "Legal" not in problems["functional_areas"].message  # nobody uses it
    assert "“python” (2 profiles)" in problems["expertise_tags"].message
    assert "“python -> new name”" in problems["expertise_tags"].message
    with db.read() as s:
        assert s.get(Workspace, TEAM).settings == {}  # type: ignore[union-attr]
        assert s.scalars(select(Event).where(Event.action == "settings.updated")).all() == []


def test_removing_an_unused_value_is_fine(db: Database) -> None:
    f.workspace(db)
    f.mentor(db, "UM1", functional_area="Data", expertise=["python"])
    after = change(db, {"functional_areas": without(DEFAULT_FUNCTIONAL_AREAS, "Legal")})
    assert "Legal" not in after.functional_areas


def test_a_rename_moves_every_profile_to_the_new_name(db: Database) -> None:
    f.workspace(db)
    f.mentor(db, "UM1", functional_area="Data", expertise=["python", "data"])
    f.mentee(db, "UE1", functional_area="Data", interests=["data", "python"])
    areas = [("Data & Analytics" if a == "Data" else a) for a in DEFAULT_FUNCTIONAL_AREAS]
    tags = [("analytics" if t == "data" else t) for t in DEFAULT_EXPERTISE_TAGS]
    change(
        db,
        {"functional_areas": areas, "expertise_tags": tags},
        renames={
            "functional_areas": {"Data": "Data & Analytics"},
            "expertise_tags": {"DATA": "analytics"},
        },
    )
    with db.read() as s:
        mentor = get_member(session=s, team_id=TEAM, slack_user_id="UM1")
        mentee = get_member(session=s, team_id=TEAM, slack_user_id="UE1")
        tag_rows = set(s.scalars(select(MemberTag.tag)))
        found = search_mentors(
            session=s,
            team_id=TEAM,
            searcher_user_id="UE1",
            filters=DirectoryFilters(expertise=["analytics"]),
            now=NOW,
        )
        events = s.scalars(select(Event).where(Event.action == "member.updated")).all()
    assert mentor is not None and mentee is not None
    assert (mentor.functional_area, mentor.expertise) == (
        "Data & Analytics",
        ("python", "analytics"),
    )
    assert (mentee.functional_area, mentee.interests) == (
        "Data & Analytics",
        ("analytics", "python"),
    )
    assert tag_rows == {"python", "analytics"}
    assert [m.mentor.slack_user_id for m in found.results] == ["UM1"]
    assert {e.actor for e in events} == {"UADMIN"} and len(events) == 4  # area and tags, twice


def test_a_case_only_change_renames_and_merging_two_values_keeps_one(db: Database) -> None:
    f.workspace(db)
    f.mentor(db, "UM1", expertise=["python", "machine learning"])
    tags = [
        "Python" if t == "python" else t for t in DEFAULT_EXPERTISE_TAGS if t != "machine learning"
    ]
    change(db, {"expertise_tags": tags}, renames={"expertise_tags": {"machine learning": "data"}})
    with db.read() as s:
        mentor = get_member(session=s, team_id=TEAM, slack_user_id="UM1")
        current = get_settings(session=s, team_id=TEAM)
    assert mentor is not None and mentor.expertise == ("Python", "data")
    assert "Python" in current.expertise_tags and "machine learning" not in current.expertise_tags


@pytest.mark.parametrize(
    ("tags", "renames", "message"),
    [
        (list(DEFAULT_EXPERTISE_TAGS), {"astrology": "python"}, "nothing to rename"),
        (list(DEFAULT_EXPERTISE_TAGS), {"data": "python"}, "renamed and also kept"),
        (without(DEFAULT_EXPERTISE_TAGS, "data"), {"data": "analytics"}, "needs to be in the list"),
    ],
)
def test_bad_renames_are_refused(
    db: Database, tags: list[str], renames: dict[str, str], message: str
) -> None:
    f.workspace(db)
    with pytest.raises(InvalidSettings) as caught:
        change(db, {"expertise_tags": tags}, renames={"expertise_tags": renames})
    assert message in caught.value.problems["expertise_tags"].message


def test_lists_fit_a_select_and_one_text_box() -> None:
    many = [f"tag {i}" for i in range(101)]
    long = [f"{i:02d}" + "x" * 78 for i in range(40)]  # 40 entries of 80 characters
    problems = settings_problems({**DEFAULTS, "expertise_tags": many, "functional_areas": long})
    assert problems["expertise_tags"].message == "Keep it to 100 entries (there are 101)."
    assert "under 3000 characters" in problems["functional_areas"].message


def test_two_admins_saving_at_once_both_keep_their_change(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Admin A saves while admin B's save sits between reading the settings and writing them.

    B holds the workspace row (PostgreSQL) or the write lock (SQLite), so A's save waits and
    then applies on top of B's, instead of B writing a whole settings object read before A's.
    B goes on only once A has either finished (the lock is missing: the test then fails) or
    is waiting for B: it sent ``FOR UPDATE`` (PostgreSQL), which cannot return before B
    commits, or queued for its turn to write (SQLite, :mod:`store.turns`). No pause decides
    the order.
    """
    import mentoring.program.settings_changes as changes_module

    f.workspace(db)
    real = changes_module.settings_problems
    a_done_or_waiting = threading.Event()
    saved_a = threading.Event()

    def save_a() -> None:
        with db.write() as a:
            update_settings(
                session=a, team_id=TEAM, actor="UA", changes={"max_reminders": 5}, now=NOW
            )
        saved_a.set()
        a_done_or_waiting.set()

    admin_a = threading.Thread(target=save_a)

    def a_asks_for_the_lock(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        locking = "FOR UPDATE" in statement or statement == "BEGIN IMMEDIATE"
        if threading.current_thread() is admin_a and locking:
            a_done_or_waiting.set()

    def a_queues(turns: Turns) -> None:
        if turns.wait_for_queue(1, timeout=30):
            a_done_or_waiting.set()

    def checks_while_a_saves(data: dict[str, Any], **kw: Any) -> Any:
        if not admin_a.is_alive() and not saved_a.is_set():
            if db.turns is not None:
                threading.Thread(target=a_queues, args=(db.turns,), daemon=True).start()
            admin_a.start()
            assert a_done_or_waiting.wait(timeout=30), "admin A neither saved nor waited"
        return real(data, **kw)

    event.listen(db.engine, "before_cursor_execute", a_asks_for_the_lock)
    monkeypatch.setattr(changes_module, "settings_problems", checks_while_a_saves)
    try:
        with db.write() as b:
            update_settings(
                session=b, team_id=TEAM, actor="UB", changes={"weekly_digest": False}, now=NOW
            )
        admin_a.join(timeout=30)
    finally:
        event.remove(db.engine, "before_cursor_execute", a_asks_for_the_lock)
    assert saved_a.is_set()
    with db.read() as s:
        settings = get_settings(session=s, team_id=TEAM)
    assert settings.max_reminders == 5 and settings.weekly_digest is False
