"""Flash mentoring surfaces: the meeting request form, the mentor's card, the decline form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from blocks.asks import decline
from blocks.directory import dm_link
from blocks.ids import SLOT_FIELDS, Action, Field
from blocks.ids import View as ViewId
from blocks.kit import (
    actions,
    button,
    context,
    header,
    message_input,
    modal,
    option,
    section,
    sent_modal,
)
from blocks.profiles import profile_button
from blocks.requests.cards import profile_summary
from blocks.text import age, escape, mention, quote, slack_datetime
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.meetings.rules import DEFAULT_DURATION, DURATIONS, MAX_TOPIC_LENGTH
from mentoring.meetings.views import MeetingView
from store.enums import RequestStatus

STATUS_LINES = {
    RequestStatus.PENDING: ":hourglass_flowing_sand: waiting for an answer",
    RequestStatus.ACCEPTED: ":white_check_mark: Accepted",
    RequestStatus.DECLINED: ":no_entry_sign: Declined",
    RequestStatus.WITHDRAWN: ":leftwards_arrow_with_hook: Withdrawn by the sender",
    RequestStatus.EXPIRED: ":hourglass: Closed: every proposed time has passed",
    RequestStatus.CLOSED_BY_ADMIN: ":lock: Closed by a program admin",
    RequestStatus.CANCELLED: ":lock: Cancelled",
}


def _duration_option(minutes: int) -> Option:
    return option(f"{minutes} minutes", str(minutes))


def meeting_modal(
    *, mentor: MemberView, tz: str, min_length: int, max_length: int, words: Words
) -> View:
    """Ask a mentor for a one-time meeting: topic, message, length, up to three times.

    The pickers are in the mentee's own timezone (``tz``, from their Slack profile).
    """
    blocks: list[Block] = [
        section(
            f"You're asking *{escape(mentor.display_name)}* for a one-time meeting. It doesn't "
            f"make them your {words.mentor}: it's a single conversation about one topic."
        ),
        InputBlock(
            block_id=Field.TOPIC,
            label="Topic",
            element=PlainTextInputElement(
                action_id=Field.TOPIC,
                max_length=MAX_TOPIC_LENGTH,
                placeholder="e.g. Preparing for my first promotion review",
            ),
        ),
        message_input(
            "What you'd like to get out of it.",
            "Hi! I'd love 30 minutes of your advice on…",
            min_length=min_length,
            max_length=max_length,
        ),
        InputBlock(
            block_id=Field.DURATION,
            label="Length",
            element=StaticSelectElement(
                action_id=Field.DURATION,
                options=[_duration_option(m) for m in DURATIONS],
                initial_option=_duration_option(DEFAULT_DURATION),
            ),
        ),
        context(
            f"Propose up to three times, in *your* timezone ({escape(tz)}). "
            f"{escape(mentor.display_name)} sees them in theirs and picks one."
        ),
    ]
    for number, (day_field, time_field) in enumerate(SLOT_FIELDS, start=1):
        optional = number > 1
        blocks += [
            InputBlock(
                block_id=day_field,
                label=f"Time {number}: date",
                optional=optional,
                element=DatePickerElement(action_id=day_field, placeholder="Pick a date"),
            ),
            InputBlock(
                block_id=time_field,
                label=f"Time {number}: time",
                optional=optional,
                element=TimePickerElement(
                    action_id=time_field, placeholder="Pick a time", timezone=tz
                ),
            ),
        ]
    return modal(
        "Request a meeting",
        ViewId.MEETING,
        blocks,
        submit="Send request",
        private_metadata=json.dumps({"mentor": mentor.slack_user_id}),
    )


def meeting_sent_modal(*, mentor: MemberView, words: Words) -> View:
    """Shown in place of the form once the meeting request is saved."""
    return sent_modal(
        "Request sent",
        ViewId.MEETING,
        f"Your meeting request is on its way to *{escape(mentor.display_name)}*. When they "
        "pick a time, you'll both get a group message with the details and a calendar "
        "invitation.",
        f"You can withdraw it from the app's Home tab while it waits for the {words.mentor}.",
    )


def proposed_time_line(number: int, moment: datetime, tz: str) -> str:
    """ "*Option 2:* <date>" in the reader's own timezone (fallback: ``tz``)."""
    return f"*Option {number}:* {slack_datetime(moment, tz)}"


