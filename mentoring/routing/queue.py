"""How the admins' matching queue stands, with each submission counted once.

An admin-routed submission is stored as one ADMIN_ROUTED request per preferred mentor (see
:mod:`mentoring.routing.preferences`), but it is one thing an admin decides on and one ask by the
mentee.
Everything admins count about requests (the dashboard, Home, the digest, escalations, the health
report) leaves those rows out and counts submissions here instead:

* a submission is *waiting* while its rank-1 row is pending (its rows always move together);
* the mentors it ranks were never asked anything, so nothing here is about how mentors answer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from mentoring.core.figures import DurationStats
from mentoring.program.settings import MatchingMode, get_settings
from mentoring.routing.submissions import SubmissionStatus, split_runs, status_of
from store.enums import OutboxStatus, RequestKind, RequestStatus
from store.models import OutboxMessage, Request

# What admins count as requests: mentees' requests and mentors' offers, never preferences.
NOT_A_PREFERENCE: ColumnElement[bool] = Request.kind != RequestKind.ADMIN_ROUTED


def _waiting_heads(team_id: str) -> ColumnElement[bool]:
    return and_(
        Request.team_id == team_id,
        Request.kind == RequestKind.ADMIN_ROUTED,
        Request.preference_rank == 1,
        Request.status == RequestStatus.PENDING,
    )


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """Submissions waiting for an admin, and the oldest one's submission time."""

    waiting: int
    oldest: datetime | None  # when the longest-waiting one was submitted
    failed_deliveries: int = 0  # notifications about submissions that Slack refused for good


def queue_summary(
    *,
    session: Session,
    team_id: str,
    created_before: datetime | None = None,
    ids: Collection[int] | None = None,
    with_failures: bool = False,
) -> QueueSummary:
    """How many submissions wait for an admin now, each counted once.

    Args:
        session: an open session (nothing is written).
        team_id: the workspace.
        created_before: only those submitted before this instant (e.g. closing soon).
        ids: only these submissions (their rank-1 request ids), e.g. an escalation's.
        with_failures: also count the failed notifications about any submission.
    """
    where = [_waiting_heads(team_id)]
    if created_before is not None:
        where.append(Request.created_at < created_before)
    if ids is not None:
        where.append(Request.id.in_(list(ids)))
    waiting, oldest = session.execute(
        select(func.count(), func.min(Request.created_at)).where(*where)
    ).one()
    failed = _failed_about_submissions(session, team_id) if with_failures else 0
    return QueueSummary(waiting=waiting or 0, oldest=oldest, failed_deliveries=failed)


def _failed_about_submissions(session: Session, team_id: str) -> int:
    preferences = select(Request.id).where(
        Request.team_id == team_id, Request.kind == RequestKind.ADMIN_ROUTED
    )
    return (
        session.scalar(
            select(func.count()).where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.status == OutboxStatus.FAILED,
                OutboxMessage.request_id.in_(preferences),
            )
        )
        or 0
    )


def routed_matching_in_use(session: Session, team_id: str) -> bool:
    """Whether the program matches through admins now, or ever had a submission."""
    if get_settings(session=session, team_id=team_id).matching_mode is MatchingMode.ADMIN_ROUTED:
        return True
    return (
        session.scalar(
            select(Request.id)
            .where(Request.team_id == team_id, Request.kind == RequestKind.ADMIN_ROUTED)
            .limit(1)
        )
        is not None
    )


def dashboard_queue(*, session: Session, team_id: str) -> QueueSummary | None:
    """The queue as the requests dashboard mentions it; ``None`` when there is nothing to say.

    Shown while the program matches through admins, and whenever submissions still wait (for
    instance after the mode was switched back to self-service).
    """
    summary = queue_summary(session=session, team_id=team_id, with_failures=True)
    if summary.waiting or summary.failed_deliveries or routed_matching_in_use(session, team_id):
        return summary
    return None


def overdue_submissions(*, session: Session, team_id: str, created_before: datetime) -> list[int]:
    """Waiting submissions (rank-1 ids) submitted before ``created_before`` and not escalated."""
    return list(
        session.scalars(
            select(Request.id)
            .where(
                _waiting_heads(team_id),
                Request.escalated_at.is_(None),
                Request.created_at <= created_before,
            )
            .order_by(Request.id)
        )
    )


@dataclass(frozen=True, slots=True)
class SubmissionStats:
    """Admin-routed submissions for the health report, each counted once.

    ``submitted`` and ``by_status`` are about the submissions created in the report's range, in
    the state they are in now (the same cohort view as the request figures). ``time_to_match``
    is ``answered_at - created_at`` over those an admin assigned. ``waiting_now`` is ``now -
    created_at`` over every submission waiting now, whenever it was made.
    """

    submitted: int
    by_status: Mapping[SubmissionStatus, int]  # every status, zeros included
    time_to_match: DurationStats
    waiting_now: DurationStats


def submission_stats(
    *, session: Session, team_id: str, start: datetime, end: datetime, now: datetime
) -> SubmissionStats | None:
    """Figures about submissions created in ``[start, end)``.

    Returns:
        ``None`` when the program neither matches through admins nor ever did, so the health
        report leaves the line out.
    """
    if not routed_matching_in_use(session, team_id):
        return None
    rows = session.scalars(
        select(Request)
        .where(
            Request.team_id == team_id,
            Request.kind == RequestKind.ADMIN_ROUTED,
            # A submission's rows share their creation time: the range keeps them together.
            Request.created_at >= start,
            Request.created_at < end,
        )
        .order_by(Request.mentee_id, Request.id)
    ).all()
    counted = dict.fromkeys(SubmissionStatus, 0)
    matched: list[timedelta] = []
    for run in split_runs(rows):
        status = status_of(run)
        counted[status] += 1
        if status is SubmissionStatus.ASSIGNED:
            assigned = next(r for r in run if r.status is RequestStatus.ACCEPTED)
            if assigned.answered_at is not None:
                matched.append(assigned.answered_at - assigned.created_at)
    waiting = session.scalars(select(Request.created_at).where(_waiting_heads(team_id)))
    return SubmissionStats(
        submitted=sum(counted.values()),
        by_status=MappingProxyType(counted),
        time_to_match=DurationStats.of(matched),
        waiting_now=DurationStats.of(max(now - at, timedelta()) for at in waiting),
    )
