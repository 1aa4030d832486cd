"""Outbox rows about meeting requests (``meeting_id`` set), rendered from the state at send time.

The mentor's card about a meeting request is posted once (and again with a reminder); every
later change updates the last posted copy in place (chat.update), as for mentoring requests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from blocks.meetings import notices
from blocks.meetings.forms import meeting_card
from blocks.requests.notices import simple_notice
from blocks.serialize import as_dicts
from mentoring.asks.cards import Role, has_messages
from mentoring.core.audit import Notice
from mentoring.core.errors import DomainError
from mentoring.core.members import get_members
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.meetings.asking import get_meeting, set_meeting_conversation
from mentoring.meetings.ics import build_ics
from mentoring.meetings.invite import calendar_event
from mentoring.meetings.views import MeetingView
from scheduler.render.cards import remember
from scheduler.render.outgoing import Outgoing, Upload
from store.enums import RequestStatus
from store.models import MeetingRequest, OutboxMessage


def render_meeting(
    session: Session, row: OutboxMessage, notice: Notice, words: Words, now: datetime
) -> Outgoing | None:
    """The message for a meeting notice, or ``None`` when it no longer needs sending."""
    assert row.meeting_id is not None  # noqa: S101 - checked by the caller
    try:
        meeting = get_meeting(session=session, team_id=row.team_id, meeting_id=row.meeting_id)
    except DomainError:
        return None
    people = get_members(
        session=session, team_id=row.team_id, ids=(meeting.mentee_id, meeting.mentor_id)
    )
    mentee, mentor = people[meeting.mentee_id], people[meeting.mentor_id]
    homes = (mentor.slack_user_id, mentee.slack_user_id)

    def card(reminder: bool = False) -> list[dict[str, Any]]:
        blocks = meeting_card(
            meeting,
            mentee=mentee,
            mentor=mentor,
            team_id=row.team_id,
            now=now,
            words=words,
            reminder=reminder,
        )
        return as_dicts(blocks)

    if notice in (Notice.MEETING_RECEIVED, Notice.MEETING_REMINDER):
        if meeting.status is not RequestStatus.PENDING or not meeting.open_times(now):
            return None  # answered or out of time meanwhile: nothing to ask for any more

        reminder = notice is Notice.MEETING_REMINDER
        text = (
            f"Reminder: {mentee.display_name} is waiting for your answer about a meeting."
            if reminder
            else f"Meeting request from {mentee.display_name}: {meeting.topic}"
        )
        return Outgoing(
            mentor.slack_user_id,
            text,
            card(reminder),
            refresh_homes=homes,
            after_send=remember(
                row.team_id,
                MeetingRequest,
                meeting.id,
                Role.REMINDER if reminder else Role.CARD,
                now,
            ),
        )
    if notice is Notice.MEETING_UPDATED:
        # Every card and reminder the mentor was sent is redrawn in place (ASK_REDRAWN); only
        # when none was ever posted does a short DM say what happened.
        if has_messages(session, MeetingRequest, meeting.id):
            return None
        status = meeting.status.value.replace("_", " ")
        text = f"Meeting request from {mentee.display_name}: {status}"
        short, blocks = simple_notice(text)
        return Outgoing(mentor.slack_user_id, short, as_dicts(blocks), refresh_homes=homes)
    if notice in (Notice.MEETING_SCHEDULED, Notice.MEETING_INVITE):
        return _group_dm(session, row, notice, meeting, mentor, mentee, words)
    recipient = people.get(row.recipient_id) if row.recipient_id else None
    if recipient is None:
        return None
    if notice is Notice.MEETING_ACCEPTED:
        text, blocks = notices.meeting_accepted(meeting, mentor, words)
    elif notice is Notice.MEETING_DECLINED:
        text, blocks = notices.meeting_declined(meeting, mentor, words)
    elif notice is Notice.MEETING_EXPIRED:
        text, blocks = notices.meeting_expired(meeting, mentor, words)
    elif notice is Notice.MEETING_CLOSED:
        text, blocks = notices.meeting_closed(meeting, mentor, words)
    elif notice is Notice.MEETING_TOMORROW:
        if meeting.status is not RequestStatus.ACCEPTED or not _ahead(meeting, now):
            return None
        other = mentee if recipient.id == mentor.id else mentor
        text, blocks = notices.meeting_tomorrow(meeting, recipient, other)
    else:
        return None
    return Outgoing(recipient.slack_user_id, text, as_dicts(blocks), refresh_homes=homes)


def _ahead(meeting: MeetingView, now: datetime) -> bool:
    return meeting.meeting_at is not None and meeting.meeting_at > now


def _group_dm(
    session: Session,
    row: OutboxMessage,
    notice: Notice,
    meeting: MeetingView,
    mentor: MemberView,
    mentee: MemberView,
    words: Words,
) -> Outgoing | None:
    """The details, or the calendar file, in the pair's group DM (opened with both)."""
    if meeting.status is not RequestStatus.ACCEPTED or meeting.meeting_at is None:
        return None
    pair = (mentor.slack_user_id, mentee.slack_user_id)
    if notice is Notice.MEETING_INVITE:
        event = calendar_event(session=session, team_id=row.team_id, meeting_id=meeting.id)
        stamp = meeting.answered_at or row.created_at
        return Outgoing(
            None,
            notices.invite_comment(meeting),
            [],
            open_with=pair,
            upload=Upload(
                filename=notices.invite_filename(meeting),
                title=f"Calendar invitation: {meeting.topic}",
                content=build_ics(event, stamp=stamp).encode("utf-8"),
            ),
        )
    text, blocks = notices.meeting_scheduled(meeting, mentor, mentee, words)

    def remember(s: Session, channel: str, _ts: str) -> None:
        set_meeting_conversation(
            session=s, team_id=row.team_id, meeting_id=meeting.id, conversation_id=channel
        )

    return Outgoing(
        None, text, as_dicts(blocks), open_with=pair, refresh_homes=pair, after_send=remember
    )
