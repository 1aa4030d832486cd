"""The request pipeline as admins see it: requests by status, oldest or newest first, in pages.

A page holds one *kind* of item. Today the only kind is mentoring requests; one-time meeting
requests (their own table, with the same statuses) can join as another ``PipelineKind`` with
the same filters, order and row shape, so the dashboard does not have to change around them.

Mentoring requests here are the ones a member answers: mentees' requests and mentors' offers.
An admin-routed submission's preferences are not requests anyone answers (an admin assigns one
from the matching queue), so they are neither listed nor counted; the page says instead how many
submissions wait in the queue, each counted once (:mod:`mentoring.queue_stats`).

Admin operations here (``remind_now``, ``close_request``) take an ``Actor`` the bot layer has
verified as an admin, and refuse any other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.errors import InvalidInput, NotAllowed
from mentoring.followups import close_by_admin, remind
from mentoring.members import get_members
from mentoring.queue_stats import NOT_A_PREFERENCE, QueueSummary, dashboard_queue
from mentoring.transitions import Actor, ensure_pending, load_request
from mentoring.views import MemberView, RequestView
from store.enums import OutboxStatus, RequestKind, RequestStatus
from store.models import OutboxMessage, Request

MAX_PAGE_SIZE = 50
PREFERENCE_REFUSAL = (
    "That is one of {a_mentee}'s preferences, which nobody answers themself: assign one or close "
    "them from `/mentor-admin queue`."
)


class PipelineKind(StrEnum):
    """What a dashboard page lists (meeting requests would be a second kind)."""

    REQUESTS = "requests"


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
    """One page of the pipeline and the counts an admin needs around it."""

    kind: PipelineKind
    status: StatusFilter
    order: AgeOrder
    page: int  # 1-based, always within 1..pages
    page_size: int
    counts: Mapping[StatusFilter, int]  # every filter, "all" included
    failed_deliveries: int  # failed notifications about any request of the workspace
    rows: tuple[PipelineRow, ...]
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
    """The requests with ``status``, by age, one page of them.

    A page past the end (the last rows were answered since the admin paged there) shows the
    last page instead, so an admin never lands on an empty page while rows remain.

    Raises:
        InvalidInput: ``page_size`` outside 1..50.
    """
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"A page holds 1 to {MAX_PAGE_SIZE} rows.")
    counts = _counts(session, team_id)
    pages = max(1, math.ceil(counts[status] / page_size))
    page = min(max(1, page), pages)
    created = Request.created_at.asc() if order is AgeOrder.OLDEST else Request.created_at.desc()
    tiebreak = Request.id.asc() if order is AgeOrder.OLDEST else Request.id.desc()
    requests = session.scalars(
        select(Request)
        .where(Request.team_id == team_id, Request.status.in_(status.statuses), NOT_A_PREFERENCE)
        .order_by(created, tiebreak)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    views = [RequestView.of(r) for r in requests]
    return PipelinePage(
        kind=kind,
        status=status,
        order=order,
        page=page,
        page_size=page_size,
        counts=counts,
        failed_deliveries=_failed_total(session, team_id),
        rows=_rows(session, team_id, views),
        queue=dashboard_queue(session=session, team_id=team_id),
    )


def _counts(session: Session, team_id: str) -> Mapping[StatusFilter, int]:
    by_status = dict.fromkeys(RequestStatus, 0)
    for status, count in session.execute(
        select(Request.status, func.count())
        .where(Request.team_id == team_id, NOT_A_PREFERENCE)
        .group_by(Request.status)
    ):
        by_status[status] = count
    return MappingProxyType({f: sum(by_status[s] for s in f.statuses) for f in StatusFilter})


def _failed_total(session: Session, team_id: str) -> int:
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


def _rows(session: Session, team_id: str, views: list[RequestView]) -> tuple[PipelineRow, ...]:
    if not views:
        return ()
    ids = [v.id for v in views]
    failed: dict[int, int] = {
        request_id: count
        for request_id, count in session.execute(
            select(OutboxMessage.request_id, func.count())
            .where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.status == OutboxStatus.FAILED,
                OutboxMessage.request_id.in_(ids),
            )
            .group_by(OutboxMessage.request_id)
        )
        if request_id is not None
    }
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


def pending_row(*, session: Session, team_id: str, request_id: int) -> PipelineRow:
    """A request an admin is about to act on, which must still be pending.

    Raises:
        NotFound: no such request in this workspace.
        AlreadyHandled: it was answered (or closed) meanwhile; the message says how.
        NotAllowed: a preference of an admin-routed submission (decided in the queue).
    """
    request = load_request(session, team_id, request_id)
    if request.kind is RequestKind.ADMIN_ROUTED:
        raise NotAllowed(PREFERENCE_REFUSAL)
    ensure_pending(request)
    return pipeline_row(session=session, team_id=team_id, request_id=request_id)


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed("Only program admins can do that.")


def remind_now(
    *, session: Session, team_id: str, request_id: int, actor: Actor, now: datetime
) -> PipelineRow:
    """An admin's "remind now": queue a reminder to whoever should answer, at once.

    It counts as one of the request's reminders (the sweep's numbering continues after it),
    and the event log names the admin.

    Raises:
        NotAllowed: the actor is not an admin.
        NotFound: no such request in this workspace.
        AlreadyHandled: the request is no longer pending, or was reminded a moment ago.
        InvalidInput: an admin-routed preference, which no member answers.
    """
    _require_admin(actor)
    request = load_request(session, team_id, request_id)
    ensure_pending(request)
    if request.kind is RequestKind.ADMIN_ROUTED:
        raise InvalidInput(PREFERENCE_REFUSAL)
    remind(session=session, team_id=team_id, request_id=request_id, actor=actor.user_id, now=now)
    return pipeline_row(session=session, team_id=team_id, request_id=request_id)


def close_request(
    *,
    session: Session,
    team_id: str,
    request_id: int,
    actor: Actor,
    reason: str,
    now: datetime,
) -> PipelineRow:
    """An admin closes a pending request; the mentee sees ``reason``, the mentor's card updates.

    Raises:
        NotAllowed: the actor is not an admin.
        InvalidInput: no reason, or one too long (``field="reason"``).
        NotFound, AlreadyHandled: as for any transition.
    """
    close_by_admin(
        session=session,
        team_id=team_id,
        request_id=request_id,
        actor=actor,
        reason=reason,
        now=now,
    )
    return pipeline_row(session=session, team_id=team_id, request_id=request_id)
