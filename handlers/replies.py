"""Telling people the outcome of what they did, wherever they did it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from blocks.kit import modal, section
from blocks.text import escape
from handlers.deps import caller

log = logging.getLogger(__name__)


def apology(error: BaseException) -> str:
    """Log an unexpected error with its traceback; the words to show, with an id to quote."""
    error_id = uuid.uuid4().hex[:8]
    log.error("unhandled error %s", error_id, exc_info=error)
    return (
        "Sorry, something went wrong on our side. Please try again; if it keeps happening, "
        f"give your program admin this error id: {error_id}."
    )


def tell(client: WebClient, body: dict[str, Any], message: str) -> None:
    """Show ``message`` to the person who clicked or typed, as close to where they were.

    A Home tab or modal button opens a small modal; a message button or a command answers
    privately in that conversation (through its response_url); failing those, the app sends a
    direct message.
    """
    # Messages name people (domain errors do), and every text below is read as mrkdwn.
    safe = escape(message)
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    container = body.get("container") or {}
    trigger_id = body.get("trigger_id")
    response_url = body.get("response_url")
    try:
        if container.get("type") == "view" and trigger_id:
            client.views_open(
                trigger_id=trigger_id,
                view=modal("Mentoring", "notice", [section(safe)], close="OK"),
            )
            return
        if response_url:
            sent = WebhookClient(response_url).send(
                text=safe, response_type="ephemeral", replace_original=False
            )
            if sent.status_code == 200:
                return
        if user:
            client.chat_postMessage(channel=user, text=safe)
    except SlackApiError:
        log.warning("could not tell %s: %s", user, message, exc_info=True)


def act_then_deliver(
    operation: Callable[..., object],
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    **arguments: Any,
) -> None:
    """A button that moves something (accept, withdraw, a meeting's time): act as the person who
    clicked, in one write transaction, then deliver what the change queued. A rule's refusal
    (a DomainError) reaches the guard every listener runs in (handlers.listening), which tells
    them in the program's words."""
    ack()
    svc, team, user = caller(body, context)
    with svc.db.write() as session:
        operation(session=session, team_id=team, actor_user_id=user, now=svc.now(), **arguments)
    svc.deliver()


def in_modal(body: dict[str, Any]) -> bool:
    """Whether the click came from inside a modal (then the next view is pushed on top)."""
    container = body.get("container") or {}
    return container.get("type") == "view" and (body.get("view") or {}).get("type") == "modal"
