"""The messages that show an ask with buttons: remembered once posted, redrawn once it ends.

:func:`remember` is the ``after_send`` of every such message (the answerer's card, each
reminder, a program admin's notice of a submission); :func:`render_redraw` turns one
:data:`Notice.ASK_REDRAWN` row into the chat.update that shows the ask's outcome, without
buttons, in place of that message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from blocks.meetings.forms import meeting_card
from blocks.offers import no_room_words
from blocks.requests.cards import RequestCard, outcome_words, request_card
from blocks.routing.queue import submission_notice
from blocks.serialize import as_dicts
from mentoring.asks.cards import Role, message_of, remember_message
from mentoring.core.errors import DomainError
from mentoring.core.members import get_members
from mentoring.core.views import MemberView, RequestView
from mentoring.core.wording import Words
from mentoring.directory.matching import MentorProfile, SeekerProfile, score
from mentoring.meetings.asking import get_meeting
from mentoring.offers.room import NO_ROOM
from mentoring.requests.sending import get_request
from mentoring.routing.queue import queue_summary
from mentoring.routing.submissions import SubmissionStatus, get_submission
from scheduler.render.outgoing import AfterSend, Outgoing
from store.enums import RequestKind, RequestStatus
from store.models import AskMessage, MeetingRequest, OutboxMessage, Request


def remember(
    team_id: str,
    model: type[Request] | type[MeetingRequest],
    ask_id: int,
    role: Role,
    now: datetime,
) -> AfterSend:
    """The ``after_send`` that remembers a message showing an ask (to redraw it later)."""

    def after_send(session: Session, channel: str, ts: str) -> None:
        remember_message(
            session,
            team_id=team_id,
            model=model,
            ask_id=ask_id,
            role=role,
            channel=channel,
            ts=ts,
            now=now,
        )

    return after_send


def pair_card(
    session: Session, req: RequestView, people: dict[int, MemberView], now: datetime
) -> RequestCard:
    """The answerer's card for a request, with the match reasons between the two people."""
    mentee, mentor = people[req.mentee_id], people[req.mentor_id]
    match = score(
        SeekerProfile(
            interests=mentee.interests,
            functional_area=mentee.functional_area,
            tz=mentee.tz,
            languages=mentee.languages,
            location=mentee.location,
        ),
        MentorProfile(
            expertise=mentor.expertise,
            functional_area=mentor.functional_area,
            tz=mentor.tz,
            languages=mentor.languages,
            location=mentor.location,
            open_slots=1,
        ),
        now=now,
    )
    reasons = tuple(f.label for f in match.factors if f.points and not f.availability)
    return RequestCard(req, mentee, mentor, reasons=reasons, score=match.total)


def render_redraw(
    session: Session, row: OutboxMessage, words: Words, now: datetime
) -> Outgoing | None:
    """The chat.update of one remembered message of an ended ask (``None``: nothing to redraw)."""
    message = message_of(session, int(row.payload.get("message") or 0))
    if message is None:
        return None
    try:
        if message.meeting_id is not None:
            return _meeting(session, message, message.meeting_id, words, now)
        if message.request_id is None:
            return None
        if message.role == Role.ADMIN:
            return _submission(session, message, message.request_id, words, now)
        why = str(row.payload.get("why") or "")
        return _request(session, message, message.request_id, why, words, now)
    except DomainError:
        return None  # the ask is gone: nothing left to show


def _request(
    session: Session, message: AskMessage, request_id: int, why: str, words: Words, now: datetime
) -> Outgoing | None:
    req = get_request(session=session, team_id=message.team_id, request_id=request_id)
    if req.status is RequestStatus.PENDING:
        return None
    people = get_members(
        session=session, team_id=message.team_id, ids=(req.mentee_id, req.mentor_id)
    )
    answerer, initiator = people[req.answerer_id], people[req.initiator_id]
    outcome = no_room_words(initiator, words) if why == NO_ROOM else None
    noun = "Offer" if req.kind is RequestKind.MENTOR_OFFER else "Request"
    blocks = request_card(
        pair_card(session, req, people, now),
        team_id=message.team_id,
        now=now,
        words=words,
        outcome=outcome,
    )
    return Outgoing(
        message.channel,
        f"{noun} from {initiator.display_name}: {outcome or outcome_words(req, words)}",
        as_dicts(blocks),
        update_ts=message.ts,
        refresh_homes=(answerer.slack_user_id, initiator.slack_user_id),
    )


def _meeting(
    session: Session, message: AskMessage, meeting_id: int, words: Words, now: datetime
) -> Outgoing | None:
    meeting = get_meeting(session=session, team_id=message.team_id, meeting_id=meeting_id)
    if meeting.status is RequestStatus.PENDING:
        return None
    people = get_members(
        session=session, team_id=message.team_id, ids=(meeting.mentee_id, meeting.mentor_id)
    )
    mentee, mentor = people[meeting.mentee_id], people[meeting.mentor_id]
    blocks = meeting_card(
        meeting, mentee=mentee, mentor=mentor, team_id=message.team_id, now=now, words=words
    )
    status = meeting.status.value.replace("_", " ")
    return Outgoing(
        message.channel,
        f"Meeting request from {mentee.display_name}: {status}",
        as_dicts(blocks),
        update_ts=message.ts,
        refresh_homes=(mentor.slack_user_id, mentee.slack_user_id),
    )


def _submission(
    session: Session, message: AskMessage, request_id: int, words: Words, now: datetime
) -> Outgoing | None:
    submission = get_submission(
        session=session, team_id=message.team_id, request_id=request_id, now=now
    )
    if submission.status is SubmissionStatus.PENDING:
        return None
    queue = queue_summary(session=session, team_id=message.team_id)
    text, blocks = submission_notice(submission, queue, now=now, words=words)
    return Outgoing(
        message.channel,
        text,
        as_dicts(blocks),
        update_ts=message.ts,
        refresh_homes=(submission.mentee.slack_user_id,),  # its Withdraw button goes too
    )
