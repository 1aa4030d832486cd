"""The term question's buttons: extend by the program's extension, or finish on the date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from blocks.relationships.ids import RelAction
from handlers.forms import id_number
from handlers.listening import Listeners
from handlers.replies import act_then_deliver
from mentoring.relationships.terms import confirm_finish, extend_term


def _parsed(action: dict[str, Any]) -> dict[str, Any]:
    """The relationship and the end date the button was drawn with (its guard)."""
    relationship, _sep, stamp = str(action.get("value") or "").partition(":")
    return {
        "relationship_id": id_number(relationship),
        "seen_end": datetime.fromtimestamp(id_number(stamp), tz=UTC),
    }


def on_extend(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    act_then_deliver(extend_term, ack, body, context, client, **_parsed(action))


def on_finish(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    act_then_deliver(confirm_finish, ack, body, context, client, **_parsed(action))


def register(app: Listeners) -> None:
    app.action(RelAction.TERM_EXTEND)(on_extend)
    app.action(RelAction.TERM_FINISH)(on_finish)
