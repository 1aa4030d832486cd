"""``/mentor-admin``: program admins only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from blocks.admin import pending_summary
from handlers.deps import services, team_of, user_of
from mentoring.admin import oldest_pending
from mentoring.home import admin_summary
from mentoring.settings import get_settings

REFUSAL = "Sorry, `/mentor-admin` is only for the mentoring program's admins."


def on_mentor_admin(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    svc = services(context)
    team, user = team_of(body, context), user_of(body, context)
    if not svc.is_admin(team, user):
        respond(text=REFUSAL, response_type="ephemeral")
        return
    now = svc.now()
    with svc.db.read() as session:
        summary = admin_summary(session, team)
        pending = oldest_pending(session=session, team_id=team, limit=10)
        terms = get_settings(session=session, team_id=team).terminology
    text, blocks = pending_summary(summary, pending, now=now, mentor_word=terms.mentor)
    respond(text=text, blocks=[b.to_dict() for b in blocks], response_type="ephemeral")


def register(app: App) -> None:
    app.command("/mentor-admin")(on_mentor_admin)
