"""Telling people the outcome of what they did, wherever they did it."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.kit import modal, section
from blocks.text import escape

log = logging.getLogger(__name__)


def tell(client: WebClient, body: dict[str, Any], message: str) -> None:
    """Show ``message`` to the person who clicked or typed, as close to where they were.

    A message button answers in the conversation (ephemeral); a Home tab or modal button opens a
    small modal; anything else becomes a direct message from the app.
    """
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
    trigger_id = body.get("trigger_id")
    container = body.get("container") or {}
    try:
        if container.get("type") == "view" and trigger_id:
            client.views_open(
                trigger_id=trigger_id,
                view=modal("Mentoring", "notice", [section(escape(message))], close="OK"),
            )
        elif channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=message)
        elif user:
            client.chat_postMessage(channel=user, text=message)
    except SlackApiError:
        log.warning("could not tell %s: %s", user, message, exc_info=True)
