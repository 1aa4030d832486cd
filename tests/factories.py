"""Small builders for test data, going through the real mentoring operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentoring.core.views import MemberView, RequestView
from mentoring.profiles.editing import enroll, parse_profile
from mentoring.program.settings_changes import update_settings
from mentoring.program.workspaces import ensure_workspace
from mentoring.requests.sending import send_request
from store.db import Database
from tests.conftest import NOW, TEAM


def workspace(db: Database, team_id: str = TEAM, now: datetime = NOW) -> str:
    with db.write() as session:
        ensure_workspace(session=session, team_id=team_id, now=now)
    return team_id


def settings(db: Database, team_id: str = TEAM, now: datetime = NOW, **changes: Any) -> None:
    """Change the program's settings as an admin would (every rule checked)."""
    with db.write() as session:
        update_settings(session=session, team_id=team_id, actor="UADMIN", changes=changes, now=now)


def mentor(db: Database, user_id: str, team_id: str = TEAM, **profile: Any) -> MemberView:
    fields: dict[str, Any] = {
        "display_name": f"Mentor {user_id}",
        "as_mentor": True,
        "title": "Staff Engineer",
        "functional_area": "Engineering",
        "expertise": ["python", "career growth"],
        "tz": "Europe/London",
    }
    fields.update(profile)
    return _enroll(db, team_id, user_id, fields)


def mentee(db: Database, user_id: str, team_id: str = TEAM, **profile: Any) -> MemberView:
    fields: dict[str, Any] = {
        "display_name": f"Mentee {user_id}",
        "as_mentee": True,
        "title": "Engineer",
        "functional_area": "Engineering",
        "interests": ["python"],
        "tz": "Europe/Berlin",
    }
    fields.update(profile)
    return _enroll(db, team_id, user_id, fields)


def _enroll(db: Database, team_id: str, user_id: str, fields: dict[str, Any]) -> MemberView:
    with db.write() as session:
        return enroll(
            session=session,
            team_id=team_id,
            slack_user_id=user_id,
            profile=parse_profile(fields),
            now=NOW,
        )


def ask(db: Database, mentee: str, mentor: str, now: datetime = NOW) -> RequestView:
    """``mentee`` sends ``mentor`` a request (both enrolled already), with a plain message."""
    with db.write() as session:
        return send_request(
            session=session,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            message="Could you help me grow into a lead role?",
            now=now,
        )
