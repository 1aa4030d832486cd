"""Program settings: defaults, validation, and the audit trail of changes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from mentoring.core.errors import InvalidInput
from mentoring.program.settings import ProgramSettings, get_settings
from mentoring.program.settings_changes import InvalidSettings, update_settings
from store.db import Database
from store.models import Event, Workspace
from tests import factories as f
from tests.conftest import NOW, TEAM


def test_defaults_match_the_program_rules() -> None:
    s = ProgramSettings()
    assert (s.max_active_relationships_per_mentee, s.default_mentor_capacity) == (1, 3)
    assert s.remind_after_days < s.auto_close_after_days


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"max_pending_requests_per_mentee": 0}, "max_pending_requests_per_mentee", "1 or more"),
        (
            {"default_mentor_capacity": 20, "max_mentor_capacity": 5},
            "default_mentor_capacity",
            "cannot exceed",
        ),
        (
            {"auto_close_after_days": 2, "remind_after_days": 3},
            "auto_close_after_days",
            "later than the first reminder",
        ),
        ({"decline_reasons": []}, "decline_reasons", "at least one entry"),
        ({"expertise_tags": ["python", "Python"]}, "expertise_tags", "listed twice"),
        ({"no_such_setting": True}, "no_such_setting", "not a setting"),
    ],
)
def test_invalid_changes_are_rejected_and_not_saved(
    db: Database, changes: dict[str, Any], field: str, message: str
) -> None:
    f.workspace(db)
    with pytest.raises(InvalidSettings) as caught, db.write() as s:
        update_settings(session=s, team_id=TEAM, actor="UADMIN", changes=changes, now=NOW)
    assert message in caught.value.problems[field].message
    assert isinstance(caught.value, InvalidInput)
    with db.read() as s:
        assert s.get(Workspace, TEAM).settings == {}  # type: ignore[union-attr]
        assert s.scalars(select(Event)).all() == []


def test_changes_are_stored_sparsely_and_audited(db: Database) -> None:
    f.workspace(db)
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={
                "auto_close_after_days": 21,
                "terminology": {"mentor": "guide", "mentee": "explorer"},
            },
            now=NOW,
        )
    with db.read() as s:
        current = get_settings(session=s, team_id=TEAM)
        stored = s.get(Workspace, TEAM).settings  # type: ignore[union-attr]
        event = s.scalars(select(Event)).one()
    assert current.auto_close_after_days == 21
    assert current.terminology.mentor == "guide"
    assert set(stored) == {"auto_close_after_days", "terminology"}
    assert (event.actor, event.action) == ("UADMIN", "settings.updated")
    assert event.before == {
        "auto_close_after_days": 14,
        "terminology": {"mentor": "mentor", "mentee": "mentee"},
    }
