"""Typed access to what the app factory put into Bolt's context."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from handlers.services import Services
from mentoring.core.errors import DomainError
from mentoring.core.wording import Words
from mentoring.program.settings import get_settings

SERVICES_KEY = "mentor_match"


def services(context: BoltContext) -> Services:
    svc = context.get(SERVICES_KEY)
    if not isinstance(svc, Services):
        raise RuntimeError("the app factory did not install the services middleware")
    return svc


def team_of(body: dict[str, Any], context: BoltContext) -> str:
    team = context.team_id or (body.get("team") or {}).get("id") or body.get("team_id")
    if not team:
        raise RuntimeError("request without a team id")
    return str(team)


def user_of(body: dict[str, Any], context: BoltContext) -> str:
    user = context.user_id or (body.get("user") or {}).get("id") or body.get("user_id")
    if not user:
        raise RuntimeError("request without a user id")
    return str(user)


def caller(body: dict[str, Any], context: BoltContext) -> tuple[Services, str, str]:
    """The services, the workspace and the Slack user behind a command, click or submission."""
    return services(context), team_of(body, context), user_of(body, context)


def words(svc: Services, team_id: str) -> Words:
    """The workspace's words for mentor and mentee (its terminology setting)."""
    with svc.db.read() as session:
        return get_settings(session=session, team_id=team_id).words


def explain(svc: Services, team_id: str, err: DomainError) -> str:
    """A domain error's message in the workspace's own words for the roles."""
    return err.say(words(svc, team_id))
