"""The sweep's part of the lifecycle, once for every kind: one list of due asks, moved in bulk.

Each kind's package says which of its asks are due now (a :class:`Sweeper`: requests and
offers remind and auto-close by the program's days, meeting requests by their proposed times,
submissions only auto-close); :func:`apply_due` then moves the whole list the same way:

* with conditional UPDATEs (``status = 'pending'``, and for reminders the reminder count the
  sweeper read), a batch of ids per statement, so only the rows that actually moved count;
* with one event per row moved and the notices its kind names, with dedupe keys (a racing
  sweep's identical insert is ignored), each built by the database from the moved rows
  (``INSERT ... SELECT`` by id, per kind and delivery time): at 10,000 moved asks, binding
  21,000 rows' values one by one in Python cost ~1 s.

So a sweep that runs late, twice, or in two processes at once does nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import JSON, ColumnElement, String, cast, insert, literal, select, update
from sqlalchemy.orm import Session

from mentoring.asks.cards import redraw_many
from mentoring.asks.kinds import AskKind, Side
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice
from mentoring.core.outbox import EVENTS, insert_ignoring_duplicates_from
from mentoring.program.settings import ProgramSettings
from store.enums import OutboxStatus, RequestStatus
from store.models import MeetingRequest, Request
from store.types import UTCDateTime

BATCH = 5000  # ids per statement, well under the bound-parameter limits (SQLite 32766)
EVENT_COLUMNS = [
    "team_id",
    "at",
    "actor",
    "action",
    "subject_type",
    "subject_id",
    "before",
    "after",
]
# The fourth is request_id, or meeting_id for a meeting request.
OUTBOX_COLUMNS = [
    "team_id",
    "kind",
    "recipient_id",
    "request_id",
    "payload",
    "dedupe_key",
    "status",
    "created_at",
    "next_attempt_at",
    "attempts",
]


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
    for (model, move, count), group in groups.items():
        by_id = {d.id: d for d in group}
        ids = _guarded_update(session, model, move, count, list(by_id), now)
        if move is Move.EXPIRE:
            redraw_many(session, model, ids, RequestStatus.EXPIRED, now)
        # The rows' events and notices are built by the database from the rows themselves,
        # one INSERT ... SELECT per batch of ids alike (kind, delivery time): thousands of rows
        # never cross into Python one by one.
        batches: dict[tuple[str, datetime | None], list[int]] = defaultdict(list)
        for row_id in ids:
            d = by_id[row_id]
            moved[(d.kind.code, move)].append(d)
            if move is not Move.ESCALATE:  # the admins' notice names many asks: the caller's
                batches[(d.kind.code, d.deliver_at if move is Move.REMIND else None)].append(d.id)
        kinds = {d.kind.code: d.kind for d in group}
        for (code, deliver_at), batch in batches.items():
            for chunk in _chunks(sorted(batch)):
                written = Written(team_id, kinds[code], model, move, count, now)
                written.insert(session, model.id.in_(chunk), deliver_at)
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


@dataclass(frozen=True, slots=True)
class Written:
    """The event and the notices of the asks of one kind that one guarded UPDATE moved."""

    team_id: str
    kind: AskKind
    model: type[Request] | type[MeetingRequest]
    move: Move  # EXPIRE or REMIND
    reminder_count: int  # before the move (a reminder's number is one more)
    now: datetime

    def insert(
        self, session: Session, moved: ColumnElement[bool], deliver_at: datetime | None
    ) -> None:
        """Insert the event and the notices of the rows ``moved`` selects (by id)."""
        events = select(*self._event()).where(moved).order_by(self.model.id)
        session.execute(insert(EVENTS).from_select(EVENT_COLUMNS, events))
        for notice, recipient, detail in self._told():
            if notice is None:
                continue
            meeting = self.model is MeetingRequest
            row = [
                literal(self.team_id),
                literal(notice.value),
                recipient,
                self.model.id,  # request_id or meeting_id
                literal({}, JSON()),
                literal(f"{self.kind.dedupe_prefix}{self._what}:")
                .concat(cast(self.model.id, String))
                .concat(":")
                .concat(detail),
                literal(OutboxStatus.PENDING.value),
                literal(self.now, UTCDateTime()),
                literal(deliver_at or self.now, UTCDateTime()),
                literal(0),
            ]
            columns = [*OUTBOX_COLUMNS]
            columns[3] = "meeting_id" if meeting else "request_id"
            insert_ignoring_duplicates_from(
                session, columns, select(*row).where(moved).order_by(self.model.id)
            )

    @property
    def _what(self) -> str:
        return "expired" if self.move is Move.EXPIRE else "reminder"

    def _event(self) -> list[ColumnElement[Any]]:
        if self.move is Move.EXPIRE:
            action = "expired"
            before: dict[str, Any] = {"status": "pending"}
            after: dict[str, Any] = {"status": "expired"}
        else:
            action = "reminded"
            before = {"reminder_count": self.reminder_count}
            after = {"reminder_count": self.reminder_count + 1}
        return [
            literal(self.team_id),
            literal(self.now, UTCDateTime()),
            literal(SYSTEM_SWEEP),
            literal(f"{self.kind.subject}.{action}"),
            literal(self.kind.subject),
            cast(self.model.id, String),
            literal(before, JSON()),
            literal(after, JSON()),
        ]

    def _told(self) -> list[tuple[Notice | None, Any, ColumnElement[str]]]:
        """(notice, recipient column, the dedupe key's last part) for each person told."""
        kind, model = self.kind, self.model
        people = {Side.MENTEE: model.mentee_id, Side.MENTOR: model.mentor_id}
        if self.move is Move.REMIND:
            number = literal(str(self.reminder_count + 1))
            return [(kind.notices.reminder, people[kind.answerer], number)]
        by_side = {
            kind.asker: kind.notices.expired_to_asker,
            kind.answerer: kind.notices.expired_to_answerer,
        }
        return [
            (by_side[side], people[side], cast(people[side], String))
            for side in (Side.MENTEE, Side.MENTOR)
        ]
