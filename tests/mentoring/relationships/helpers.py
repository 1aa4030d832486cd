"""A program with one matched pair, and the relationship steps of the sweep, for rule tests."""

from __future__ import annotations

from datetime import datetime

from mentoring.core.views import RelationshipView
from mentoring.program.settings import get_settings
from mentoring.program.settings_changes import update_settings
from mentoring.requests.answers import accept
from mentoring.requests.sending import send_request
from mentoring.sweep.relationships import RelationshipSweep, sweep_relationships
from store.db import Database
from tests import factories as f
from tests.conftest import NOW, TEAM

MESSAGE = "Could you help me prepare for my first management role?"


def program(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UMENTOR")
    f.mentee(db, "UMENTEE")
    return db


def pair(db: Database, mentor: str = "UMENTOR", mentee: str = "UMENTEE") -> RelationshipView:
    with db.write() as s:
        req = send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id=mentee,
            mentor_user_id=mentor,
            message=MESSAGE,
            now=NOW,
        )
    with db.write() as s:
        return accept(
            session=s, team_id=TEAM, request_id=req.id, actor_user_id=mentor, now=NOW
        ).relationship


def sweep(db: Database, now: datetime) -> RelationshipSweep:
    with db.write() as s:
        return sweep_relationships(s, TEAM, get_settings(session=s, team_id=TEAM), now)


def configure(db: Database, **changes: object) -> None:
    with db.write() as s:
        update_settings(
            session=s, team_id=TEAM, actor="UADMIN", changes=changes, renames={}, now=NOW
        )
