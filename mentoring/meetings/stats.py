"""Figures about meeting requests for admins: how many, in which state, how long they wait.

Like the health report (:mod:`mentoring.reports.health`), the figures are about the meeting requests
*created* in ``[start, end)``, in the state they are in now, and rates are shares of those with
an outcome the mentor had a full chance at: accepted, declined, expired (every proposed time
passed) or closed by an admin. Pending ones have no outcome yet, and withdrawn ones were taken
back by the mentee.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.errors import InvalidInput
from mentoring.core.figures import MAX_RANGE, DurationStats
from store.enums import RequestStatus
from store.models import MeetingRequest

# The outcomes rates are shares of (see the module docstring).
DECIDED = (
    RequestStatus.ACCEPTED,
    RequestStatus.DECLINED,
    RequestStatus.EXPIRED,
    RequestStatus.CLOSED_BY_ADMIN,
)


@dataclass(frozen=True, slots=True)
class MeetingStats:
    """Meeting requests created in ``[start, end)``.

    Attributes:
        by_status: how many are in each state now (every state listed, zeros included).
        time_to_answer: created -> accepted or declined, over those the mentor answered.
        time_pending: created -> left "pending" whatever the outcome, over those that left it.
        waiting: how long those still pending have waited so far (at ``now``).
        decided: how many have an outcome (accepted, declined, expired, closed by an admin).
        acceptance_rate, decline_rate, expiry_rate: accepted, declined and expired as a
            fraction of ``decided`` (``None`` when none is decided).
    """

    start: datetime
    end: datetime
    total: int
    by_status: Mapping[RequestStatus, int]
    time_to_answer: DurationStats
    time_pending: DurationStats
    waiting: DurationStats
    decided: int
    acceptance_rate: float | None
    decline_rate: float | None
    expiry_rate: float | None


def meeting_stats(
    *, session: Session, team_id: str, start: datetime, end: datetime, now: datetime
) -> MeetingStats:
    """Counts by status and time pending of the meeting requests created in a period.

    Raises:
        InvalidInput: naive datetimes, an empty range, or one longer than two years.
    """
    if start.utcoffset() is None or end.utcoffset() is None or now.utcoffset() is None:
        raise InvalidInput("The period's start and end need a timezone.", field="start")
    if start >= end:
        raise InvalidInput("The period's start must be before its end.", field="end")
    if end - start > MAX_RANGE:
        raise InvalidInput("A period covers two years at most: pick a shorter one.", field="end")
    rows = session.execute(
        select(MeetingRequest.status, MeetingRequest.created_at, MeetingRequest.answered_at).where(
            MeetingRequest.team_id == team_id,
            MeetingRequest.created_at >= start,
            MeetingRequest.created_at < end,
        )
    ).all()
    counts = dict.fromkeys(RequestStatus, 0)
    answered: list[timedelta] = []
    left: list[timedelta] = []
    waiting: list[timedelta] = []
    for status, created_at, answered_at in rows:
        counts[status] += 1
        if status is RequestStatus.PENDING:
            waiting.append(max(now - created_at, timedelta(0)))
        elif answered_at is not None:
            left.append(answered_at - created_at)
            if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
                answered.append(answered_at - created_at)
    decided = sum(counts[s] for s in DECIDED)

    def share(status: RequestStatus) -> float | None:
        return counts[status] / decided if decided else None

    return MeetingStats(
        start=start,
        end=end,
        total=len(rows),
        by_status=MappingProxyType(counts),
        time_to_answer=DurationStats.of(answered),
        time_pending=DurationStats.of(left),
        waiting=DurationStats.of(waiting),
        decided=decided,
        acceptance_rate=share(RequestStatus.ACCEPTED),
        decline_rate=share(RequestStatus.DECLINED),
        expiry_rate=share(RequestStatus.EXPIRED),
    )
