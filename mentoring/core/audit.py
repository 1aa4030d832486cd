"""The event log and the notification outbox, written inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from store.models import Event, OutboxMessage


class Notice(StrEnum):
    """What a queued notification announces; the delivery side renders each kind."""

    REQUEST_RECEIVED = "request.received"  # to whoever answers: the request with its buttons
    REQUEST_ACCEPTED = "request.accepted"  # to whoever asked
    REQUEST_DECLINED = "request.declined"  # to whoever asked, with the reason and alternatives
    REQUEST_WITHDRAWN = "request.withdrawn"  # to whoever would have answered
    REQUEST_EXPIRED = "request.expired"  # to both
    REQUEST_CLOSED = "request.closed"  # closed by an admin; to both
    REQUEST_CANCELLED = "request.cancelled"  # the mentee found a mentor elsewhere; to the mentor
    OFFER_CANCELLED = "offer.cancelled"  # the offering mentor has no open slot left; to both
    REQUEST_REMINDER = "request.reminder"  # to whoever answers
    REQUEST_UPDATED = "request.updated"  # refresh the answerer's copy of the request (chat.update)
    ASK_REDRAWN = "ask.redrawn"  # one remembered message of an ended ask redrawn (payload: message)
    RELATIONSHIP_STARTED = "relationship.started"  # group DM introduction for both
    RELATIONSHIP_ENDED = "relationship.ended"  # to the other person
    ADMIN_ESCALATION = "admin.escalation"  # to an admin (payload: user, request_ids)
    ADMIN_DIGEST = "admin.digest"  # weekly, to an admin (payload: user)
    ADMIN_SUBMISSION = "admin.submission"  # a new submission in the queue (payload: user)
    # Flash mentoring: one-time meeting requests (outbox rows carry meeting_id).
    MEETING_RECEIVED = "meeting.received"  # to the mentor: the request with a button per time
    MEETING_REMINDER = "meeting.reminder"  # to the mentor, while it waits
    MEETING_UPDATED = "meeting.updated"  # refresh the mentor's copy of the request (chat.update)
    MEETING_SCHEDULED = "meeting.scheduled"  # the meeting's details in the pair's group DM
    MEETING_INVITE = "meeting.invite"  # the calendar invitation (.ics) uploaded there
    MEETING_ACCEPTED = "meeting.accepted"  # to the mentee
    MEETING_DECLINED = "meeting.declined"  # to the mentee, with the reason
    MEETING_EXPIRED = "meeting.expired"  # every proposed time passed; to the mentee
    MEETING_CLOSED = "meeting.closed"  # closed by an admin; to the mentee, with the reason
    MEETING_TOMORROW = "meeting.tomorrow"  # the day before an accepted meeting; to each person
    MATCH_ASSIGNED = "match.assigned"  # an admin assigned a preferred mentor; to mentee and mentor
    MATCH_CLOSED = "match.closed"  # an admin closed a mentee's preferences; to the mentee
    MATCH_EXPIRED = "match.expired"  # preferences closed after waiting too long; to the mentee
    RECOMMENDATIONS_PUSHED = "recommendations.pushed"  # to a mentee (payload: pushed_at)
    # After the match (mentoring.relationships; rendered by scheduler.render.relationships).
    INTRO_UPDATED = "relationship.intro_updated"  # the group DM introduction, goals redrawn
    CHECKIN_ASKED = "checkin.asked"  # "have you met?" in the group DM (payload: number)
    CHECKIN_UPDATED = "checkin.updated"  # that card redrawn in place (payload: number)
    CHECKIN_HELP = "checkin.help"  # "we need help", to an admin (payload: user, number)
    RELATIONSHIP_NUDGE = "relationship.nudge"  # an admin's friendly nudge, to each person
    RELATIONSHIP_CLOSED = "relationship.closed"  # ended by an admin, its term or a departure
    FEEDBACK_ASKED = "feedback.asked"  # the closure survey, to one person
    FEEDBACK_REMINDER = "feedback.reminder"  # the one reminder of it
    FEEDBACK_UPDATED = "feedback.updated"  # the survey's card redrawn once answered
    TERM_ASKED = "term.asked"  # extend or finish, in the group DM before the term ends
    TERM_UPDATED = "term.updated"  # that card redrawn in place
    ASK_DEPARTED = "ask.departed"  # an ask closed because the other person left; to who stays
    ADMIN_DEPARTURE = "admin.departure"  # someone left Slack; to an admin (payload: user, ...)
    WELCOME = "member.welcome"  # a newcomer to the workspace (payload: user)


def record_event(
    session: Session,
    *,
    team_id: str,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | str,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        Event(
            team_id=team_id,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            before=before,
            after=after,
            at=at,
        )
    )


def enqueue(
    session: Session,
    *,
    team_id: str,
    notice: Notice,
    now: datetime,
    recipient_id: int | None = None,
    request_id: int | None = None,
    relationship_id: int | None = None,
    meeting_id: int | None = None,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    deliver_at: datetime | None = None,
) -> None:
    """Queue a notification in the same transaction as the change it announces."""
    session.add(
        OutboxMessage(
            team_id=team_id,
            kind=notice.value,
            recipient_id=recipient_id,
            request_id=request_id,
            relationship_id=relationship_id,
            meeting_id=meeting_id,
            payload=payload or {},
            dedupe_key=dedupe_key,
            created_at=now,
            next_attempt_at=deliver_at or now,
        )
    )
