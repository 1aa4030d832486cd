"""The request pipeline as admins see it: requests by status, oldest or newest first, in pages.

A page holds one *kind* of item: mentoring requests, or one-time meeting requests (their own
table, with the same statuses). Both kinds share the filters, the order and the paging; their
rows differ (:class:`PipelineRow`, and :class:`mentoring.reports.meeting_rows.MeetingRow`).

Mentoring requests here are the ones a member answers: mentees' requests and mentors' offers.
An admin-routed submission's preferences are not requests anyone answers (an admin assigns one
from the matching queue), so they are neither listed nor counted; the page says instead how many
submissions wait in the queue, each counted once (:mod:`mentoring.routing.queue`).

Admin operations here (``remind_now``, ``close_request``) and in
:mod:`mentoring.reports.meeting_rows` take an ``Actor`` the bot layer has verified as an admin, and
refuse any other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from mentoring.asks.lifecycle import load_request
from mentoring.core.errors import InvalidInput
from mentoring.core.members import get_members
from mentoring.core.views import MemberView, RequestView
from mentoring.meetings.asking import meetings_enabled
from mentoring.meetings.views import MeetingView
from mentoring.reports.meeting_rows import MeetingRow, meeting_rows
from mentoring.reports.undelivered import Subject, failed_by_item, failed_total
from mentoring.routing.queue import NOT_A_PREFERENCE, QueueSummary, dashboard_queue
from store.enums import OutboxStatus, RequestKind, RequestStatus
from store.models import MeetingRequest, OutboxMessage, Request

MAX_PAGE_SIZE = 50


class PipelineKind(StrEnum):
    """What a dashboard page lists."""

    REQUESTS = "requests"  # mentees' requests and mentors' offers (never preferences)
    MEETINGS = "meetings"  # one-time meeting requests (flash mentoring)


# Where each kind lives, and how its notifications name it.
_TABLES: dict[PipelineKind, type[Request] | type[MeetingRequest]] = {
    PipelineKind.REQUESTS: Request,
    PipelineKind.MEETINGS: MeetingRequest,
}
_SUBJECTS: dict[PipelineKind, Subject] = {
    PipelineKind.REQUESTS: OutboxMessage.request_id,
    PipelineKind.MEETINGS: OutboxMessage.meeting_id,
}
Item = TypeVar("Item", Request, MeetingRequest)


class StatusFilter(StrEnum):
    """The statuses an admin can list together."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CLOSED = "closed"  # closed by an admin
    # Taken back before an answer: withdrawn by the mentee, or cancelled because the mentee
    # found a mentor elsewhere. Neither says anything about the mentor, so they share a filter.
    WITHDRAWN = "withdrawn"
    ALL = "all"

    @property
    def statuses(self) -> tuple[RequestStatus, ...]:
        return _FILTER_STATUSES[self]


_FILTER_STATUSES: dict[StatusFilter, tuple[RequestStatus, ...]] = {
    StatusFilter.PENDING: (RequestStatus.PENDING,),
    StatusFilter.ACCEPTED: (RequestStatus.ACCEPTED,),
    StatusFilter.DECLINED: (RequestStatus.DECLINED,),
    StatusFilter.EXPIRED: (RequestStatus.EXPIRED,),
    StatusFilter.CLOSED: (RequestStatus.CLOSED_BY_ADMIN,),
    StatusFilter.WITHDRAWN: (RequestStatus.WITHDRAWN, RequestStatus.CANCELLED),
    StatusFilter.ALL: tuple(RequestStatus),
}


class AgeOrder(StrEnum):
    OLDEST = "oldest"  # the longest waiting first
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class PipelineRow:
    """One item on the dashboard, with both people and its failed notifications."""

    kind: PipelineKind
    request: RequestView
    mentee: MemberView
    mentor: MemberView
    failed_deliveries: int  # outbox rows about this request that Slack refused for good

    @property
    def answerer(self) -> MemberView:
        return self.mentee if self.request.answerer_id == self.mentee.id else self.mentor

    @property
    def can_remind(self) -> bool:
        """Pending, and someone other than an admin is expected to answer it."""
        return (
            self.request.status is RequestStatus.PENDING
            and self.request.kind is not RequestKind.ADMIN_ROUTED
        )

    @property
    def can_close(self) -> bool:
        """Pending, and not a preference (those are closed whole from the matching queue)."""
        return (
            self.request.status is RequestStatus.PENDING
            and self.request.kind is not RequestKind.ADMIN_ROUTED
        )


@dataclass(frozen=True, slots=True)
class PipelinePage:
    """One page of the pipeline and the counts an admin needs around it.

    Every count is about the page's ``kind``, except ``pending_by_kind``: how many items of
    each kind the dashboard offers are pending (meeting requests are offered while flash
    mentoring is on, or once there are any).
    """

    kind: PipelineKind
    status: StatusFilter
    order: AgeOrder
    page: int  # 1-based, always within 1..pages
    page_size: int
    counts: Mapping[StatusFilter, int]  # every filter, "all" included
    failed_deliveries: int  # failed notifications about any listed item of this kind
    rows: tuple[PipelineRow, ...] | tuple[MeetingRow, ...]
    # Empty: the page offers no other kind to switch to.
    pending_by_kind: Mapping[PipelineKind, int] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # Admin-routed submissions waiting in the matching queue; None when the program has none
    # and does not match through admins.
    queue: QueueSummary | None = None

    @property
    def total(self) -> int:
        return self.counts[self.status]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_index(self) -> int:
        """1-based position of the first row on this page (0 when the page is empty)."""
        return (self.page - 1) * self.page_size + 1 if self.rows else 0


