"""The /mentor-admin dashboard modal: requests by status and age, Remind now and Close per row.

A select at the top switches between mentoring requests and one-time meeting requests (whose
rows and close form are in :mod:`blocks.reports.meeting_rows`) when the program has any.
"""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from slack_sdk.models.blocks import ActionsBlock, Block, StaticSelectElement
from slack_sdk.models.views import View

from blocks.ids import Action
from blocks.ids import View as ViewId
from blocks.kit import actions, button, context, divider, modal, option, section
from blocks.reports.meeting_rows import meeting_row_blocks
from blocks.reports.rows import (
    REMIND_CONFIRM,
    excerpt,
    failed_line,
    outcome_line,
    reason_input,
    waiting_line,
)
from blocks.routing.queue import dashboard_queue_section
from blocks.text import escape, plural
from mentoring.core.wording import Words
from mentoring.reports.dashboard import (
    AgeOrder,
    PipelineKind,
    PipelinePage,
    PipelineRow,
    StatusFilter,
)
from store.enums import RequestKind, RequestStatus

TITLE = "Mentoring program"
KIND_LABELS = {
    PipelineKind.REQUESTS: "Mentoring requests",
    PipelineKind.MEETINGS: "Meeting requests",
}
# What one item of each kind is called in the dashboard's sentences.
NOUNS = {PipelineKind.REQUESTS: "request", PipelineKind.MEETINGS: "meeting request"}

FILTER_LABELS = {
    StatusFilter.PENDING: "Pending",
    StatusFilter.ACCEPTED: "Accepted",
    StatusFilter.DECLINED: "Declined",
    StatusFilter.EXPIRED: "Expired",
    StatusFilter.CLOSED: "Closed by an admin",
    StatusFilter.WITHDRAWN: "Withdrawn or cancelled",
    StatusFilter.ALL: "All",
}
ORDER_LABELS = {AgeOrder.OLDEST: "Oldest first", AgeOrder.NEWEST: "Newest first"}
STATUS_WORDS = {
    RequestStatus.PENDING: "Pending",
    RequestStatus.ACCEPTED: "Accepted",
    RequestStatus.DECLINED: "Declined",
    RequestStatus.WITHDRAWN: "Withdrawn",
    RequestStatus.EXPIRED: "Expired",
    RequestStatus.CLOSED_BY_ADMIN: "Closed by an admin",
    RequestStatus.CANCELLED: "Cancelled",
}


