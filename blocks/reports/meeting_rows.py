"""Meeting requests on the /mentor-admin dashboard: a row each, the close form, the notes."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from blocks.ids import Action
from blocks.ids import View as ViewId
from blocks.kit import actions, button, context, modal, section
from blocks.reports.rows import (
    REMIND_CONFIRM,
    excerpt,
    failed_line,
    outcome_line,
    reason_input,
    waiting_line,
)
from blocks.text import escape, slack_datetime
from mentoring.core.wording import Words
from mentoring.meetings.views import MeetingView
from mentoring.reports.meeting_rows import MeetingRow
from store.enums import RequestStatus

STATUS_WORDS = {
    RequestStatus.PENDING: "Pending",
    RequestStatus.ACCEPTED: "Accepted",
    RequestStatus.DECLINED: "Declined",
    RequestStatus.WITHDRAWN: "Withdrawn",
    RequestStatus.EXPIRED: "Expired (every proposed time passed)",
    RequestStatus.CLOSED_BY_ADMIN: "Closed by an admin",
    RequestStatus.CANCELLED: "Cancelled",
}
# Where Slack cannot show a date in the reader's own timezone, it shows this one.
FALLBACK_TZ = "UTC"


def _times_line(meeting: MeetingView, now: datetime) -> str:
    """The accepted time, or the proposed ones (those already past marked while it waits)."""
    if meeting.status is RequestStatus.ACCEPTED and meeting.meeting_at is not None:
        return f"*Meeting:* {slack_datetime(meeting.meeting_at, FALLBACK_TZ)}"
    pending = meeting.status is RequestStatus.PENDING
    times = [
        slack_datetime(t, FALLBACK_TZ) + (" _(passed)_" if pending and t <= now else "")
        for t in meeting.proposed_times
    ]
    return "*Proposed:* " + " · ".join(times)


def _status_line(meeting: MeetingView, now: datetime) -> str:
    if meeting.status is RequestStatus.PENDING:
        return waiting_line(
            meeting.created_at, meeting.reminder_count, meeting.last_reminded_at, now
        )
    reason = (
        meeting.decline_reason if meeting.status is RequestStatus.DECLINED else meeting.close_reason
    )
    return outcome_line(
        STATUS_WORDS[meeting.status], meeting.created_at, meeting.answered_at, now, reason
    )


def meeting_row_blocks(row: MeetingRow, *, now: datetime) -> list[Block]:
    """One meeting request: who asks whom, about what, when, its wait, and buttons if pending.

    Remind now only while a proposed time is still ahead (there is nothing left to accept
    otherwise, and the sweep closes it soon); Close… while it is pending.
    """
    meeting = row.meeting
    lines = [
        f"*{escape(row.mentee.display_name)}* → *{escape(row.mentor.display_name)}* · "
        f"_one-time meeting, {meeting.duration_minutes} min_",
        f"*Topic:* {escape(meeting.topic)}",
        _times_line(meeting, now),
        _status_line(meeting, now),
        excerpt(meeting.message),
    ]
    if row.failed_deliveries:
        lines.append(failed_line(row.failed_deliveries, "meeting request"))
    blocks: list[Block] = [section("\n".join(lines))]
    buttons = []
    if row.can_remind(now):
        buttons.append(
            button(
                "Remind now", Action.ADMIN_MEETING_REMIND, str(meeting.id), confirm=REMIND_CONFIRM
            )
        )
    if row.can_close:
        buttons.append(
            button("Close…", Action.ADMIN_MEETING_CLOSE, str(meeting.id), style="danger")
        )
    if buttons:
        blocks.append(actions(*buttons))
    return blocks


def meeting_reminded_note(row: MeetingRow) -> str:
    """What Remind now did: the mentor got the request again."""
    return (
        f":bell: Reminded *{escape(row.mentor.display_name)}* about "
        f"{escape(row.mentee.display_name)}'s meeting request "
        f"(reminder {row.meeting.reminder_count})."
    )


def meeting_closed_note(row: MeetingRow, words: Words) -> str:
    return (
        f":lock: Closed the meeting request from *{escape(row.mentee.display_name)}* to "
        f"*{escape(row.mentor.display_name)}*. Both were told; the {words.mentee} sees your "
        "reason."
    )


def meeting_close_modal(row: MeetingRow, *, private_metadata: str, words: Words) -> View:
    """Ask for the reason the mentee will read before closing a pending meeting request.

    ``private_metadata`` carries the dashboard's state and the meeting request's id.
    """
    meeting = row.meeting
    blocks: list[Block] = [
        section(
            f"Close the meeting request from *{escape(row.mentee.display_name)}* to "
            f"*{escape(row.mentor.display_name)}*?\n*Topic:* {escape(meeting.topic)}\n"
            f"{excerpt(meeting.message)}"
        ),
        reason_input(
            f"Reason (the {words.mentee} reads it)",
            f"e.g. This {words.mentor} is away on those days.",
        ),
        context(
            f"Both are told, and the {words.mentor} can no longer accept a time from the "
            f"request's card. The {words.mentee} can ask for another meeting straight away."
        ),
    ]
    return modal(
        "Close meeting request",
        ViewId.ADMIN_CLOSE_MEETING,
        blocks,
        submit="Close request",
        close="Cancel",
        private_metadata=private_metadata,
    )
