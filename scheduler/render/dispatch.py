"""Turn an outbox row into the Slack message it stands for, from the state at send time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from blocks.offers import (
    no_room_words,
    offer_accepted_notice,
    offer_cancelled_notice,
    offer_closed_notice,
    offer_declined_notice,
)
from blocks.reports.digest import digest_notice, escalation_notice
from blocks.requests import notices
from blocks.requests.cards import outcome_words, request_card
from blocks.serialize import as_dicts
from mentoring.asks.cards import Role, has_messages
from mentoring.core.audit import Notice
from mentoring.core.members import get_members
from mentoring.core.views import MemberView, RelationshipView, RequestView
from mentoring.core.wording import Words
from mentoring.directory.search import MentorMatch, recommend_mentors
from mentoring.program.settings import get_settings
from mentoring.reports.digest import pending_lines, weekly_digest
from mentoring.requests.sending import get_request_and_people
from mentoring.routing.queue import queue_summary
from scheduler.render.cards import pair_card, remember, render_redraw
from scheduler.render.outgoing import Outgoing
from scheduler.render.relationships import RELATIONSHIP_NOTICES, render_relationship
from scheduler.render.routing import MATCHING_NOTICES, render_matching
from store.enums import RequestKind, RequestStatus
from store.models import OutboxMessage, Relationship, Request

Terms = dict[str, Words]
"""Each workspace's words by team id, read once for a batch of notices (see :func:`render`)."""


def words_for(session: Session, team_id: str, terms: Terms | None = None) -> Words:
    """The workspace's words; from ``terms`` when it has them, else read (and kept there)."""
    if terms is not None and team_id in terms:
        return terms[team_id]
    words = get_settings(session=session, team_id=team_id).words
    if terms is not None:
        terms[team_id] = words
    return words


def _alternatives(
    session: Session, team_id: str, mentee: MemberView, exclude: int, now: datetime
) -> tuple[MentorMatch, ...]:
    matches = recommend_mentors(
        session=session, team_id=team_id, mentee_user_id=mentee.slack_user_id, now=now, limit=4
    )
    return tuple(m for m in matches if m.mentor.id != exclude)[:3]


def render(
    session: Session, row: OutboxMessage, now: datetime, terms: Terms | None = None
) -> Outgoing | None:
    """The message for ``row``, or ``None`` when it no longer needs sending.

    ``terms`` (when given) keeps each workspace's words between the renders of a batch: read
    for every notice they cost a query and a validation, and a change of terminology may well
    wait for the next batch.
    """
    notice = Notice(row.kind)
    if notice in (Notice.ADMIN_ESCALATION, Notice.ADMIN_DIGEST):
        return _render_admin(session, row, notice, now)
    words = words_for(session, row.team_id, terms)
    if notice is Notice.ASK_REDRAWN:
        return render_redraw(session, row, words, now)
    if notice in RELATIONSHIP_NOTICES:
        return render_relationship(session, row, notice, words, now)
    if row.meeting_id is not None:
        from scheduler.render.meetings import render_meeting

        return render_meeting(session, row, notice, words, now)
    if notice in MATCHING_NOTICES:
        dm = render_matching(session, row, notice, words, now)
        if dm is None:
            return None
        after_send = (
            remember(row.team_id, Request, row.request_id, Role.ADMIN, now)
            if notice is Notice.ADMIN_SUBMISSION and row.request_id is not None
            else None
        )
        return Outgoing(
            dm.user_id,
            dm.text,
            as_dicts(dm.blocks),
            refresh_homes=dm.refresh_homes,
            after_send=after_send,
        )
    if row.request_id is not None and notice is not Notice.RELATIONSHIP_STARTED:
        return _render_request(session, row, notice, words, now)
    if row.relationship_id is None:
        return None
    relationship = session.get(Relationship, row.relationship_id)
    if relationship is None:
        return None
    rel = RelationshipView.of(relationship)
    people = get_members(session=session, team_id=row.team_id, ids=(rel.mentor_id, rel.mentee_id))
    mentor, mentee = people[rel.mentor_id], people[rel.mentee_id]
    if notice is Notice.RELATIONSHIP_ENDED and row.recipient_id is not None:
        recipient = people[row.recipient_id]
        other = mentor if recipient.id == mentee.id else mentee
        verb = (
            "marked your mentoring relationship as finished"
            if rel.status == "finished"
            else ("ended your mentoring relationship")
        )
        line = f"{other.display_name} {verb}."
        if rel.end_reason:
            line += f" They wrote: {rel.end_reason}"
        text, blocks = notices.simple_notice(line)
        return Outgoing(
            recipient.slack_user_id,
            text,
            as_dicts(blocks),
            refresh_homes=(recipient.slack_user_id, other.slack_user_id),
        )
    return None


