"""``/mentor-admin [subcommand]``: program admins only.

The command dispatches on its first word to the admin features, each in its own module; this
module owns the admin check, the dispatch and the help text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from blocks.admin import pending_summary
from blocks.ids import Action
from blocks.kit import modal
from blocks.text import escape
from handlers.admin_guard import REFUSAL
from handlers.admin_recommend import open_recommend
from handlers.admin_routing import show_queue
from handlers.deps import services, team_of, user_of
from handlers.replies import tell
from handlers.services import Services
from mentoring.admin import oldest_pending
from mentoring.home import admin_summary
from mentoring.settings import get_settings


@dataclass(frozen=True, slots=True)
class AdminCall:
    """One ``/mentor-admin`` invocation by a verified admin."""

    svc: Services
    client: WebClient
    respond: Respond
    team: str
    user: str
    trigger_id: str
    args: str  # whatever followed the subcommand


def _summary(svc: Services, team: str) -> tuple[str, list[Block]]:
    with svc.db.read() as session:
        summary = admin_summary(session, team)
        pending = oldest_pending(session=session, team_id=team, limit=10)
        terms = get_settings(session=session, team_id=team).terminology
    return pending_summary(summary, pending, now=svc.now(), mentor_word=terms.mentor)


def show_pending(call: AdminCall) -> None:
    _text, blocks = _summary(call.svc, call.team)
    call.client.views_open(
        trigger_id=call.trigger_id,
        view=modal("Mentoring program", "admin", blocks, close="Close"),
    )


# subcommand -> (what it does, for the help text; the function that runs it)
SUBCOMMANDS: dict[str, tuple[str, Callable[[AdminCall], None]]] = {
    "pending": ("the requests dashboard (the default)", show_pending),
    "queue": ("mentees waiting to be matched from their preferences", show_queue),
    "recommend": ("push recommended mentors to mentees without one", open_recommend),
}
DEFAULT = "pending"


def help_text(unknown: str | None = None) -> str:
    lines = [f"I don't know `/mentor-admin {escape(unknown)}`." if unknown else ""]
    lines.append("Try one of these:")
    lines += [f"• `/mentor-admin {name}`: {what}" for name, (what, _fn) in SUBCOMMANDS.items()]
    return "\n".join(line for line in lines if line)


def on_mentor_admin(
    ack: Ack,
    command: dict[str, Any],
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
) -> None:
    ack()
    svc = services(context)
    team, user = team_of(body, context), user_of(body, context)
    if not svc.is_admin(team, user):
        respond(text=REFUSAL, response_type="ephemeral")
        return
    word, _sep, rest = (command.get("text") or "").strip().partition(" ")
    name = word.lower() or DEFAULT
    if name == "help" or name not in SUBCOMMANDS:
        respond(text=help_text(None if name == "help" else word), response_type="ephemeral")
        return
    _what, run = SUBCOMMANDS[name]
    run(AdminCall(svc, client, respond, team, user, command["trigger_id"], rest.strip()))


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
