"""Telling people the outcome of what they did, wherever they did it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View
from slack_sdk.web import SlackResponse
from slack_sdk.webhook import WebhookClient

from blocks.kit import modal, section
from blocks.text import escape
from handlers.deps import caller

log = logging.getLogger(__name__)
NOTICE = "notice"  # the callback_id of the small modal that tells something


def apology(error: BaseException) -> str:
    """Log an unexpected error with its traceback; the words to show, with an id to quote."""
    error_id = uuid.uuid4().hex[:8]
    log.error("unhandled error %s", error_id, exc_info=error)
    return (
        "Sorry, something went wrong on our side. Please try again; if it keeps happening, "
        f"give your program admin this error id: {error_id}."
    )


def notice(message: str) -> View:
    """A small modal that says ``message`` (mrkdwn, already escaped) with an OK button."""
    return modal("Mentoring", NOTICE, [section(message)], close="OK")


def tell(
    client: WebClient, body: dict[str, Any], message: str, *, trigger_fresh: bool = True
) -> None:
    """Show ``message`` to the person who clicked or typed, as close to where they were.

    - A click inside a modal: the notice is pushed over it with the click's own trigger, or,
      when that trigger is spent (``trigger_fresh`` False) or the modal is itself a pushed view
      (Slack stacks three at most), replaces the view the person is looking at (views.update,
      guarded by the hash the click carried). Never views.open: a new root modal over an open
      one is not something Slack supports (it may show nothing).
    - A Home tab button: a small modal of its own, while the trigger is fresh.
    - A message button or a command: privately in that conversation (its response_url).
    - Failing those: a direct message.
    """
    # Messages name people (domain errors do), and every text below is read as mrkdwn.
    safe = escape(message)
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    container = body.get("container") or {}
    shown = body.get("view") or {}
    trigger_id = body.get("trigger_id") if trigger_fresh else None
    try:
        if container.get("type") == "view" and shown.get("type") == "modal":
            if _in_modal(client, shown, trigger_id, safe):
                return
        elif container.get("type") == "view" and trigger_id:
            client.views_open(trigger_id=trigger_id, view=notice(safe))
            return
        response_url = body.get("response_url")
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


def _in_modal(client: WebClient, shown: dict[str, Any], trigger_id: str | None, safe: str) -> bool:
    """Push the notice over the modal clicked in, or put it in that modal's place; False if
    Slack refused both ways (the view changed or closed meanwhile)."""
    try:
        if trigger_id and not shown.get("previous_view_id"):
            client.views_push(trigger_id=trigger_id, view=notice(safe))
        else:
            client.views_update(view_id=shown["id"], hash=shown.get("hash"), view=notice(safe))
    except SlackApiError:
        log.info("the modal %s changed or closed; telling privately instead", shown.get("id"))
        return False
    return True


def fill_in(
    client: WebClient, opened: SlackResponse, view: View | dict[str, Any], what: str
) -> None:
    """Replace a view opened (or pushed) a moment ago with its full content.

    Whatever is remote or slow happens after the trigger was used, so the view is opened first
    with what the app had, and filled in here. The update carries the opened view's hash: if
    the person already changed it (a filter picked), or closed it, that newer state wins and
    this content is dropped.
    """
    shown = opened["view"]
    try:
        client.views_update(view_id=shown["id"], hash=shown["hash"], view=view)
    except SlackApiError as err:
        if err.response.get("error") not in ("hash_conflict", "not_found"):
            raise
        log.info("%s superseded: the view changed or closed meanwhile", what)


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
