"""Program health metrics for admins: how requests flow, who is slow, who is stuck.

What each figure is about (one workspace, always):

* Request figures cover the requests *created* in ``[start, end)``, in the state they are in
  now: a request created in the range and accepted after ``end`` counts as accepted. A cohort
  view like this keeps every rate's numerator and denominator about the same requests.
* The weekly trend counts *events* (created, accepted, declined, expired) by the UTC ISO week in
  which they happened, within ``[start, end)``, so past weeks never change as requests move on.
* Member lists (mentors at capacity, mentees without a request or a mentor) and the requests
  pending now (``pending_now``, however old) are the state now, whatever the range.

Durations are ``timedelta`` throughout; statistics over no data are ``None``, never zero.

"Requests" are the ones a member answers: mentees' requests (the mentor answers) and mentors'
offers (the mentee answers). The preferences of an admin-routed submission are left out of every
figure here: nobody asked those mentors anything, and one submission ranks up to three of them.
Submissions have figures of their own, each counted once (:mod:`mentoring.routing.queue`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from mentoring.core.errors import InvalidInput
from mentoring.core.figures import MAX_RANGE, DurationStats
from mentoring.program.workspaces import get_workspace
from mentoring.reports.people import (
    MenteeRow,
    MentorLoad,
    MentorResponse,
    Timing,
    mentees_without_mentor,
    mentor_response,
    mentors_at_capacity,
)
from store.enums import RequestKind, RequestStatus
from store.models import Member, Request

# The periods an admin picks from in Slack: the last week, month, quarter and year.
PERIOD_DAYS = (7, 30, 90, 365)

_ANSWERED = (RequestStatus.ACCEPTED, RequestStatus.DECLINED)
# Outcomes where the answerer had their full chance to answer. Withdrawn and cancelled requests
# were taken back by the mentee, so they say nothing about how mentors respond.
_DECIDED = (*_ANSWERED, RequestStatus.EXPIRED, RequestStatus.CLOSED_BY_ADMIN)
# Preferences of admin-routed submissions are no member's to answer (see the module docstring).
_NOT_A_PREFERENCE = Request.kind != RequestKind.ADMIN_ROUTED


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """How many declined requests gave this reason (``None``: no reason given)."""

    reason: str | None
    count: int


@dataclass(frozen=True, slots=True)
class WeekTrend:
    """Events in one UTC ISO week (only the part of the week inside the report's range)."""

    iso_year: int
    iso_week: int
    week_start: date  # the Monday
    created: int
    accepted: int
    declined: int
    expired: int


@dataclass(frozen=True, slots=True)
class HealthReport:
    """The program's health for one workspace; see the module docstring for what each covers.

    Rates are fractions in [0, 1] over the *decided* requests created in the range (accepted,
    declined, expired or closed by an admin), ``None`` when there are none:

    * ``acceptance_rate`` = accepted / decided
    * ``decline_rate`` = declined / decided
    * ``expiry_rate`` = expired / decided

    Pending requests have no outcome yet, and withdrawn or cancelled ones were taken back by the
    mentee, so neither says anything about how requests are answered. Requests closed by an admin
    stay in the denominator: they did not get a mentor, which is what the rates are about. The
    three rates plus the closed-by-admin share add up to 1.
    """

    team_id: str
    start: datetime
    end: datetime
    now: datetime
    total_requests: int
    by_status: Mapping[RequestStatus, int]  # every status, zeros included
    acceptance_rate: float | None
    decline_rate: float | None
    expiry_rate: float | None
    # answered_at - created_at for requests accepted or declined, whoever answered (the mentor,
    # or the mentee for a mentor offer). Expired requests are left out: their waiting time is
    # the auto-close setting, not anyone's answer.
    answer_time: DurationStats
    # now - created_at for requests created in the range and still pending.
    waiting_time: DurationStats
    # now - created_at for every request pending now, whenever it was created: the backlog a
    # short range would otherwise hide.
    pending_now: DurationStats
    decline_reasons: tuple[ReasonCount, ...]  # most frequent first, then by reason
    mentor_response: tuple[MentorResponse, ...]  # slowest first
    mentors_at_capacity: tuple[MentorLoad, ...]  # by name
    mentees_without_request: tuple[MenteeRow, ...]  # longest enrolled first
    mentees_without_mentor: tuple[MenteeRow, ...]  # longest enrolled first
    weekly: tuple[WeekTrend, ...]  # every week overlapping the range, in order


def program_health(
    *, session: Session, team_id: str, start: datetime, end: datetime, now: datetime
) -> HealthReport:
    """Compute the program's health metrics for the requests created in ``[start, end)``.

    Args:
        session: an open (read) session.
        team_id: the workspace.
        start: first instant of the range (inclusive), timezone-aware.
        end: end of the range (exclusive), timezone-aware, at most two years after ``start``.
        now: the time of the report, timezone-aware; waiting times are measured up to it.

    Returns:
        A frozen HealthReport; see its docstring for the definition of every figure.

    Raises:
        InvalidInput: a naive datetime, ``start`` not before ``end``, or a range over two years.
        NotFound: the workspace is not set up.
    """
    _validate(start, end, now)
    get_workspace(session, team_id)
    in_range = (
        Request.team_id == team_id,
        Request.created_at >= start,
        Request.created_at < end,
        _NOT_A_PREFERENCE,
    )

    counted = dict.fromkeys(RequestStatus, 0)
    for status, count in session.execute(
        select(Request.status, func.count()).where(*in_range).group_by(Request.status)
    ):
        counted[status] = count
    decided = sum(counted[s] for s in _DECIDED)

    timings = _timings(session, in_range)
    answer_time = DurationStats.of(
        r.answered_at - r.created_at
        for r in timings
        # answered_at is always set on leaving pending; skip a row that breaks that, rather
        # than fail the whole report over it.
        if r.status in _ANSWERED and r.answered_at is not None
    )
    waiting_time = DurationStats.of(
        # A `now` earlier than a request's creation (a report "as of" the past) would give a
        # negative wait; that request has not waited at all yet.
        max(now - r.created_at, timedelta())
        for r in timings
        if r.status == RequestStatus.PENDING
    )

    return HealthReport(
        team_id=team_id,
        start=start,
        end=end,
        now=now,
        total_requests=sum(counted.values()),
        by_status=MappingProxyType(counted),
        acceptance_rate=_rate(counted[RequestStatus.ACCEPTED], decided),
        decline_rate=_rate(counted[RequestStatus.DECLINED], decided),
        expiry_rate=_rate(counted[RequestStatus.EXPIRED], decided),
        answer_time=answer_time,
        waiting_time=waiting_time,
        pending_now=_pending_now(session, team_id, now),
        decline_reasons=_decline_reasons(session, in_range),
        mentor_response=mentor_response(timings),
        mentors_at_capacity=mentors_at_capacity(session, team_id),
        mentees_without_request=mentees_without_mentor(session, team_id, never_asked=True),
        mentees_without_mentor=mentees_without_mentor(session, team_id, never_asked=False),
        weekly=_weekly(session, team_id, start, end),
    )


def trailing_period(now: datetime, days: int) -> tuple[datetime, datetime]:
    """The range of "the last ``days`` days" up to and including ``now``.

    ``end`` is a microsecond after ``now`` because ranges exclude their end: a request created
    at this very instant belongs to the last seven days.

    Raises:
        InvalidInput: ``days`` is not one of PERIOD_DAYS.
    """
    if days not in PERIOD_DAYS:
        choices = ", ".join(str(d) for d in PERIOD_DAYS)
        raise InvalidInput(f"Pick a period of {choices} days.", field="period")
    end = now + timedelta(microseconds=1)
    return end - timedelta(days=days), end


def _validate(start: datetime, end: datetime, now: datetime) -> None:
    if start.utcoffset() is None or end.utcoffset() is None:
        raise InvalidInput("The report's start and end dates need a timezone.", field="start")
    if now.utcoffset() is None:
        raise InvalidInput("The time of the report needs a timezone.")
    if start >= end:
        raise InvalidInput("The report's start must be before its end.", field="end")
    if end - start > MAX_RANGE:
        raise InvalidInput("A report covers two years at most: pick a shorter range.", field="end")


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _timings(session: Session, in_range: tuple[ColumnElement[bool], ...]) -> list[Timing]:
    # Durations are computed in Python: timestamp arithmetic differs between SQLite (naive UTC
    # text) and PostgreSQL (timestamptz), and medians need every value anyway.
    rows = session.execute(
        select(
            Request.mentor_id,
            Member.slack_user_id,
            Member.display_name,
            Request.kind,
            Request.status,
            Request.created_at,
            Request.answered_at,
        )
        .join(Member, Member.id == Request.mentor_id)
        .where(*in_range, Request.status.in_((*_ANSWERED, RequestStatus.PENDING)))
    )
    return [Timing(*row) for row in rows]


def _pending_now(session: Session, team_id: str, now: datetime) -> DurationStats:
    created = session.scalars(
        select(Request.created_at).where(
            Request.team_id == team_id, Request.status == RequestStatus.PENDING, _NOT_A_PREFERENCE
        )
    )
    return DurationStats.of(max(now - at, timedelta()) for at in created)


def _decline_reasons(
    session: Session, in_range: tuple[ColumnElement[bool], ...]
) -> tuple[ReasonCount, ...]:
    rows = session.execute(
        select(Request.decline_reason, func.count())
        .where(*in_range, Request.status == RequestStatus.DECLINED)
        .group_by(Request.decline_reason)
    )
    counts = [ReasonCount(reason=reason, count=count) for reason, count in rows]
    # "No reason given" sorts after the named reasons of the same count.
    return tuple(sorted(counts, key=lambda c: (-c.count, c.reason is None, c.reason or "")))


def _weekly(
    session: Session, team_id: str, start: datetime, end: datetime
) -> tuple[WeekTrend, ...]:
    start_day = start.astimezone(UTC).date()
    first_monday = start_day - timedelta(days=start_day.weekday())
    mondays: list[date] = []
    monday = first_monday
    while datetime.combine(monday, time(), UTC) < end:
        mondays.append(monday)
        monday += timedelta(days=7)

    stamps = (Request.created_at, Request.accepted_at, Request.declined_at, Request.expired_at)
    rows = session.execute(
        select(*stamps).where(
            Request.team_id == team_id,
            _NOT_A_PREFERENCE,
            # Every event happens after creation, so nothing created after `end` can count.
            Request.created_at < end,
            or_(*(and_(stamp >= start, stamp < end) for stamp in stamps)),
        )
    )
    counts = [[0, 0, 0, 0] for _ in mondays]
    for row in rows:
        for column, at in enumerate(row):
            if at is not None and start <= at < end:
                counts[(at.astimezone(UTC).date() - first_monday).days // 7][column] += 1

    return tuple(
        WeekTrend(monday.isocalendar().year, monday.isocalendar().week, monday, *week)
        for monday, week in zip(mondays, counts, strict=True)
    )
