"""Buttons that open a form about a relationship: checked and built in one read, then opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from handlers.deps import caller

Build = Callable[[Session, str, str], View]


def open_form(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, build: Build
) -> None:
    """Ack, then build the form as the person who clicked (``build(session, team, user)``), and
    open it with the click's own trigger; a rule's refusal (a stranger, something already done)
    goes to the guard every listener runs in (handlers.listening), which tells them. Only the
    database is read between the click and views.open."""
    ack()
    svc, team, user = caller(body, context)
    with svc.db.read() as session:
        view = build(session, team, user)
    client.views_open(trigger_id=body["trigger_id"], view=view)