def _render_request(
    session: Session, row: OutboxMessage, notice: Notice, words: Words, now: datetime
) -> Outgoing | None:
    assert row.request_id is not None  # noqa: S101 - checked by the caller
    req, people = get_request_and_people(
        session=session, team_id=row.team_id, request_id=row.request_id
    )
    answerer, initiator = people[req.answerer_id], people[req.initiator_id]
    recipient = people.get(row.recipient_id) if row.recipient_id else None
    homes = (answerer.slack_user_id, initiator.slack_user_id)

    def card(reminder: bool = False, outcome: str | None = None) -> list[dict[str, Any]]:
        blocks = request_card(
            pair_card(session, req, people, now),
            team_id=row.team_id,
            now=now,
            words=words,
            reminder=reminder,
            outcome=outcome,
        )
        return as_dicts(blocks)

    if notice in (Notice.REQUEST_RECEIVED, Notice.REQUEST_REMINDER):
        if req.status is not RequestStatus.PENDING:
            return None  # answered meanwhile: nothing to ask for any more
        reminder = notice is Notice.REQUEST_REMINDER
        text = (
            f"Reminder: {initiator.display_name} is waiting for your answer."
            if reminder
            else f"{initiator.display_name} offers to be your {words.mentor}"
            if req.kind is RequestKind.MENTOR_OFFER
            else f"New request from {initiator.display_name}"
        )
        return Outgoing(
            answerer.slack_user_id,
            text,
            card(reminder),
            refresh_homes=homes,
            after_send=remember(
                row.team_id, Request, req.id, Role.REMINDER if reminder else Role.CARD, now
            ),
        )
    if recipient is None:
        return None
    if recipient.id == answerer.id:
        # Every card and reminder the answerer was sent is redrawn in place (ASK_REDRAWN);
        # only when none was ever posted does a short DM say what happened.
        if has_messages(session, Request, req.id):
            return None
        outcome = no_room_words(initiator, words) if notice is Notice.OFFER_CANCELLED else None
        noun = "Offer" if req.kind is RequestKind.MENTOR_OFFER else "Request"
        status_text = (
            f"{noun} from {initiator.display_name}: {outcome or outcome_words(req, words)}"
        )
        text, blocks = notices.simple_notice(status_text)
        return Outgoing(recipient.slack_user_id, text, as_dicts(blocks), refresh_homes=homes)
    return _initiator_notice(session, row, notice, req, people, recipient, answerer, words, now)


def _initiator_notice(
    session: Session,
    row: OutboxMessage,
    notice: Notice,
    req: RequestView,
    people: dict[int, MemberView],
    recipient: MemberView,
    answerer: MemberView,
    words: Words,
    now: datetime,
) -> Outgoing | None:
    mentee, mentor = people[req.mentee_id], people[req.mentor_id]
    homes = (recipient.slack_user_id, answerer.slack_user_id)
    offer = req.kind is RequestKind.MENTOR_OFFER
    if notice is Notice.REQUEST_ACCEPTED:
        conversation = None
        if row.relationship_id is not None:
            relationship = session.get(Relationship, row.relationship_id)
            conversation = relationship.conversation_id if relationship else None
        if offer:
            text, blocks = offer_accepted_notice(answerer, conversation)
        else:
            text, blocks = notices.accepted_notice(answerer, conversation, words)
    elif notice is Notice.REQUEST_DECLINED and offer:
        text, blocks = offer_declined_notice(req, answerer)
    elif notice is Notice.REQUEST_DECLINED:
        alternatives = (
            _alternatives(session, row.team_id, mentee, mentor.id, now)
            if recipient.id == mentee.id
            else ()
        )
        text, blocks = notices.declined_notice(req, answerer, alternatives, words)
    elif notice is Notice.REQUEST_EXPIRED:
        if recipient.id == mentee.id:
            alternatives = _alternatives(session, row.team_id, mentee, mentor.id, now)
            text, blocks = notices.expired_notice_for_mentee(mentor, alternatives, words)
        else:
            text, blocks = notices.simple_notice(
                f"Your offer to {mentee.display_name} was closed after waiting too long."
            )
    elif notice is Notice.REQUEST_CLOSED and offer:
        text, blocks = offer_closed_notice(req, answerer, words)
    elif notice is Notice.REQUEST_CLOSED:
        text, blocks = notices.closed_notice_for_mentee(req, answerer, words)
    elif notice is Notice.OFFER_CANCELLED:
        text, blocks = offer_cancelled_notice(mentee, mentor, words)
    elif notice is Notice.REQUEST_CANCELLED:
        text, blocks = notices.simple_notice(
            f"{mentee.display_name} found {words.a_mentor}, so your offer was closed."
        )
    else:
        return None
    return Outgoing(recipient.slack_user_id, text, as_dicts(blocks), refresh_homes=homes)


def _render_admin(
    session: Session, row: OutboxMessage, notice: Notice, now: datetime
) -> Outgoing | None:
    admin = str(row.payload.get("user") or "")
    if not admin:
        return None
    if notice is Notice.ADMIN_DIGEST:
        text, blocks = digest_notice(
            weekly_digest(session=session, team_id=row.team_id, now=now), now=now
        )
    else:
        ids = [int(i) for i in row.payload.get("request_ids", [])]
        lines = pending_lines(session=session, team_id=row.team_id, request_ids=ids)
        still_pending = tuple(p for p in lines if p.request.status is RequestStatus.PENDING)
        submissions = [int(i) for i in row.payload.get("submission_ids", [])]
        queue = (
            queue_summary(session=session, team_id=row.team_id, ids=submissions)
            if submissions
            else None
        )
        if not still_pending and (queue is None or not queue.waiting):
            return None  # all answered (or assigned) before the notice went out
        text, blocks = escalation_notice(still_pending, len(still_pending), now=now, queue=queue)
    return Outgoing(admin, text, as_dicts(blocks))
