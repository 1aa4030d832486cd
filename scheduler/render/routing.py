"""Rendering the notices of admin matching: assignments, closed preferences, recommendations,
and the program admins' notice of a new submission in the queue.

Like the rest of rendering, each message is built from the state at send time; a notice that
no longer makes sense (recommendations superseded by a newer push) renders as ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from blocks.recommendations import recommendations_notice
from blocks.routing.preferences import (
    assigned_notice_for_mentee,
    assigned_notice_for_mentor,
    closed_notice,
    expired_notice,
)
from blocks.routing.queue import submission_notice
from mentoring.core.audit import Notice
from mentoring.core.members import get_members
from mentoring.core.wording import Words
from mentoring.program.settings import MatchingMode, get_settings
from mentoring.recommendations.service import current_recommendations, still_current
from mentoring.requests.sending import get_request
from mentoring.routing.queue import queue_summary
from mentoring.routing.submissions import SubmissionStatus, get_submission
from store.models import OutboxMessage, Relationship

MATCHING_NOTICES = frozenset(
    {
        Notice.MATCH_ASSIGNED,
        Notice.MATCH_CLOSED,
        Notice.MATCH_EXPIRED,
        Notice.RECOMMENDATIONS_PUSHED,
        Notice.ADMIN_SUBMISSION,
    }
)


@dataclass(frozen=True)
class DirectMessage:
    """A direct message to one member, and whose Home tabs to redraw once it is sent."""

    user_id: str
    text: str
    blocks: list[Block]
    refresh_homes: tuple[str, ...]


def render_matching(
    session: Session, row: OutboxMessage, notice: Notice, words: Words, now: datetime
) -> DirectMessage | None:
    """The direct message for one of :data:`MATCHING_NOTICES`, or ``None`` when moot."""
    if notice is Notice.ADMIN_SUBMISSION:
        return _submission_arrived(session, row, words, now)
    if row.recipient_id is None:
        return None
    people = get_members(session=session, team_id=row.team_id, ids=[row.recipient_id])
    recipient = people.get(row.recipient_id)
    if recipient is None:
        return None
    if notice is Notice.RECOMMENDATIONS_PUSHED:
        if not still_current(session, [int(i) for i in row.payload.get("recommendation_ids", [])]):
            return None  # a newer push replaced them, and sends its own message
        recommended = current_recommendations(
            session=session, team_id=row.team_id, mentee=recipient, now=now
        )
        if not recommended:
            return None
        routed = (
            get_settings(session=session, team_id=row.team_id).matching_mode
            is MatchingMode.ADMIN_ROUTED
        )
        text, blocks = recommendations_notice(recommended, words=words, choose=routed)
        return DirectMessage(recipient.slack_user_id, text, blocks, (recipient.slack_user_id,))
    if row.request_id is None:
        return None
    if notice is Notice.MATCH_ASSIGNED:
        req = get_request(session=session, team_id=row.team_id, request_id=row.request_id)
        pair = get_members(session=session, team_id=row.team_id, ids=[req.mentor_id, req.mentee_id])
        mentor, mentee = pair[req.mentor_id], pair[req.mentee_id]
        relationship = (
            session.get(Relationship, row.relationship_id) if row.relationship_id else None
        )
        conversation = relationship.conversation_id if relationship else None
        if recipient.id == mentee.id:
            text, blocks = assigned_notice_for_mentee(mentor, conversation, words)
        else:
            text, blocks = assigned_notice_for_mentor(mentee, req.message, conversation, words)
        homes = (mentee.slack_user_id, mentor.slack_user_id)
        return DirectMessage(recipient.slack_user_id, text, blocks, homes)
    submission = get_submission(
        session=session, team_id=row.team_id, request_id=row.request_id, now=now
    )
    if notice is Notice.MATCH_CLOSED:
        text, blocks = closed_notice(submission, words)
    else:
        text, blocks = expired_notice(submission, words)
    return DirectMessage(recipient.slack_user_id, text, blocks, (recipient.slack_user_id,))


def _submission_arrived(
    session: Session, row: OutboxMessage, words: Words, now: datetime
) -> DirectMessage | None:
    """A program admin (by Slack id: admins need not be enrolled) hears of a new submission."""
    admin = str(row.payload.get("user") or "")
    if not admin or row.request_id is None:
        return None
    submission = get_submission(
        session=session, team_id=row.team_id, request_id=row.request_id, now=now
    )
    if submission.status is not SubmissionStatus.PENDING:
        return None  # assigned, closed or withdrawn before the notice went out
    queue = queue_summary(session=session, team_id=row.team_id)
    text, blocks = submission_notice(submission, queue, now=now, words=words)
    return DirectMessage(admin, text, blocks, ())