class DashboardState(BaseModel):
    """What the dashboard shows (kept in the modal's private_metadata between clicks)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: PipelineKind = PipelineKind.REQUESTS
    status: StatusFilter = StatusFilter.PENDING
    order: AgeOrder = AgeOrder.OLDEST
    page: int = Field(default=1, ge=1, le=1_000_000)

    def metadata(self, **extra: int | str) -> str:
        return json.dumps({**self.model_dump(mode="json"), **extra})

    @classmethod
    def from_metadata(cls, raw: str | None) -> DashboardState:
        """The state a modal was drawn with; the defaults when it holds nothing usable."""
        try:
            data = json.loads(raw or "{}")
            return cls.model_validate(data if isinstance(data, dict) else {})
        except (ValueError, ValidationError):
            return cls()


def dashboard_modal(
    page: PipelinePage, *, now: datetime, words: Words, note: str | None = None
) -> View:
    """The kind and counts, the filter and order, one page of requests, and paging.

    A page holds at most 20 rows of two blocks each, so the modal stays far below Slack's 100
    blocks whatever the number of requests. ``note`` (mrkdwn, already escaped) says what the
    admin's last click did.
    """
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    blocks.append(section(counts_line(page)))
    if page.queue is not None:
        blocks.append(dashboard_queue_section(page.queue, now=now))
    blocks.append(_controls(page))
    blocks.append(divider())
    label = FILTER_LABELS[page.status].lower()
    noun = NOUNS[page.kind]
    if not page.rows:
        empty = f"No {noun}s yet." if page.status is StatusFilter.ALL else f"No {label} {noun}s."
        blocks.append(section(empty))
    else:
        last = page.first_index + len(page.rows) - 1
        which = "" if page.status is StatusFilter.ALL else f" {label}"
        blocks.append(
            context(
                f"Showing {page.first_index}-{last} of {page.total}{which} "
                f"{noun if page.total == 1 else noun + 's'}, "
                f"{ORDER_LABELS[page.order].lower()} · page {page.page} of {page.pages}"
            )
        )
        for row in page.rows:
            if isinstance(row, PipelineRow):
                blocks.extend(row_blocks(row, now=now, words=words))
            else:
                blocks.extend(meeting_row_blocks(row, now=now))
    pager = []
    if page.page > 1:
        pager.append(button("← Previous", Action.ADMIN_PAGE_BACK, str(page.page - 1)))
    if page.page < page.pages:
        pager.append(button("Next →", Action.ADMIN_PAGE_NEXT, str(page.page + 1)))
    if pager:
        blocks.append(actions(*pager))
    state = DashboardState(kind=page.kind, status=page.status, order=page.order, page=page.page)
    return modal(
        TITLE, ViewId.ADMIN_DASHBOARD, blocks, close="Done", private_metadata=state.metadata()
    )


def counts_line(page: PipelinePage) -> str:
    """How many requests (of the page's kind) are in each state, and how many notifications
    about them failed."""
    parts = [
        f"*{page.counts[f]}* {FILTER_LABELS[f].lower()}"
        for f in StatusFilter
        if f is not StatusFilter.ALL
    ]
    line = " · ".join(parts)
    if page.failed_deliveries:
        line += (
            f"\n:warning: {plural(page.failed_deliveries, 'notification')} about "
            f"{NOUNS[page.kind]}s could not be delivered (flagged below)."
        )
    return line


def _kind_select(page: PipelinePage) -> StaticSelectElement | None:
    """Mentoring or meeting requests, each with how many are pending (only when both exist)."""
    if len(page.pending_by_kind) < 2:
        return None
    kinds = [
        option(f"{KIND_LABELS[k]} ({pending} pending)", k.value)
        for k, pending in page.pending_by_kind.items()
    ]
    return StaticSelectElement(
        action_id=Action.ADMIN_KIND,
        placeholder="Show",
        options=kinds,
        initial_option=next(o for o in kinds if o.value == page.kind.value),
    )


def _controls(page: PipelinePage) -> Block:
    filters = [option(f"{FILTER_LABELS[f]} ({page.counts[f]})", f.value) for f in StatusFilter]
    orders = [option(ORDER_LABELS[o], o.value) for o in AgeOrder]
    kind = _kind_select(page)
    return ActionsBlock(
        elements=[
            *([kind] if kind else []),
            StaticSelectElement(
                action_id=Action.ADMIN_STATUS,
                placeholder="Status",
                options=filters,
                initial_option=filters[list(StatusFilter).index(page.status)],
            ),
            StaticSelectElement(
                action_id=Action.ADMIN_ORDER,
                placeholder="Order",
                options=orders,
                initial_option=orders[list(AgeOrder).index(page.order)],
            ),
        ]
    )


def _kind_tag(row: PipelineRow, words: Words) -> str:
    if row.request.kind is RequestKind.MENTOR_OFFER:
        return f" · _offer from the {words.mentor}_"
    if row.request.kind is RequestKind.ADMIN_ROUTED:
        return " · _preference for an admin to assign_"
    return ""


def _status_line(row: PipelineRow, now: datetime) -> str:
    req = row.request
    if req.status is RequestStatus.PENDING:
        return waiting_line(req.created_at, req.reminder_count, req.last_reminded_at, now)
    reason = req.decline_reason if req.status is RequestStatus.DECLINED else req.close_reason
    return outcome_line(STATUS_WORDS[req.status], req.created_at, req.answered_at, now, reason)


def _is_offer(row: PipelineRow) -> bool:
    return row.request.kind is RequestKind.MENTOR_OFFER


def _sender_to_receiver(row: PipelineRow) -> tuple[str, str]:
    """Who sent it and to whom, escaped: a mentor's offer goes from the mentor to the mentee."""
    mentee, mentor = escape(row.mentee.display_name), escape(row.mentor.display_name)
    return (mentor, mentee) if _is_offer(row) else (mentee, mentor)


def row_blocks(row: PipelineRow, *, now: datetime, words: Words) -> list[Block]:
    """One request: who to whom, its age and reminders, an excerpt, and its buttons if pending."""
    sender, receiver = _sender_to_receiver(row)
    lines = [
        f"*{sender}* → *{receiver}*" + _kind_tag(row, words),
        _status_line(row, now),
        excerpt(row.request.message),
    ]
    if row.failed_deliveries:
        lines.append(failed_line(row.failed_deliveries, "request"))
    blocks: list[Block] = [section("\n".join(lines))]
    buttons = []
    if row.can_remind:
        buttons.append(
            button("Remind now", Action.ADMIN_REMIND, str(row.request.id), confirm=REMIND_CONFIRM)
        )
    if row.can_close:
        buttons.append(button("Close…", Action.ADMIN_CLOSE, str(row.request.id), style="danger"))
    if buttons:
        blocks.append(actions(*buttons))
    return blocks


def reminded_note(row: PipelineRow) -> str:
    """What Remind now did, naming who was reminded about whose request or offer."""
    if row.request.kind is RequestKind.MENTOR_OFFER:
        about = f"{escape(row.mentor.display_name)}'s offer"
    else:
        about = f"{escape(row.mentee.display_name)}'s request"
    return (
        f":bell: Reminded *{escape(row.answerer.display_name)}* about {about} "
        f"(reminder {row.request.reminder_count})."
    )


def closed_note(row: PipelineRow, words: Words) -> str:
    sender, receiver = _sender_to_receiver(row)
    if _is_offer(row):
        return (
            f":lock: Closed the offer from *{sender}* to *{receiver}*. Both were told, with "
            "your reason."
        )
    return (
        f":lock: Closed the request from *{sender}* to *{receiver}*. Both were told; the "
        f"{words.mentee} sees your reason."
    )


def stale_note(message: str) -> str:
    """Someone got there first: say what happened; the list below is drawn afresh."""
    return f":information_source: {escape(message)} The list below is up to date."


def close_modal(row: PipelineRow, *, state: DashboardState, words: Words) -> View:
    """Ask for the reason before closing a pending request or offer (who reads it, by kind)."""
    sender, receiver = _sender_to_receiver(row)
    noun = "offer" if _is_offer(row) else "request"
    if _is_offer(row):
        label = f"Reason (the {words.mentor} and the {words.mentee} read it)"
        example = f"e.g. This {words.mentee} found {words.a_mentor} outside the program."
        after = (
            f"Both are told, and the offer's buttons disappear from the {words.mentee}'s card. "
            f"The slot the {words.mentor} promised is free again."
        )
    else:
        label = f"Reason (the {words.mentee} reads it)"
        example = f"e.g. This {words.mentor} is on leave until June."
        after = (
            "Both are told, and the request's buttons disappear from its card. "
            f"The {words.mentee} can ask someone else straight away."
        )
    blocks: list[Block] = [
        section(
            f"Close the {noun} from *{sender}* to *{receiver}*?\n{excerpt(row.request.message)}"
        ),
        reason_input(label, example),
        context(after),
    ]
    return modal(
        f"Close {noun}",
        ViewId.ADMIN_CLOSE,
        blocks,
        submit=f"Close {noun}",
        close="Cancel",
        private_metadata=state.metadata(request=row.request.id),
    )


def notice_modal(text: str, title: str = TITLE) -> View:
    """A one-message modal (``text`` is mrkdwn, already escaped)."""
    return modal(title, ViewId.ADMIN_NOTICE, [section(text)], close="OK")