def meeting_card(
    meeting: MeetingView,
    *,
    mentee: MemberView,
    mentor: MemberView,
    team_id: str,
    now: datetime,
    words: Words,
    reminder: bool = False,
) -> list[Block]:
    """The mentor's message about a meeting request: a button per proposed time while pending."""
    title = (
        f"Reminder: {mentee.display_name} is waiting for your answer"
        if reminder
        else f"{mentee.display_name} would like a one-time meeting with you"
    )
    blocks: list[Block] = [
        header(title),
        section(profile_summary(mentee, words), accessory=profile_button(mentee.slack_user_id)),
        section(f"*Topic:* {escape(meeting.topic)}\n*Length:* {meeting.duration_minutes} minutes"),
        section(f"*Their message*\n{quote(meeting.message)}"),
    ]
    if meeting.status is RequestStatus.PENDING:
        blocks.append(context("Proposed times, in your timezone. Pick one to accept it:"))
        for index, moment in enumerate(meeting.proposed_times):
            line = proposed_time_line(index + 1, moment, mentor.tz)
            if moment > now:
                accept = button(
                    "Accept this time",
                    Action.MEETING_ACCEPT,
                    f"{meeting.id}:{index}",
                    style="primary",
                )
                blocks.append(section(line, accessory=accept))
            else:
                blocks.append(context(f"{line} (passed)"))
        blocks.append(
            context(f"Sent {age(meeting.created_at, now)} ago · {mention(mentee.slack_user_id)}")
        )
        blocks.append(
            actions(
                button("Decline", Action.MEETING_DECLINE, str(meeting.id)),
                button(
                    "Message",
                    Action.MESSAGE_MENTOR,
                    mentee.slack_user_id,
                    url=dm_link(team_id, mentee.slack_user_id),
                ),
            )
        )
        return blocks
    line = STATUS_LINES[meeting.status]
    if meeting.status is RequestStatus.ACCEPTED and meeting.meeting_at is not None:
        line += f": {slack_datetime(meeting.meeting_at, mentor.tz)}"
        if meeting.conversation_id:
            line += f" · <#{meeting.conversation_id}>"
    if meeting.status is RequestStatus.DECLINED and meeting.decline_reason:
        line += f": {escape(meeting.decline_reason)}"
    if meeting.status is RequestStatus.CLOSED_BY_ADMIN and meeting.close_reason:
        line += f": {escape(meeting.close_reason)}"
    if meeting.status is RequestStatus.CANCELLED and meeting.close_reason:
        line += f": {escape(meeting.close_reason)}"  # someone left Slack
    blocks.append(context(line))
    return blocks


def meeting_decline_modal(
    *, meeting_id: int, mentee: MemberView, reasons: Sequence[str], words: Words
) -> View:
    """Decline a meeting request with one of the meeting decline reasons and a note."""
    return decline.decline_modal(
        "Decline meeting",
        ViewId.MEETING_DECLINE,
        f"Declining *{escape(mentee.display_name)}*'s meeting request. They and the program "
        "admins will see the reason and your note.",
        reasons=reasons,
        note_placeholder=f"A kind word, or another {words.mentor} to ask",
        private_metadata=json.dumps({"meeting": meeting_id}),
    )


def meeting_done_modal(title: str, text: str) -> View:
    """A confirmation that replaces a submitted meeting form."""
    return modal(title, ViewId.MEETING_DECLINE, [section(text)], close="Close")
