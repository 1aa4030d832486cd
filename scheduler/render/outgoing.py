"""What rendering an outbox row produces: the message (or file) to send, and what to do after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Upload:
    """A file to share instead of posting a message (``Outgoing.text`` is its comment)."""

    filename: str
    title: str
    content: bytes


@dataclass(frozen=True)
class Outgoing:
    """One Slack message to post (or update), and what to remember once it is sent."""

    channel: str | None
    text: str
    blocks: list[dict[str, Any]]
    update_ts: str | None = None
    thread_ts: str | None = None
    open_with: tuple[str, ...] = ()  # open a group DM with these users and post there
    refresh_homes: tuple[str, ...] = ()
    after_send: AfterSend | None = None
    upload: Upload | None = None


AfterSend = Callable[[Session, str, str], None]
