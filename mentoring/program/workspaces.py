"""Workspaces served by this deployment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.core.errors import NotFound
from store.models import Workspace

WORKSPACE_NOT_SET_UP = "This Slack workspace is not set up for the mentoring program yet."


def ensure_workspace(*, session: Session, team_id: str, now: datetime, name: str = "") -> None:
    """Register a workspace on first contact (install or first request); idempotent."""
    if not team_id or len(team_id) > 32:
        raise NotFound("That Slack workspace id is not valid.")
    if session.get(Workspace, team_id) is None:
        session.add(Workspace(team_id=team_id, name=name, created_at=now, settings={}))
        session.flush()


def get_workspace(session: Session, team_id: str, *, lock: bool = False) -> Workspace:
    """The workspace row; ``lock`` holds it until commit (PostgreSQL ``FOR UPDATE``).

    Writers that rewrite the settings as a whole lock it, so two admins saving at once apply
    one after the other instead of the second overwriting the first from a stale read. SQLite
    writers are serialised by ``BEGIN IMMEDIATE`` already.
    """
    if lock:
        workspace = session.get(Workspace, team_id, with_for_update=True, populate_existing=True)
    else:
        workspace = session.get(Workspace, team_id)
    if workspace is None:
        raise NotFound(WORKSPACE_NOT_SET_UP)
    return workspace
