"""``/mentor-admin``: program admins only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from blocks.admin import pending_summary
from blocks.ids import Action
from blocks.kit import modal
from handlers.deps import services, team_of, user_of
from handlers.replies import tell
from handlers.services import Services
from mentoring.admin import oldest_pending
from mentoring.home import admin_summary
from mentoring.settings import get_settings

REFUSAL = "Sorry, `/mentor-admin` is only for the mentoring program's admins."


def _summary(svc: Services, team: str) -> tuple[str, list[Block]]:
    with svc.db.read() as session:
        summary = admin_summary(session, team)
        pending = oldest_pending(session=session, team_id=team, limit=10)
        terms = get_settings(session=session, team_id=team).terminology
    return pending_summary(summary, pending, now=svc.now(), mentor_word=terms.mentor)


def on_mentor_admin(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    svc = services(context)
    team, user = team_of(body, context), user_of(body, context)
    if not svc.is_admin(team, user):
        respond(text=REFUSAL, response_type="ephemeral")
        return
    text, blocks = _summary(svc, team)
    respond(text=text, blocks=[b.to_dict() for b in blocks], response_type="ephemeral")


def on_open_admin(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The dashboard button on an admin's Home tab."""
    ack()
    svc = services(context)
    team, user = team_of(body, context), user_of(body, context)
    if not svc.is_admin(team, user):
        tell(client, body, REFUSAL)
        return
    _text, blocks = _summary(svc, team)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=modal("Mentoring program", "admin", blocks, close="Close"),
    )


def register(app: App) -> None:
    app.command("/mentor-admin")(on_mentor_admin)
    app.action(Action.OPEN_ADMIN)(on_open_admin)
