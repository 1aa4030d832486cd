"""The sweep's part of the lifecycle, once for every kind: one list of due asks, moved in bulk.

Each kind's package says which of its asks are due now (a :class:`Sweeper`: requests and
offers remind and auto-close by the program's days, meeting requests by their proposed times,
submissions only auto-close); :func:`apply_due` then moves the whole list the same way:

* with conditional UPDATEs (``status = 'pending'``, and for reminders the reminder count the
  sweeper read), a batch of ids per statement, so only the rows that actually moved count;
* with one event per row moved and the notices its kind names, inserted in bulk with dedupe
  keys (a racing sweep's identical insert is ignored).

So a sweep that runs late, twice, or in two processes at once does nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.orm import Session

from mentoring.asks.cards import redraw_many
from mentoring.asks.kinds import AskKind, Side
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice
from mentoring.core.outbox import insert_events, insert_ignoring_duplicates, outbox_row
from mentoring.program.settings import ProgramSettings
from store.enums import RequestStatus
from store.models import MeetingRequest, Request

BATCH = 5000  # ids per statement, well under the bound-parameter limits (SQLite 32766)


class Move(StrEnum):
    """What the sweep does to a due ask."""

    EXPIRE = "expire"  # close it: it waited too long (or every proposed time has passed)
    REMIND = "remind"  # nudge whoever answers it
    ESCALATE = "escalate"  # tell the program admins it waits too long (once)


@dataclass(frozen=True, slots=True)
class Due:
    """One ask the sweep must move now, with what the move needs to know."""

    kind: AskKind
    model: type[Request] | type[MeetingRequest]
    id: int
    move: Move
    mentee_id: int
    mentor_id: int
    reminder_count: int = 0
    deliver_at: datetime | None = None  # a reminder waits for the answerer's working hours


@dataclass(frozen=True, slots=True)
class Moved:
    """The asks a sweep actually moved, by kind and move (rows that moved meanwhile left out)."""

    rows: dict[tuple[str, Move], list[Due]] = field(default_factory=dict)

    def of(self, kind: AskKind, move: Move) -> list[Due]:
        return self.rows.get((kind.code, move), [])

    def count(self, kind: AskKind, move: Move) -> int:
        return len(self.of(kind, move))


class Sweeper(Protocol):
    """One kind's (or two kinds' sharing a table) rules of what is due."""

    def due(
        self, session: Session, team_id: str, settings: ProgramSettings, now: datetime
    ) -> list[Due]:
        """The asks of this workspace due for a move at ``now`` (re-checked when moved)."""
        ...


def apply_due(session: Session, team_id: str, due: Sequence[Due], now: datetime) -> Moved:
    """Move every due ask with guarded bulk UPDATEs; write its events and notices."""
    groups: dict[tuple[type[Any], Move, int], list[Due]] = defaultdict(list)
    for d in due:
        groups[(d.model, d.move, d.reminder_count if d.move is Move.REMIND else 0)].append(d)
    moved: dict[tuple[str, Move], list[Due]] = defaultdict(list)
    events: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    for (model, move, count), group in groups.items():
        by_id = {d.id: d for d in group}
        ids = _guarded_update(session, model, move, count, list(by_id), now)
        if move is Move.EXPIRE:
            redraw_many(session, model, ids, RequestStatus.EXPIRED, now)
        for row_id in ids:
            d = by_id[row_id]
            moved[(d.kind.code, move)].append(d)
            if move is Move.ESCALATE:
                continue  # the admins' notice names many asks at once: the caller writes it
            events.append(_event(team_id, d, move, now))
            notices.extend(_notices(team_id, d, move, now))
    insert_events(session, events)
    insert_ignoring_duplicates(session, notices)
    return Moved(dict(moved))


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _guarded_update(
    session: Session,
    model: type[Request] | type[MeetingRequest],
    move: Move,
    count: int,
    ids: list[int],
    now: datetime,
) -> list[int]:
    """The ids this UPDATE moved: those still pending (and at ``count`` reminders, to remind)."""
    guard: list[Any] = [model.status == RequestStatus.PENDING]
    values: dict[str, Any]
    if move is Move.EXPIRE:
        values = {"status": RequestStatus.EXPIRED, "answered_at": now, "expired_at": now}
    elif move is Move.REMIND:
        guard.append(model.reminder_count == count)
        values = {"reminder_count": count + 1, "last_reminded_at": now}
    else:
        guard.append(Request.escalated_at.is_(None))
        values = {"escalated_at": now}
    moved: list[int] = []
    for chunk in _chunks(ids):
        result = session.connection().execute(
            update(model).where(model.id.in_(chunk), *guard).values(**values).returning(model.id)
        )
        moved.extend(result.scalars())
    return moved


def _event(team_id: str, d: Due, move: Move, now: datetime) -> dict[str, Any]:
    if move is Move.EXPIRE:
        action = "expired"
        before: dict[str, Any] = {"status": "pending"}
        after: dict[str, Any] = {"status": "expired"}
    else:
        action = "reminded"
        before, after = (
            {"reminder_count": d.reminder_count},
            {"reminder_count": d.reminder_count + 1},
        )
    return {
        "team_id": team_id,
        "at": now,
        "actor": SYSTEM_SWEEP,
        "action": f"{d.kind.subject}.{action}",
        "subject_type": d.kind.subject,
        "subject_id": str(d.id),
        "before": before,
        "after": after,
    }


def _notices(team_id: str, d: Due, move: Move, now: datetime) -> list[dict[str, Any]]:
    kind = d.kind
    meeting = d.model is MeetingRequest
    people = {Side.MENTEE: d.mentee_id, Side.MENTOR: d.mentor_id}
    if move is Move.REMIND:
        number = d.reminder_count + 1
        told: list[tuple[Notice | None, int, str]] = [
            (kind.notices.reminder, people[kind.answerer], kind.key("reminder", d.id, number))
        ]
    else:
        by_side = {
            kind.asker: kind.notices.expired_to_asker,
            kind.answerer: kind.notices.expired_to_answerer,
        }
        told = [
            (by_side[side], people[side], kind.key("expired", d.id, people[side]))
            for side in (Side.MENTEE, Side.MENTOR)
        ]
    return [
        outbox_row(
            team_id,
            notice,
            now,
            recipient_id=recipient,
            dedupe_key=key,
            deliver_at=d.deliver_at if move is Move.REMIND else None,
            request_id=None if meeting else d.id,
            meeting_id=d.id if meeting else None,
        )
        for notice, recipient, key in told
        if notice is not None
    ]
