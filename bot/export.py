"""Which workspace a command-line command (``mentor-match export``, ``seed-demo``) works on.

The CSV files themselves are built by ``mentoring.reports.export``, which ``/mentor-admin export``
uses
too.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Workspace


class TeamChoiceError(Exception):
    """No workspace was named and the database does not say which one is meant."""


def choose_team(session: Session, requested: str | None) -> tuple[str, str]:
    """The workspace a command works on, and how it was chosen (to tell the operator).

    ``requested`` (``--team`` or ``DEFAULT_TEAM_ID``) wins; otherwise the database's only
    workspace. With none or several, the operator has to say.
    """
    if requested:
        return requested, "from --team / DEFAULT_TEAM_ID"
    teams = list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id).limit(6)))
    if len(teams) == 1:
        return teams[0], "the only workspace in the database"
    if not teams:
        raise TeamChoiceError("The database has no workspace yet: pass --team T0123ABCD.")
    total = session.scalar(select(func.count()).select_from(Workspace))
    listed = ", ".join(teams[:5]) + (", ..." if (total or 0) > 5 else "")
    raise TeamChoiceError(f"The database has {total} workspaces ({listed}): pass --team.")


def require_team(session: Session, team_id: str) -> None:
    """Raise TeamChoiceError unless the workspace is in the database."""
    if session.get(Workspace, team_id) is None:
        raise TeamChoiceError(f"There is no workspace {team_id} in this database.")
