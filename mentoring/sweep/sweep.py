"""The periodic sweep: reminders, auto-close, escalation and the weekly digest.

Meeting requests (flash mentoring) are swept too, by :mod:`mentoring.meetings.sweep`: their
reminders, their closing once every proposed time has passed, and the reminder the day before
an accepted meeting.

``sweep`` derives everything from the database and the ``now`` it is given, so running it late,
twice, or from two processes at once does nothing twice:

* expiry and reminders move requests with conditional UPDATEs (``status = 'pending'``, and for
  reminders the reminder count the sweep read), and queue notifications only for the rows that
  actually moved;
* every notification it queues carries a dedupe key (unique per workspace), so a racing sweep's
  identical insert is ignored;
* on PostgreSQL the candidate requests are claimed with ``FOR UPDATE SKIP LOCKED``, so two
  sweepers split the work instead of waiting on each other; SQLite serialises writers.

It works in bulk (one UPDATE per batch, Core inserts for events and notifications): a workspace
with 100,000 pending requests is swept in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from mentoring.asks.reminders import next_reminder_at, next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice
from mentoring.core.outbox import insert_events, insert_ignoring_duplicates, outbox_row
from mentoring.meetings.sweep import MeetingSweep, sweep_meetings
from mentoring.program.settings import ProgramSettings, get_settings
from mentoring.routing.assignment import expire_submissions
from mentoring.routing.queue import overdue_submissions
from store.enums import RequestKind, RequestStatus
from store.models import Member, OutboxMessage, Request, Workspace

__all__ = [
    "SweepReport",
    "next_reminder_at",
    "next_working_moment",
    "sweep",
    "sweep_all",
]
BATCH = 5000  # ids per statement, well under the bound-parameter limits (SQLite 32766)
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR_UTC = 9


@dataclass(frozen=True, slots=True)
class SweepReport:
    reminded: int = 0
    expired: int = 0
    escalated: int = 0
    digests: int = 0
    meetings: MeetingSweep = field(default_factory=MeetingSweep)


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: int
    created_at: datetime
    reminder_count: int
    last_reminded_at: datetime | None
    escalated_at: datetime | None
    answerer_id: int
    mentee_id: int
    mentor_id: int
    answerer_tz: str


def sweep_all(*, session_factory: Any, now: datetime, admins: Iterable[str] = ()) -> SweepReport:
    """Sweep every workspace, each in its own write transaction."""
    with session_factory() as session:
        teams = list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))
    totals = SweepReport()
    admin_ids = tuple(admins)
    for team_id in teams:
        with session_factory() as session:
            report = sweep(session=session, team_id=team_id, now=now, admin_user_ids=admin_ids)
        totals = SweepReport(
            totals.reminded + report.reminded,
            totals.expired + report.expired,
            totals.escalated + report.escalated,
            totals.digests + report.digests,
            totals.meetings + report.meetings,
        )
    return totals


def sweep(
    *, session: Session, team_id: str, now: datetime, admin_user_ids: Sequence[str] = ()
) -> SweepReport:
    """Remind, expire and escalate what is due in one workspace; queue the weekly digest.

    Meeting requests are reminded and closed, and accepted meetings announced the day before.
    """
    settings = get_settings(session=session, team_id=team_id)
    candidates = _candidates(session, team_id, settings, now, escalate=bool(admin_user_ids))
    expire_ids: list[int] = []
    remind: dict[int, list[_Candidate]] = defaultdict(list)
    escalate: list[_Candidate] = []
    close_after = timedelta(days=settings.auto_close_after_days)
    for c in candidates:
        if c.created_at + close_after <= now:
            expire_ids.append(c.id)
            continue
        due = next_reminder_at(c.created_at, c.reminder_count, c.last_reminded_at, settings)
        if due is not None and due <= now:
            remind[c.reminder_count].append(c)
        if (
            settings.escalate_after_days is not None
            and c.escalated_at is None
            and c.created_at + timedelta(days=settings.escalate_after_days) <= now
        ):
            escalate.append(c)
    by_id = {c.id: c for c in candidates}
    expired = _expire(session, team_id, expire_ids, by_id, now)
    # Admin-routed preferences are not in the candidates (nobody is reminded about them); a
    # submission still waiting after the auto-close period is closed as one, telling the mentee.
    expired += expire_submissions(session=session, team_id=team_id, settings=settings, now=now)
    reminded = sum(
        _remind(session, team_id, count, group, settings, now) for count, group in remind.items()
    )
    # Submissions left in the matching queue past the same threshold are escalated too, each
    # once (its rank-1 row carries escalated_at), in the same notice as the requests.
    overdue = (
        overdue_submissions(
            session=session,
            team_id=team_id,
            created_before=now - timedelta(days=settings.escalate_after_days),
        )
        if admin_user_ids and settings.escalate_after_days is not None
        else []
    )
    escalated = _escalate(session, team_id, escalate, admin_user_ids, now, overdue)
    digests = _digest(session, team_id, settings, admin_user_ids, now)
    meetings = sweep_meetings(session=session, team_id=team_id, settings=settings, now=now)
    return SweepReport(reminded, expired, escalated, digests, meetings)


def _candidates(
    session: Session, team_id: str, settings: ProgramSettings, now: datetime, *, escalate: bool
) -> list[_Candidate]:
    """Pending requests with something due now (the caller re-checks each one exactly).

    The due conditions are in SQL so that of 100,000 pending requests only the few thousand due
    reach Python; they mirror ``next_reminder_at`` and the expiry and escalation rules.
    """

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    horizons = [settings.auto_close_after_days]
    due = [Request.created_at <= days_ago(settings.auto_close_after_days)]
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
    if escalate and settings.escalate_after_days is not None:  # nobody to tell otherwise
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
    query = (
        select(
            Request.id,
            Request.created_at,
            Request.reminder_count,
            Request.last_reminded_at,
            Request.escalated_at,
            answerer,
            Request.mentee_id,
            Request.mentor_id,
            Member.tz,
        )
        .join(Member, Member.id == answerer)
        .where(
            Request.team_id == team_id,
            Request.status == RequestStatus.PENDING,
            Request.kind != RequestKind.ADMIN_ROUTED,
            # Implied by every condition below (a repeat reminder comes after the first), and
            # lets the database use the (team, status, created_at) index range.
            Request.created_at <= days_ago(min(settings.remind_after_days, *horizons)),
            or_(*due),
        )
        .order_by(Request.id)
        .with_for_update(skip_locked=True, of=Request)
    )
    # Core execution: thousands of plain rows, no ORM bookkeeping per row.
    return [_Candidate(*row) for row in session.connection().execute(query)]


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _expire(
    session: Session, team_id: str, ids: list[int], by_id: dict[int, _Candidate], now: datetime
) -> int:
    moved: list[int] = []
    for chunk in _chunks(ids):
        result = session.connection().execute(
            update(Request)
            .where(Request.id.in_(chunk), Request.status == RequestStatus.PENDING)
            .values(status=RequestStatus.EXPIRED, answered_at=now, expired_at=now)
            .returning(Request.id)
        )
        moved.extend(result.scalars())
    insert_events(
        session,
        [
            {
                "team_id": team_id,
                "at": now,
                "actor": SYSTEM_SWEEP,
                "action": "request.expired",
                "subject_type": "request",
                "subject_id": str(i),
                "before": {"status": "pending"},
                "after": {"status": "expired"},
            }
            for i in moved
        ],
    )
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.REQUEST_EXPIRED,
                now,
                recipient_id=recipient,
                request_id=i,
                dedupe_key=f"expired:{i}:{recipient}",
            )
            for i in moved
            for recipient in (by_id[i].mentee_id, by_id[i].mentor_id)
        ],
    )
    return len(moved)


def _remind(
    session: Session,
    team_id: str,
    count: int,
    group: list[_Candidate],
    settings: ProgramSettings,
    now: datetime,
) -> int:
    by_id = {c.id: c for c in group}
    moved: list[int] = []
    for chunk in _chunks(list(by_id)):
        result = session.connection().execute(
            update(Request)
            .where(
                Request.id.in_(chunk),
                Request.status == RequestStatus.PENDING,
                Request.reminder_count == count,
            )
            .values(reminder_count=count + 1, last_reminded_at=now)
            .returning(Request.id)
        )
        moved.extend(result.scalars())
    number = count + 1
    insert_events(
        session,
        [
            {
                "team_id": team_id,
                "at": now,
                "actor": SYSTEM_SWEEP,
                "action": "request.reminded",
                "subject_type": "request",
                "subject_id": str(i),
                "before": {"reminder_count": count},
                "after": {"reminder_count": number},
            }
            for i in moved
        ],
    )
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.REQUEST_REMINDER,
                now,
                recipient_id=by_id[i].answerer_id,
                request_id=i,
                dedupe_key=f"reminder:{i}:{number}",
                deliver_at=next_working_moment(now, by_id[i].answerer_tz, settings),
            )
            for i in moved
        ],
    )
    return len(moved)


def _escalate(
    session: Session,
    team_id: str,
    due: list[_Candidate],
    admins: Sequence[str],
    now: datetime,
    submissions: Sequence[int] = (),
) -> int:
    """Tell admins about requests (and queue submissions, by rank-1 id) waiting too long."""
    if not (due or submissions) or not admins:
        return 0
    moved = _mark_escalated(session, [c.id for c in due], now)
    moved_submissions = _mark_escalated(session, list(submissions), now)
    if moved or moved_submissions:
        stamp = now.strftime("%Y%m%dT%H%M%S")
        insert_ignoring_duplicates(
            session,
            [
                outbox_row(
                    team_id,
                    Notice.ADMIN_ESCALATION,
                    now,
                    dedupe_key=f"escalation:{stamp}:{admin}",
                    payload={
                        "user": admin,
                        "request_ids": sorted(moved)[:50],
                        "count": len(moved),
                        "submission_ids": sorted(moved_submissions)[:BATCH],
                    },
                )
                for admin in admins
            ],
        )
    return len(moved) + len(moved_submissions)


def _mark_escalated(session: Session, ids: list[int], now: datetime) -> list[int]:
    """Stamp ``escalated_at`` on those still pending and not yet escalated; the ids moved."""
    moved: list[int] = []
    for chunk in _chunks(ids):
        result = session.connection().execute(
            update(Request)
            .where(
                Request.id.in_(chunk),
                Request.status == RequestStatus.PENDING,
                Request.escalated_at.is_(None),
            )
            .values(escalated_at=now)
            .returning(Request.id)
        )
        moved.extend(result.scalars())
    return moved


def _digest(
    session: Session,
    team_id: str,
    settings: ProgramSettings,
    admins: Sequence[str],
    now: datetime,
) -> int:
    """Queue this week's digest once the week's digest time has passed (once per admin)."""
    if not settings.weekly_digest or not admins:
        return 0
    monday = now.date() - timedelta(days=now.weekday())
    due = datetime.combine(monday, time(DIGEST_HOUR_UTC), tzinfo=now.tzinfo)
    if now < due:
        return 0
    year, week, _ = now.isocalendar()
    existing = set(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.dedupe_key.in_([f"digest:{year}-W{week:02d}:{a}" for a in admins]),
            )
        )
    )
    rows = [
        outbox_row(
            team_id,
            Notice.ADMIN_DIGEST,
            now,
            dedupe_key=key,
            payload={"user": admin},
        )
        for admin in admins
        if (key := f"digest:{year}-W{week:02d}:{admin}") not in existing
    ]
    insert_ignoring_duplicates(session, rows)
    return len(rows)
