"""``/mentor-admin [subcommand]``: program admins only.

The command dispatches on its first word to the admin features, each in its own module; this
module owns the admin check, the dispatch and the help text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from blocks.ids import Action
from blocks.reports.dashboard import DashboardState
from blocks.text import escape
from handlers import settings as admin_settings
from handlers.access import REFUSAL, AdminCall, AdminClick, admin_action
from handlers.deps import caller
from handlers.deps import words as team_words
from handlers.listening import Listeners
from handlers.recommendations import open_recommend
from handlers.relationships.oversight import show_relationships
from handlers.reports.dashboard import build_dashboard, show_pending
from handlers.reports.export import send_export
from handlers.reports.health import show_health
from handlers.routing.queue import show_queue
from mentoring.core.wording import Words, fill

# subcommand -> (what it does, for the help text, with the program's role words as
# placeholders; the function that runs it)
SUBCOMMANDS: dict[str, tuple[str, Callable[[AdminCall], None]]] = {
    "pending": ("the requests dashboard (the default)", show_pending),
    "health": ("the program health report (`health 90` for the last 90 days)", show_health),
    "export": ("requests and relationships as CSV files, sent to your DM", send_export),
    "settings": ("change the program's settings", admin_settings.open_settings),
    "queue": ("{mentees} waiting to be matched from their preferences", show_queue),
    "recommend": ("push recommended {mentors} to {mentees} without one", open_recommend),
    "relationships": ("pairs at risk and terms ending soon", show_relationships),
}
DEFAULT = "pending"
# Subcommands that open a modal check rights themselves once its trigger is used (AdminCall).
MODALS = frozenset({"pending", "health", "settings", "queue", "recommend", "relationships"})


def help_text(words: Words, unknown: str | None = None) -> str:
    lines = [f"I don't know `/mentor-admin {escape(unknown)}`." if unknown else ""]
    lines.append("Try one of these:")
    lines += [
        f"• `/mentor-admin {name}`: {fill(what, words)}"
        for name, (what, _fn) in SUBCOMMANDS.items()
    ]
    return "\n".join(line for line in lines if line)


def on_mentor_admin(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    svc, team, user = caller(command, context)  # a slash command's body is the command
    known = svc.admin_known(team, user)  # Slack is asked only after the trigger is used
    word, _sep, rest = (command.get("text") or "").strip().partition(" ")
    name = word.lower() or DEFAULT
    call = AdminCall(
        svc, client, respond, team, user, command["trigger_id"], rest.strip(), bool(known)
    )
    if known is False or (name not in MODALS and not call.allowed()):
        respond(text=REFUSAL, response_type="ephemeral")
        return
    if name == "help" or name not in SUBCOMMANDS:
        answer = help_text(team_words(svc, team), None if name == "help" else word)
        respond(text=answer, response_type="ephemeral")
        return
    _what, run = SUBCOMMANDS[name]
    run(call)


@admin_action(opens=True)
def on_open_admin(click: AdminClick) -> None:
    """The dashboard button on an admin's Home tab."""
    click.show(build_dashboard(click.svc, click.team, DashboardState()))


def register(app: Listeners) -> None:
    app.command("/mentor-admin")(on_mentor_admin)
    app.action(Action.OPEN_ADMIN)(on_open_admin)
    admin_settings.register(app)
