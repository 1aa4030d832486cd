"""The Slack messages whose buttons act on an ask, remembered so that none outlives it.

An ask is shown by more than one message: its first card, a new card with each reminder, and
for a submission one notice per program admin. Each is remembered once posted
(:func:`remember_message`) and, when the ask leaves ``pending`` by any path (an answer, a
withdrawal, expiry, an admin's close, a cancellation because a limit was reached elsewhere or
someone left), every one of them is redrawn in place through the outbox (:data:`Notice.ASK_REDRAWN`,
one row per message, deduped by message and state), so a Slack failure only delays the redraw.

A card posted while the ask was ending (its delivery raced the move) is caught when it is
remembered: the ask's row is locked and, if it has left ``pending`` meanwhile, that message is
queued for its redraw at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice
from mentoring.core.outbox import insert_ignoring_duplicates, insert_or_skip, outbox_row
from mentoring.core.prebuilt import run
from store.enums import RequestStatus
from store.models import AskMessage, MeetingRequest, Request

AskModel = type[Request] | type[MeetingRequest]
ASK_MESSAGES = cast(Table, AskMessage.__table__)
BATCH = 5000  # ask ids per statement, well under the bound-parameter limits


class Role(StrEnum):
    """What a remembered message is to the ask it shows."""

    CARD = "card"  # the answerer's first card, with its buttons
    REMINDER = "reminder"  # a reminder, a new card with the same buttons
    ADMIN = "admin"  # a program admin's notice of a submission waiting in the queue


def _column(model: AskModel) -> Any:
    return AskMessage.meeting_id if model is MeetingRequest else AskMessage.request_id


def _status_locked(model: AskModel) -> Select[Any]:
    table = cast(Table, model.__table__)
    return select(table.c.status).where(table.c.id == bindparam("ask_id")).with_for_update()


# Run for every card and reminder sent: built once (prebuilt.run), per model and per dialect.
_STATUS_LOCKED = {model: _status_locked(model) for model in (Request, MeetingRequest)}
_INSERT_MESSAGE: dict[str, Any] = {}


def _insert_message(session: Session) -> Any:
    """INSERT a remembered message unless it is there already, RETURNING its new id."""
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERT_MESSAGE:
        _INSERT_MESSAGE[dialect] = insert_or_skip(session, ASK_MESSAGES).returning(
            ASK_MESSAGES.c.id
        )
    return _INSERT_MESSAGE[dialect]


def has_messages(session: Session, model: AskModel, ask_id: int) -> bool:
    """Whether any message showing this ask was posted (and so will be redrawn)."""
    found = session.scalar(select(AskMessage.id).where(_column(model) == ask_id).limit(1))
    return found is not None


def remember_message(
    session: Session,
    *,
    team_id: str,
    model: AskModel,
    ask_id: int,
    role: Role,
    channel: str,
    ts: str,
    now: datetime,
) -> None:
    """Remember a message just posted about an ask; redraw it at once if the ask has ended.

    The ask's row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite writers are serialised)
    so a move that ends the ask either sees this message or is seen by it.
    """
    status = run(session, _STATUS_LOCKED[model], {"ask_id": ask_id}).scalar()
    if status is None:
        return
    meeting = model is MeetingRequest
    values: dict[str, Any] = {
        "team_id": team_id,
        "request_id": None if meeting else ask_id,
        "meeting_id": ask_id if meeting else None,
        "role": role.value,
        "channel": channel,
        "ts": ts,
        "posted_at": now,
    }
    # One statement, no savepoint: the dispatcher remembers a message for every card it sends.
    message_id = run(session, _insert_message(session), values).scalar()
    if message_id is None:
        return  # remembered already (the same send finished twice)
    if status is not RequestStatus.PENDING:
        _queue(session, [AskMessage(id=message_id, **values)], status, now, None)


def redraw_messages(
    session: Session, row: Request | MeetingRequest, now: datetime, why: str | None = None
) -> None:
    """Queue a redraw of every remembered message of ``row``, which has just left pending.

    ``why``: a word the card needs that the row does not hold (``"no_room"``: an offer whose
    mentor filled their last slot).
    """
    model = type(row)
    messages = session.scalars(select(AskMessage).where(_column(model) == row.id)).all()
    _queue(session, messages, row.status, now, why)


def redraw_many(
    session: Session, model: AskModel, ids: Sequence[int], status: RequestStatus, now: datetime
) -> None:
    """:func:`redraw_messages` for many asks moved to ``status`` at once (the sweep)."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        messages = session.scalars(select(AskMessage).where(_column(model).in_(chunk))).all()
        _queue(session, messages, status, now, None)


def _queue(
    session: Session,
    messages: Iterable[AskMessage],
    status: RequestStatus,
    now: datetime,
    why: str | None,
) -> None:
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                m.team_id,
                Notice.ASK_REDRAWN,
                now,
                request_id=m.request_id,
                meeting_id=m.meeting_id,
                # Once per message and state: a meeting accepted, then cancelled because
                # someone left, is redrawn twice; a racing second queueing is skipped.
                dedupe_key=f"redraw:{m.id}:{status.value}",
                payload={"message": m.id, **({"why": why} if why else {})},
            )
            for m in messages
        ],
    )


def message_of(session: Session, message_id: int) -> AskMessage | None:
    """A remembered message by id (for rendering its redraw)."""
    return session.get(AskMessage, message_id)