def pipeline_page(
    *,
    session: Session,
    team_id: str,
    status: StatusFilter = StatusFilter.PENDING,
    order: AgeOrder = AgeOrder.OLDEST,
    page: int = 1,
    page_size: int = 20,
    kind: PipelineKind = PipelineKind.REQUESTS,
) -> PipelinePage:
    """The requests (or meeting requests) with ``status``, by age, one page of them.

    A page past the end (the last rows were answered since the admin paged there) shows the
    last page instead, so an admin never lands on an empty page while rows remain.

    Raises:
        InvalidInput: ``page_size`` outside 1..50.
    """
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"A page holds 1 to {MAX_PAGE_SIZE} rows.")
    table = _TABLES[kind]
    counts = _counts(session, team_id, table)
    pages = max(1, math.ceil(counts[status] / page_size))
    page = min(max(1, page), pages)
    rows: tuple[PipelineRow, ...] | tuple[MeetingRow, ...]
    if kind is PipelineKind.MEETINGS:
        meetings = _items(session, MeetingRequest, team_id, status, order, page, page_size)
        rows = meeting_rows(session, team_id, [MeetingView.of(m) for m in meetings])
    else:
        requests = _items(session, Request, team_id, status, order, page, page_size)
        rows = _rows(session, team_id, [RequestView.of(r) for r in requests])
    return PipelinePage(
        kind=kind,
        status=status,
        order=order,
        page=page,
        page_size=page_size,
        counts=counts,
        failed_deliveries=_failed_total(session, team_id, kind),
        rows=rows,
        pending_by_kind=_pending_by_kind(session, team_id, kind, counts[StatusFilter.PENDING]),
        queue=dashboard_queue(session=session, team_id=team_id),
    )


def _items(
    session: Session,
    table: type[Item],
    team_id: str,
    status: StatusFilter,
    order: AgeOrder,
    page: int,
    page_size: int,
) -> Sequence[Item]:
    created = table.created_at.asc() if order is AgeOrder.OLDEST else table.created_at.desc()
    tiebreak = table.id.asc() if order is AgeOrder.OLDEST else table.id.desc()
    return session.scalars(
        select(table)
        .where(table.team_id == team_id, table.status.in_(status.statuses), _listed(table))
        .order_by(created, tiebreak)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()


def _counts(
    session: Session, team_id: str, table: type[Request] | type[MeetingRequest]
) -> Mapping[StatusFilter, int]:
    by_status = dict.fromkeys(RequestStatus, 0)
    for status, count in session.execute(
        select(table.status, func.count())
        .where(table.team_id == team_id, _listed(table))
        .group_by(table.status)
    ):
        by_status[status] = count
    return MappingProxyType({f: sum(by_status[s] for s in f.statuses) for f in StatusFilter})


def _listed(table: type[Request] | type[MeetingRequest]) -> ColumnElement[bool]:
    """Which rows of ``table`` the dashboard lists: never an admin-routed preference."""
    return NOT_A_PREFERENCE if table is Request else true()


def _failed_total(session: Session, team_id: str, kind: PipelineKind) -> int:
    if kind is PipelineKind.MEETINGS:
        return failed_total(session, team_id, OutboxMessage.meeting_id)
    return (
        session.scalar(
            select(func.count()).where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.status == OutboxStatus.FAILED,
                # Only those about rows the dashboard lists, so "flagged below" holds; the
                # queue's line counts the ones about submissions.
                OutboxMessage.request_id.in_(
                    select(Request.id).where(Request.team_id == team_id, NOT_A_PREFERENCE)
                ),
            )
        )
        or 0
    )


def _pending_by_kind(
    session: Session, team_id: str, shown: PipelineKind, shown_pending: int
) -> Mapping[PipelineKind, int]:
    pending = {shown: shown_pending}
    for kind, table in _TABLES.items():
        if kind is not shown:
            pending[kind] = (
                session.scalar(
                    select(func.count()).where(
                        table.team_id == team_id,
                        table.status == RequestStatus.PENDING,
                        _listed(table),
                    )
                )
                or 0
            )
    if shown is not PipelineKind.MEETINGS and not _meetings_offered(session, team_id):
        del pending[PipelineKind.MEETINGS]
    return MappingProxyType({kind: pending[kind] for kind in PipelineKind if kind in pending})


def _meetings_offered(session: Session, team_id: str) -> bool:
    """Whether admins have meeting requests to look at, or may soon."""
    if meetings_enabled(session=session, team_id=team_id):
        return True
    return (
        session.scalar(select(MeetingRequest.id).where(MeetingRequest.team_id == team_id).limit(1))
        is not None
    )


def _rows(session: Session, team_id: str, views: list[RequestView]) -> tuple[PipelineRow, ...]:
    if not views:
        return ()
    failed = failed_by_item(session, team_id, OutboxMessage.request_id, [v.id for v in views])
    people = get_members(
        session=session,
        team_id=team_id,
        ids={v.mentee_id for v in views} | {v.mentor_id for v in views},
    )
    return tuple(
        PipelineRow(
            kind=PipelineKind.REQUESTS,
            request=v,
            mentee=people[v.mentee_id],
            mentor=people[v.mentor_id],
            failed_deliveries=failed.get(v.id, 0),
        )
        for v in views
    )


def pipeline_row(*, session: Session, team_id: str, request_id: int) -> PipelineRow:
    """One request as a dashboard row, whatever its status.

    Raises:
        NotFound: no such request in this workspace.
    """
    request = load_request(session, team_id, request_id)
    return _rows(session, team_id, [RequestView.of(request)])[0]
