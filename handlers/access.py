"""Who may use the admin features, and what everyone else is told.

Every admin entry point checks ``Services.is_admin`` itself, from the server side, on every
command, click and submission: a modal that was opened by an admin can be clicked after their
rights were taken away, and button values are only ever lookup keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from blocks.reports.dashboard import notice_modal
from handlers.services import Services

# Says nothing about the program (no counts, no names), to anyone who is not an admin.
REFUSAL = "Sorry, `/mentor-admin` is only for the mentoring program's admins."


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


def refuse_in_modal(client: WebClient, body: dict[str, Any]) -> None:
    """Answer a click in an admin modal by someone who is not (or no longer) an admin.

    The modal is replaced by the refusal, so the admin data it showed goes away too.
    """
    client.views_update(view_id=body["view"]["id"], view=notice_modal(REFUSAL))
