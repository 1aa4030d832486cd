"""Listeners for the two kinds of button most of the app has, made from what differs.

- A button that acts (accept, withdraw, mark a goal done, answer a check-in): the operation, and
  how the button's value names what it acts on (:func:`acting`).
- A button that opens a form about something (decline, end, write goals): how to build the form
  as the person who clicked, checking the rules in the same read (:func:`opening`).

A rule's refusal from either goes to the guard every listener runs in (handlers.listening).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from handlers.deps import caller
from handlers.forms import id_number
from handlers.replies import act_then_deliver, in_modal

Listener = Callable[[Ack, dict[str, Any], dict[str, Any], BoltContext, WebClient], None]
Parse = Callable[[dict[str, Any]], dict[str, Any]]
# build(session, team, user, action) -> the form, or a refusal (DomainError)
Build = Callable[[Session, str, str, dict[str, Any]], View]


def by_id(key: str) -> Parse:
    """The button's value is the id the operation takes as ``key``."""
    return lambda action: {key: id_number(action.get("value"))}


def acting(
    operation: Callable[..., object],
    parse: Parse,
    *,
    then: Callable[[dict[str, Any], BoltContext, WebClient], None] | None = None,
    **fixed: Any,
) -> Listener:
    """A button that moves something: ``operation(**parse(action), **fixed)`` as the person who
    clicked, in one write transaction, then delivery (and ``then``, e.g. redraw their Home)."""

    def listener(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: Any
    ) -> None:
        act_then_deliver(operation, ack, body, context, client, **parse(action), **fixed)
        if then is not None:
            then(body, context, client)

    return listener


def opening(build: Build) -> Listener:
    """A button that opens a form: ack, build it in one read as the person who clicked, open it
    with the click's own trigger. Only the database is read between the click and views.open."""

    def listener(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: Any
    ) -> None:
        ack()
        svc, team, user = caller(body, context)
        with svc.db.read() as session:
            view = build(session, team, user, action)
        # Over a modal only a pushed view is supported (never a second root modal).
        show = client.views_push if in_modal(body) else client.views_open
        show(trigger_id=body["trigger_id"], view=view)

    return listener
