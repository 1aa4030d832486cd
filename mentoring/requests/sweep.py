"""What the sweep finds due among requests and offers: reminders, auto-close, escalation.

The due conditions are in SQL, so that of 100,000 pending requests only the few thousand due
reach Python, where each is checked exactly (they mirror
:func:`mentoring.asks.reminders.next_reminder_at` and the auto-close and escalation rules). On
PostgreSQL the rows are claimed with ``FOR UPDATE SKIP LOCKED``, so two sweepers split them.
Preferences of admin-routed submissions are swept by :mod:`mentoring.routing.sweep`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.orm import Session

from mentoring.asks.auto_close import closes_at, due_to_close
from mentoring.asks.kinds import OFFER, REQUEST
from mentoring.asks.reminders import next_reminder_at, next_working_moment
from mentoring.asks.sweep import Due, Move
from mentoring.program.settings import ProgramSettings
from store.enums import RequestKind, RequestStatus
from store.models import Member, Request


@dataclass(frozen=True, slots=True)
class RequestSweeper:
    """Requests and offers: reminded by the program's days, closed after ``auto_close``.

    ``escalate``: whether anyone is there to tell about requests waiting too long (admins).
    """

    escalate: bool = False

    def due(
        self, session: Session, team_id: str, settings: ProgramSettings, now: datetime
    ) -> list[Due]:
        escalate_after = settings.escalate_after_days if self.escalate else None
        found: list[Due] = []
        working: dict[str, datetime] = {}  # the next working moment in each answerer's zone
        for row in session.connection().execute(self._query(team_id, settings, now)):
            (id_, kind, created_at, count, last, escalated_at, mentee_id, mentor_id, tz) = row
            ask = OFFER if kind == RequestKind.MENTOR_OFFER else REQUEST
            if closes_at(created_at, settings) <= now:
                found.append(Due(ask, Request, id_, Move.EXPIRE, mentee_id, mentor_id, count))
                continue
            next_at = next_reminder_at(created_at, count, last, settings)
            if next_at is not None and next_at <= now:
                if (deliver_at := working.get(tz)) is None:
                    deliver_at = working[tz] = next_working_moment(now, tz, settings)
                found.append(
                    Due(ask, Request, id_, Move.REMIND, mentee_id, mentor_id, count, deliver_at)
                )
            if (
                escalate_after is not None
                and escalated_at is None
                and created_at + timedelta(days=escalate_after) <= now
            ):
                found.append(Due(ask, Request, id_, Move.ESCALATE, mentee_id, mentor_id, count))
        return found

    def _query(
        self, team_id: str, settings: ProgramSettings, now: datetime
    ) -> Select[int, RequestKind, datetime, int, datetime | None, datetime | None, int, int, str]:
        def days_ago(days: int) -> datetime:
            return now - timedelta(days=days)

        horizons = [settings.auto_close_after_days]
        due = [due_to_close(now, settings)]
        if settings.max_reminders > 0:
            first = or_(Request.reminder_count == 0, Request.last_reminded_at.is_(None))
            due.append(
                and_(
                    Request.reminder_count < settings.max_reminders,
                    or_(
                        and_(first, Request.created_at <= days_ago(settings.remind_after_days)),
                        and_(
                            ~first,
                            Request.last_reminded_at <= days_ago(settings.remind_every_days),
                        ),
                    ),
                )
            )
        if self.escalate and settings.escalate_after_days is not None:
            horizons.append(settings.escalate_after_days)
            due.append(
                and_(
                    Request.escalated_at.is_(None),
                    Request.created_at <= days_ago(settings.escalate_after_days),
                )
            )
        answerer = case(
            (Request.kind == RequestKind.MENTOR_OFFER, Request.mentee_id), else_=Request.mentor_id
        )
        return (
            select(
                Request.id,
                Request.kind,
                Request.created_at,
                Request.reminder_count,
                Request.last_reminded_at,
                Request.escalated_at,
                Request.mentee_id,
                Request.mentor_id,
                Member.tz,
            )
            .join(Member, Member.id == answerer)
            .where(
                Request.team_id == team_id,
                Request.status == RequestStatus.PENDING,
                Request.kind != RequestKind.ADMIN_ROUTED,
                # Implied by every condition below (a repeat reminder comes after the first),
                # and lets the database use the (team, status, created_at) index range.
                Request.created_at <= days_ago(min(settings.remind_after_days, *horizons)),
                or_(*due),
            )
            .order_by(Request.id)
            .with_for_update(skip_locked=True, of=Request)
        )
