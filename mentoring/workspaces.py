"""Workspaces served by this deployment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.errors import NotFound
from store.models import Workspace


def ensure_workspace(*, session: Session, team_id: str, now: datetime, name: str = "") -> None:
    """Register a workspace on first contact (install or first request); idempotent."""
    if not team_id or len(team_id) > 32:
        raise NotFound("That Slack workspace id is not valid.")
    if session.get(Workspace, team_id) is None:
        session.add(Workspace(team_id=team_id, name=name, created_at=now, settings={}))
        session.flush()


def get_workspace(session: Session, team_id: str) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        raise NotFound("This Slack workspace is not set up for the mentoring program yet.")
    return workspace
