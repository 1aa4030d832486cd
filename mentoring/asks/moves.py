"""The moves members make on any ask: send it, decline it, withdraw it.

Each kind's package checks its own rules first (who may ask whom, limits, proposed times) and
then makes the move here, so every kind records the same events and tells the same sides.
Accepting is each kind's own (a relationship starts, or a meeting is set): it ends with
:func:`tell_answered`, as declining does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from mentoring.asks.kinds import AskRow, kind_of
from mentoring.asks.lifecycle import (
    add_pending,
    ensure_pending,
    notify,
    request_event,
    require_answerer,
    transition,
)
from mentoring.core.audit import Notice, record_event
from mentoring.core.errors import Duplicate, InvalidInput, NotAllowed
from mentoring.core.members import member_by_id
from store.enums import RequestKind, RequestStatus
from store.models import Request

MAX_NOTE_LENGTH = 1000  # the optional note that comes with a decline


def new_request(
    kind: RequestKind,
    team_id: str,
    pair: tuple[int, int],
    message: str,
    now: datetime,
    rank: int | None = None,
) -> Request:
    """A pending request, offer or preference between ``pair`` (mentee id, mentor id)."""
    mentee_id, mentor_id = pair
    return Request(
        team_id=team_id,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        kind=kind,
        message=message,
        status=RequestStatus.PENDING,
        preference_rank=rank,
        created_at=now,
    )


def send(
    session: Session,
    row: AskRow,
    *,
    actor_user_id: str,
    duplicate: Duplicate,
    now: datetime,
    **details: Any,
) -> None:
    """Insert a new pending ask, record it sent, and hand it to whoever answers.

    Raises:
        Duplicate: ``duplicate``, when the pair already has one of this kind pending.
    """
    kind = kind_of(row)
    add_pending(session, row, duplicate)
    record_event(
        session,
        team_id=row.team_id,
        actor=actor_user_id,
        action=f"{kind.code}.sent",
        subject_type=kind.subject,
        subject_id=row.id,
        after={
            "status": row.status.value,
            "mentor_id": row.mentor_id,
            "mentee_id": row.mentee_id,
            **details,
        },
        at=now,
    )
    if kind.notices.received is not None:
        notify(session, row, kind.notices.received, kind.answerer_id(row), now)


def validated_note(note: str) -> str:
    """A decline's optional note, trimmed.

    Raises:
        InvalidInput: longer than :data:`MAX_NOTE_LENGTH` (``field="note"``).
    """
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            "Please keep the note under {max} characters.", field="note", max=MAX_NOTE_LENGTH
        )
    return note


def decline(
    session: Session,
    row: AskRow,
    *,
    actor_user_id: str,
    reason: str,
    note: str,
    reasons: tuple[str, ...],
    now: datetime,
) -> None:
    """Whoever the ask was sent to declines with one of ``reasons`` and an optional note.

    The asker is told (with the reason and note); the answerer's card is redrawn.

    Raises:
        InvalidInput: a reason not in ``reasons`` or a note too long.
        NotAllowed / AlreadyHandled: not the one it was sent to, or already answered.
    """
    if reason not in reasons:
        raise InvalidInput("Choose one of the listed reasons.", field="reason")
    note = validated_note(note)
    answerer = require_answerer(session, row, actor_user_id)
    ensure_pending(row)
    transition(
        session, row, RequestStatus.DECLINED, now, decline_reason=reason, decline_note=note or None
    )
    kind = kind_of(row)
    request_event(session, row, actor_user_id, f"{kind.subject}.declined", now, reason=reason)
    tell_answered(session, row, kind.notices.declined_to_asker, answerer.id, now)


def tell_answered(
    session: Session, row: AskRow, to_asker: Notice | None, answerer_id: int, now: datetime
) -> None:
    """Tell the asker how their ask was answered, and redraw the answerer's card."""
    kind = kind_of(row)
    if to_asker is not None:
        notify(session, row, to_asker, kind.asker_id(row), now)
    if kind.notices.updated is not None:
        notify(session, row, kind.notices.updated, answerer_id, now)


def withdraw(session: Session, row: AskRow, *, actor_user_id: str, now: datetime) -> None:
    """The person who sent the ask takes it back; whoever would have answered is told.

    Raises:
        NotAllowed / AlreadyHandled: not the one who sent it, or already answered.
    """
    kind = kind_of(row)
    asker = member_by_id(session, row.team_id, kind.asker_id(row))
    if asker.slack_user_id != actor_user_id:
        raise NotAllowed(f"Only the person who sent this {kind.noun} can withdraw it.")
    ensure_pending(row)
    transition(session, row, RequestStatus.WITHDRAWN, now)
    request_event(session, row, actor_user_id, f"{kind.subject}.withdrawn", now)
    if kind.notices.withdrawn_to_answerer is not None:
        notify(session, row, kind.notices.withdrawn_to_answerer, kind.answerer_id(row), now)
