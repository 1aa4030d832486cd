"""Messages about a meeting request: the pair's group DM, and what each person is told."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from blocks.kit import context, section
from blocks.profiles import profile_button
from blocks.text import escape, local_words, mention, quote, slack_datetime
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.meetings.rules import TIMES_DONT_WORK
from mentoring.meetings.views import MeetingView


def _when(meeting: MeetingView) -> str:
    assert meeting.meeting_at is not None  # noqa: S101 - only accepted meetings get here
    return slack_datetime(meeting.meeting_at, "UTC")


def meeting_scheduled(
    meeting: MeetingView, mentor: MemberView, mentee: MemberView, words: Words
) -> tuple[str, list[Block]]:
    """The first message about the meeting in the pair's group DM."""
    assert meeting.meeting_at is not None  # noqa: S101
    at = meeting.meeting_at
    text = f"Meeting set: {meeting.topic} ({mentor.display_name} and {mentee.display_name})"
    local = (
        f"{local_words(at, mentor.tz)} for {escape(mentor.display_name)} · "
        f"{local_words(at, mentee.tz)} for {escape(mentee.display_name)}"
    )
    blocks: list[Block] = [
        section(
            f":calendar: {mention(mentor.slack_user_id)} and {mention(mentee.slack_user_id)}, "
            "your one-time meeting is set."
        ),
        section(
            f"*When:* {_when(meeting)} ({meeting.duration_minutes} minutes)\n{local}\n"
            f"*Topic:* {escape(meeting.topic)}"
        ),
        section(f"*What {escape(mentee.display_name)} wrote*\n{quote(meeting.message, 1500)}"),
        context(
            f"The calendar invitation follows: open it to add the meeting to your calendar. "
            f"{mention(mentor.slack_user_id)}, please share a call link here before you meet."
        ),
    ]
    return text, blocks


def invite_comment(meeting: MeetingView) -> str:
    """The line posted with the calendar file (message text: the caller escapes it)."""
    return f"Calendar invitation: {meeting.topic}"


def invite_filename(meeting: MeetingView) -> str:
    return f"meeting-{meeting.id}.ics"


def meeting_accepted(
    meeting: MeetingView, mentor: MemberView, words: Words
) -> tuple[str, list[Block]]:
    """To the mentee: the mentor picked a time."""
    text = f"{mentor.display_name} accepted your meeting request."
    where = (
        f"The details and a calendar invitation are in <#{meeting.conversation_id}>."
        if meeting.conversation_id
        else "The details and a calendar invitation are in your group message."
    )
    return text, [
        section(
            f":tada: *{escape(mentor.display_name)}* accepted your meeting request: "
            f"{_when(meeting)}. {where}"
        )
    ]


def meeting_declined(
    meeting: MeetingView, mentor: MemberView, words: Words
) -> tuple[str, list[Block]]:
    """To the mentee, with the reason and note.

    Declined because none of the times worked, the mentee is invited to propose others (their
    profile has the button); otherwise to ask another mentor.
    """
    text = f"{mentor.display_name} can't meet you this time."
    body = f":wave: *{escape(mentor.display_name)}* can't take your meeting request this time."
    body += f"\n*Topic:* {escape(meeting.topic)}"
    if meeting.decline_reason:
        body += f"\n*Reason:* {escape(meeting.decline_reason)}"
    other_times = meeting.decline_reason == TIMES_DONT_WORK
    accessory = profile_button(mentor.slack_user_id) if other_times else None
    blocks: list[Block] = [section(body, accessory=accessory)]
    if meeting.decline_note:
        blocks.append(section(f"*Their note*\n{quote(meeting.decline_note)}"))
    if other_times:
        blocks.append(
            context(
                f"You're welcome to ask {escape(mentor.display_name)} again with other times, "
                f"or type `/find-mentor` to ask another {words.mentor}."
            )
        )
    else:
        blocks.append(context(f"Type `/find-mentor` to ask another {words.mentor}."))
    return text, blocks


def meeting_expired(
    meeting: MeetingView, mentor: MemberView, words: Words
) -> tuple[str, list[Block]]:
    """To the mentee: every proposed time passed before the mentor answered."""
    text = f"Your meeting request to {mentor.display_name} was closed: every time has passed."
    return text, [
        section(
            f":hourglass: Every time you proposed to *{escape(mentor.display_name)}* has passed "
            f"before they could answer, so we closed your meeting request about "
            f"_{escape(meeting.topic)}_. {words.mentors_title} get busy: you're welcome to ask "
            "again with new times.",
            accessory=profile_button(mentor.slack_user_id),
        )
    ]


def meeting_closed(
    meeting: MeetingView, mentor: MemberView, words: Words
) -> tuple[str, list[Block]]:
    """To the mentee: a program admin closed their meeting request, and why."""
    text = f"A program admin closed your meeting request to {mentor.display_name}."
    body = (
        f":lock: A program admin closed your meeting request to "
        f"*{escape(mentor.display_name)}* about _{escape(meeting.topic)}_."
    )
    if meeting.close_reason:
        body += f"\n*Reason:* {escape(meeting.close_reason)}"
    return text, [
        section(body),
        context(f"Type `/find-mentor` to ask another {words.mentor} for a meeting."),
    ]


def meeting_tomorrow(
    meeting: MeetingView, recipient: MemberView, other: MemberView
) -> tuple[str, list[Block]]:
    """To each person, the day before: when, with whom, about what, and where to talk."""
    assert meeting.meeting_at is not None  # noqa: S101
    text = f"Reminder: your meeting with {other.display_name} is coming up."
    where = f" Your conversation: <#{meeting.conversation_id}>." if meeting.conversation_id else ""
    return text, [
        section(
            f":alarm_clock: Reminder: your meeting with *{escape(other.display_name)}* is "
            f"{slack_datetime(meeting.meeting_at, recipient.tz)} "
            f"({meeting.duration_minutes} minutes).\n*Topic:* {escape(meeting.topic)}.{where}"
        )
    ]
