"""Outbox rows about relationships after the match, rendered from the state at send time.

The pair's group DM holds the introduction (with their goals), the check-ins and the term
question; each is posted once and then redrawn in place (chat.update with the remembered ts)
whenever what it shows changes, so no live button points at something closed. Each person gets
the closure survey, an admin's nudge and an ending someone else decided as a direct message.
A notice that no longer makes sense when its turn comes (a check-in for a pair that ended)
renders as ``None`` and is dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy import select
from sqlalchemy.orm import Session

from blocks.relationships.checkins import checkin_card, checkin_text
from blocks.relationships.closure import feedback_card
from blocks.relationships.goals import goals_blocks
from blocks.relationships.notices import closed_notice, nudge_notice
from blocks.relationships.terms import term_card
from blocks.requests import notices
from blocks.serialize import as_dicts
from mentoring.core.audit import Notice
from mentoring.core.errors import DomainError
from mentoring.core.views import MemberView, RelationshipView
from mentoring.core.wording import Words
from mentoring.program.settings import get_settings
from mentoring.relationships.checkins import get_checkin, remember_checkin_card
from mentoring.relationships.closure import feedback_of, remember_feedback_card
from mentoring.relationships.goals import goals_of
from mentoring.relationships.lifecycle import set_conversation
from mentoring.relationships.terms import remember_term_card
from mentoring.requests.sending import get_request
from scheduler.render.outgoing import Outgoing
from scheduler.render.people import PEOPLE_NOTICES, render_people
from store.enums import RelationshipStatus
from store.models import CheckIn, Feedback, Member, OutboxMessage, Relationship

IN_GROUP_DM = frozenset(
    {
        Notice.RELATIONSHIP_STARTED,
        Notice.INTRO_UPDATED,
        Notice.CHECKIN_ASKED,
        Notice.CHECKIN_UPDATED,
        Notice.TERM_ASKED,
        Notice.TERM_UPDATED,
    }
)
TO_ONE = frozenset(
    {
        Notice.RELATIONSHIP_NUDGE,
        Notice.RELATIONSHIP_CLOSED,
        Notice.FEEDBACK_ASKED,
        Notice.FEEDBACK_REMINDER,
        Notice.FEEDBACK_UPDATED,
    }
)
RELATIONSHIP_NOTICES = IN_GROUP_DM | TO_ONE | PEOPLE_NOTICES


class _Pair:
    """A relationship and its two people, as rendering needs them."""

    def __init__(self, session: Session, relationship: Relationship) -> None:
        self.row = relationship
        self.view = RelationshipView.of(relationship)
        members = {
            m.id: m
            for m in session.scalars(
                select(Member).where(
                    Member.id.in_([relationship.mentor_id, relationship.mentee_id])
                )
            )
        }
        self.mentor = MemberView.of(members[relationship.mentor_id])
        self.mentee = MemberView.of(members[relationship.mentee_id])
        # Home tabs to redraw: never a deactivated account's.
        self.homes = tuple(
            m.slack_user_id
            for m in (members[relationship.mentor_id], members[relationship.mentee_id])
            if m.deactivated_at is None
        )

    @property
    def active(self) -> bool:
        return self.view.status is RelationshipStatus.ACTIVE

    @property
    def users(self) -> tuple[str, str]:
        return self.mentor.slack_user_id, self.mentee.slack_user_id

    def other(self, member_id: int) -> MemberView:
        return self.mentee if member_id == self.mentor.id else self.mentor

    def person(self, member_id: int) -> MemberView:
        return self.mentor if member_id == self.mentor.id else self.mentee


def render_relationship(
    session: Session, row: OutboxMessage, notice: Notice, words: Words, now: datetime
) -> Outgoing | None:
    """The message for one of :data:`RELATIONSHIP_NOTICES`, or ``None`` when moot."""
    if notice in PEOPLE_NOTICES:
        return render_people(session, row, notice, words, now)
    relationship = session.get(Relationship, row.relationship_id) if row.relationship_id else None
    if relationship is None:
        return None
    pair = _Pair(session, relationship)
    if notice in IN_GROUP_DM:
        return _in_group_dm(session, row, notice, pair, words)
    if row.recipient_id not in (pair.mentor.id, pair.mentee.id):
        return None
    assert row.recipient_id is not None  # noqa: S101 - checked just above
    recipient, other = pair.person(row.recipient_id), pair.other(row.recipient_id)
    if notice is Notice.RELATIONSHIP_NUDGE:
        if not pair.active:
            return None
        text, blocks = nudge_notice(pair.view, other, words)
    elif notice is Notice.RELATIONSHIP_CLOSED:
        text, blocks = closed_notice(pair.view, other)
    else:
        return _feedback(session, row, notice, pair, recipient, other)
    return Outgoing(recipient.slack_user_id, text, as_dicts(blocks), refresh_homes=pair.homes)


def _in_group_dm(
    session: Session, row: OutboxMessage, notice: Notice, pair: _Pair, words: Words
) -> Outgoing | None:
    rel = pair.view
    team = row.team_id
    if notice in (Notice.RELATIONSHIP_STARTED, Notice.INTRO_UPDATED):
        req = (
            get_request(session=session, team_id=team, request_id=rel.request_id)
            if (rel.request_id)
            else None
        )
        text, blocks = notices.introduction(pair.mentor, pair.mentee, req, words)
        goals = goals_of(session, [rel.id]).get(rel.id, ())
        blocks += goals_blocks(rel.id, goals, words, live=pair.active)
        if notice is Notice.INTRO_UPDATED:
            return _redraw(pair, pair.row.intro_ts, text, blocks)

        def remember(s: Session, channel: str, ts: str) -> None:
            set_conversation(
                session=s,
                team_id=team,
                relationship_id=rel.id,
                conversation_id=channel,
                intro_ts=ts,
            )

        return Outgoing(
            None,
            text,
            as_dicts(blocks),
            open_with=pair.users,
            refresh_homes=pair.homes,
            after_send=remember,
        )
    if notice in (Notice.CHECKIN_ASKED, Notice.CHECKIN_UPDATED):
        try:
            checkin = get_checkin(session, team, rel.id, int(row.payload.get("number") or 0))
        except DomainError:
            return None
        blocks = checkin_card(
            checkin, mentor=pair.mentor, mentee=pair.mentee, words=words, active=pair.active
        )
        text = checkin_text(pair.mentor, pair.mentee, checkin)
        if notice is Notice.CHECKIN_UPDATED:
            return _redraw(pair, _checkin_ts(session, checkin.id), text, blocks)
        if not pair.active or checkin.closed_at is not None:
            return None  # ended, or a newer one was asked, before its working hours came

        def remember_checkin(s: Session, channel: str, ts: str) -> None:
            remember_checkin_card(
                session=s,
                team_id=team,
                relationship_id=rel.id,
                number=checkin.number,
                channel=channel,
                ts=ts,
            )

        return _post(pair, text, blocks, remember_checkin)
    settings = get_settings(session=session, team_id=team)
    text, blocks = term_card(
        rel,
        pair.mentor,
        pair.mentee,
        extension_days=settings.relationship_extension_days,
        asked_for=pair.row.term_asked_for,
    )
    if notice is Notice.TERM_UPDATED:
        return _redraw(pair, pair.row.term_card_ts, text, blocks)
    if not pair.active or rel.term_decision or pair.row.term_asked_for != rel.term_ends_at:
        return None

    def remember_term(s: Session, _channel: str, ts: str) -> None:
        remember_term_card(session=s, team_id=team, relationship_id=rel.id, ts=ts)

    return _post(pair, text, blocks, remember_term)


def _checkin_ts(session: Session, checkin_id: int) -> str | None:
    checkin = session.get(CheckIn, checkin_id)
    return checkin.slack_ts if checkin else None


def _post(pair: _Pair, text: str, blocks: list[Block], remember: Any) -> Outgoing:
    """Post in the pair's group DM (opened again with both when it was never remembered)."""
    channel = pair.view.conversation_id
    return Outgoing(
        channel,
        text,
        as_dicts(blocks),
        open_with=() if channel else pair.users,
        after_send=remember,
    )


