"""Slack's ``user_change`` and ``team_join`` events: people who leave, come back, or arrive.

Bolt does not de-duplicate Events API retries; the operations are idempotent themselves (a
guarded first move, dedupe keys), so a retry changes nothing.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from handlers.deps import services, team_of
from handlers.listening import Listeners
from mentoring.relationships.departures import member_left, member_returned, welcome_newcomer


def on_user_change(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    user = event.get("user") or {}
    user_id = str(user.get("id") or "")
    if not user_id or user.get("is_bot"):
        return
    svc, team = services(context), team_of(body, context)
    admins = svc.admins_to_tell(team) if user.get("deleted") else []  # Slack may be asked
    with svc.db.write() as session:
        if user.get("deleted"):
            member_left(
                session=session,
                team_id=team,
                slack_user_id=user_id,
                admins=admins,
                now=svc.now(),
            )
        else:
            member_returned(session=session, team_id=team, slack_user_id=user_id, now=svc.now())
    svc.deliver()


def on_team_join(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    user = event.get("user") or {}
    user_id = str(user.get("id") or "")
    if not user_id or user.get("is_bot") or user.get("deleted"):
        return
    svc, team = services(context), team_of(body, context)
    with svc.db.write() as session:
        welcome_newcomer(session=session, team_id=team, slack_user_id=user_id, now=svc.now())
    svc.deliver()


def register(app: Listeners) -> None:
    app.event("user_change")(on_user_change)
    app.event("team_join")(on_team_join)