def _redraw(pair: _Pair, ts: str | None, text: str, blocks: list[Block]) -> Outgoing | None:
    """Update a message of the group DM in place (nothing to do if it was never posted)."""
    if not ts or not pair.view.conversation_id:
        return None
    return Outgoing(
        pair.view.conversation_id,
        text,
        as_dicts(blocks),
        update_ts=ts,
        refresh_homes=pair.homes,
    )


def _feedback(
    session: Session,
    row: OutboxMessage,
    notice: Notice,
    pair: _Pair,
    recipient: MemberView,
    other: MemberView,
) -> Outgoing | None:
    feedback = feedback_of(session, row.team_id, pair.view.id, recipient.id)
    if feedback is None:
        return None
    public = get_settings(session=session, team_id=row.team_id).ratings_public
    text, blocks = feedback_card(
        feedback, other, reminder=notice is Notice.FEEDBACK_REMINDER, ratings_public=public
    )
    if notice is Notice.FEEDBACK_UPDATED:
        stored = session.get(Feedback, feedback.id)
        if stored is None or not stored.slack_channel or not stored.slack_ts:
            return None
        return Outgoing(stored.slack_channel, text, as_dicts(blocks), update_ts=stored.slack_ts)
    if feedback.answered_at is not None:
        return None  # answered before this went out

    def remember(s: Session, channel: str, ts: str) -> None:
        remember_feedback_card(
            session=s,
            team_id=row.team_id,
            relationship_id=pair.view.id,
            member_id=recipient.id,
            channel=channel,
            ts=ts,
        )

    return Outgoing(recipient.slack_user_id, text, as_dicts(blocks), after_send=remember)
