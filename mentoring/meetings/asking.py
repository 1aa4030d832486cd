"""Flash mentoring: a mentee asks a mentor for one meeting at one of up to three times.

A meeting request lives like a mentoring request (pending, then accepted, declined, withdrawn or
expired, each move guarded by the current state and written with its event and notifications
in one transaction: :mod:`mentoring.asks.lifecycle`), but it starts no relationship: it counts
neither toward the mentor's capacity nor toward the mentee's active relationships, and has its
own pending limit (``max_pending_meetings_per_mentee``). Reminders, and the one the day before,
are in :mod:`mentoring.meetings.reminders`; closing once every proposed time has passed in
:mod:`mentoring.meetings.followups`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks import moves
from mentoring.asks.lifecycle import (
    ensure_pending,
    notify,
    request_event,
    require_answerer,
    transition,
)
from mentoring.asks.messages import validated_message
from mentoring.core import errors
from mentoring.core.audit import Notice
from mentoring.core.members import lock_members, member_by_id, require_member
from mentoring.core.views import MemberView
from mentoring.meetings.rules import (
    TOMORROW,
    meeting_decline_reasons,
    validated_duration,
    validated_times,
    validated_topic,
)
from mentoring.meetings.views import MeetingView, store_time
from mentoring.program.settings import ProgramSettings, get_settings
from mentoring.recommendations.service import require_recommended
from store.enums import RequestStatus
from store.models import MeetingRequest, Member

DISABLED = "One-time meetings are turned off in this program."
WAITING_FOR = "You already have a meeting request waiting for {name}."
# The end of the "too short" error for a meeting request's message (see mentoring.asks.messages).
MESSAGE_HINT = "say what you'd like to get out of the meeting."


def meetings_enabled(*, session: Session, team_id: str) -> bool:
    """Whether the program offers flash mentoring (one-time meetings)."""
    return get_settings(session=session, team_id=team_id).flash_mentoring_enabled


def load_meeting(session: Session, team_id: str, meeting_id: int) -> MeetingRequest:
    meeting = session.get(MeetingRequest, meeting_id)
    if meeting is None or meeting.team_id != team_id:
        raise errors.NotFound("That meeting request no longer exists.")
    return meeting


def _pair(
    session: Session, team_id: str, mentee_user_id: str, mentor_user_id: str
) -> tuple[ProgramSettings, Member, Member]:
    """Check who may ask whom, before anything is typed or saved.

    The directory's rule holds for meetings as for mentoring requests: in a
    recommendations-only directory a mentee asks only the mentors recommended to them.
    """
    settings = get_settings(session=session, team_id=team_id)
    if not settings.flash_mentoring_enabled:
        raise errors.NotAllowed(DISABLED)
    mentee = require_member(session, team_id, mentee_user_id)
    if not mentee.is_mentee:
        raise errors.NotEnrolled("Add the {mentee} role to your profile to request a meeting.")
    if mentor_user_id == mentee_user_id:
        raise errors.InvalidInput("You can't request a meeting with yourself.")
    try:
        mentor = require_member(session, team_id, mentor_user_id)
    except errors.NotEnrolled as exc:
        raise errors.NotFound("That person isn't {a_mentor} in this program.") from exc
    if not mentor.is_mentor:
        raise errors.NotFound("{name} isn't {a_mentor} in this program.", name=mentor.display_name)
    require_recommended(session, settings, mentee, mentor)
    return settings, mentee, mentor


def _check_available(mentor: Member, now: datetime) -> None:
    if mentor.paused_until is not None and mentor.paused_until > now:
        until = mentor.paused_until
        raise errors.Unavailable(
            "{name} isn't taking new requests until {until}.",
            name=mentor.display_name,
            until=f"{until:%B} {until.day}, {until:%Y}",
        )


def check_can_request_meeting(
    *, session: Session, team_id: str, mentee_user_id: str, mentor_user_id: str, now: datetime
) -> tuple[MemberView, MemberView]:
    """Check, before showing the form, that this mentee may ask this mentor for a meeting.

    The same checks as :func:`send_meeting_request` makes before saving, bar the form's input.

    Returns:
        The mentee and the mentor.
    """
    settings, mentee, mentor = _pair(session, team_id, mentee_user_id, mentor_user_id)
    _check_available(mentor, now)
    _check_pending(session, mentee, mentor, settings)
    return MemberView.of(mentee), MemberView.of(mentor)


def may_request_meeting(
    *, session: Session, team_id: str, mentee_user_id: str, mentor_user_id: str, now: datetime
) -> bool:
    """Whether to offer this person a "Request meeting" button for this mentor.

    The button shows only where the form would open: flash mentoring on, a mentee asking
    another member who is a mentor, not paused, and (in a recommendations-only directory)
    recommended to them. The mentee's own pending meeting requests do not hide it: a click
    explains that limit instead.
    """
    try:
        _settings, _mentee, mentor = _pair(session, team_id, mentee_user_id, mentor_user_id)
        _check_available(mentor, now)
    except errors.DomainError:
        return False
    return True


def _check_pending(
    session: Session, mentee: Member, mentor: Member, settings: ProgramSettings
) -> None:
    pending = pending_meetings_of(session, mentee.id)
    if any(m.mentor_id == mentor.id for m in pending):
        raise errors.Duplicate(WAITING_FOR, name=mentor.display_name)
    if len(pending) >= settings.max_pending_meetings_per_mentee:
        raise errors.LimitReached(
            "You have {pending} waiting for an answer, the most the program allows. Withdraw "
            "one or wait for an answer before asking again.",
            pending=(
                "1 meeting request" if len(pending) == 1 else f"{len(pending)} meeting requests"
            ),
        )


def pending_meetings_of(session: Session, mentee_id: int) -> Sequence[MeetingRequest]:
    return session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.mentee_id == mentee_id,
            MeetingRequest.status == RequestStatus.PENDING,
        )
    ).all()


def send_meeting_request(
    *,
    session: Session,
    team_id: str,
    mentee_user_id: str,
    mentor_user_id: str,
    topic: str,
    message: str,
    proposed_times: Sequence[datetime | None],
    duration_minutes: int | None = None,
    now: datetime,
) -> MeetingView:
    """A mentee asks a mentor for a one-time meeting at one of the proposed times.

    ``proposed_times`` keeps the form's positions (``None`` for a proposal left empty), so an
    error names the proposal it is about (``slot_1``...).

    Raises:
        NotAllowed: flash mentoring is off, or the directory is recommendations-only and this
            mentor is not recommended to the mentee.
        NotEnrolled / NotFound: the sender is no mentee, or the other person no mentor.
        InvalidInput: a bad topic, message, length or proposed time (in the past, twice, none,
            more than three), or asking yourself.
        Unavailable: the mentor has paused new requests.
        LimitReached: the mentee has as many pending meeting requests as the program allows.
        Duplicate: a meeting request to this mentor is already pending.
    """
    settings, mentee, mentor = _pair(session, team_id, mentee_user_id, mentor_user_id)
    clean_topic = validated_topic(topic)
    text = validated_message(message, settings, hint=MESSAGE_HINT)
    times = validated_times(proposed_times, now)
    minutes = validated_duration(duration_minutes)

    lock_members(session, mentee.id, mentor.id)
    _check_available(mentor, now)
    _check_pending(session, mentee, mentor, settings)
    meeting = MeetingRequest(
        team_id=team_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        topic=clean_topic,
        message=text,
        proposed_times=[store_time(t) for t in times],
        duration_minutes=minutes,
        status=RequestStatus.PENDING,
        created_at=now,
    )
    moves.send(
        session,
        meeting,
        actor_user_id=mentee_user_id,
        duplicate=errors.Duplicate(WAITING_FOR, name=mentor.display_name),
        now=now,
        proposed_times=list(meeting.proposed_times),
    )
    return MeetingView.of(meeting)


def accept_slot(
    *,
    session: Session,
    team_id: str,
    meeting_id: int,
    slot: int,
    actor_user_id: str,
    now: datetime,
) -> MeetingView:
    """The mentor accepts one of the proposed times (``slot``: its 0-based position).

    The pair's group DM gets the details and a calendar invitation; the mentee is told. A
    meeting less than a day (``TOMORROW``) ahead gets no day-before reminder: these notices
    are its announcement (``meeting_reminded_at`` is set to ``now``).

    Raises:
        NotFound / NotAllowed / AlreadyHandled: unknown meeting, wrong person, already answered.
        InvalidInput: no such proposed time, or it has passed.
        Unavailable: one of the two no longer has their role.
    """
    meeting = load_meeting(session, team_id, meeting_id)
    mentor = require_answerer(session, meeting, actor_user_id)
    ensure_pending(meeting)
    view = MeetingView.of(meeting)
    if not 0 <= slot < len(view.proposed_times):
        raise errors.InvalidInput("That time is not one of the proposed times.")
    chosen = view.proposed_times[slot]
    if chosen <= now:
        raise errors.InvalidInput("That time has already passed: choose another one or decline.")
    mentee = member_by_id(session, team_id, meeting.mentee_id)
    if not mentor.is_mentor:
        raise errors.Unavailable(
            "{name} is no longer {a_mentor} in this program.", name=mentor.display_name
        )
    if not mentee.is_mentee:
        raise errors.Unavailable(
            "{name} is no longer {a_mentee} in this program.", name=mentee.display_name
        )
    # The day-before reminder is for meetings accepted ahead of it: one set less than a day
    # ahead is marked as reminded now, or the next sweep would send "coming up" right after
    # the notices that just announced it.
    reminded: dict[str, Any] = {"meeting_reminded_at": now} if chosen - TOMORROW <= now else {}
    transition(session, meeting, RequestStatus.ACCEPTED, now, meeting_at=chosen, **reminded)
    request_event(
        session, meeting, actor_user_id, "meeting.accepted", now, meeting_at=chosen.isoformat()
    )
    # The group DM first: the invitation goes there and the mentee's notice links to it.
    notify(session, meeting, Notice.MEETING_SCHEDULED, None, now)
    notify(session, meeting, Notice.MEETING_INVITE, None, now)
    moves.tell_answered(session, meeting, Notice.MEETING_ACCEPTED, mentor.id, now)
    return MeetingView.of(meeting)


def decline(
    *,
    session: Session,
    team_id: str,
    meeting_id: int,
    actor_user_id: str,
    reason: str,
    note: str = "",
    now: datetime,
) -> MeetingView:
    """The mentor declines with one of the meeting decline reasons; the mentee sees it.

    The reasons are :func:`mentoring.meetings.rules.meeting_decline_reasons` in the program's
    words, not the program's decline reasons for mentoring requests.

    Raises:
        InvalidInput: a reason not in the list (``field="reason"``) or a note too long.
        NotFound / NotAllowed / AlreadyHandled: unknown meeting, wrong person, already answered.
    """
    settings = get_settings(session=session, team_id=team_id)
    meeting = load_meeting(session, team_id, meeting_id)
    moves.decline(
        session,
        meeting,
        actor_user_id=actor_user_id,
        reason=reason,
        note=note,
        reasons=meeting_decline_reasons(settings.words),
        now=now,
    )
    return MeetingView.of(meeting)


def withdraw(
    *, session: Session, team_id: str, meeting_id: int, actor_user_id: str, now: datetime
) -> MeetingView:
    """The mentee takes their meeting request back; the mentor's copy says so."""
    meeting = load_meeting(session, team_id, meeting_id)
    moves.withdraw(session, meeting, actor_user_id=actor_user_id, now=now)
    return MeetingView.of(meeting)


def check_can_answer(
    *, session: Session, team_id: str, meeting_id: int, actor_user_id: str
) -> tuple[MeetingView, MemberView]:
    """Check, before showing the decline form, that this mentor may still answer.

    Returns:
        The meeting request and the mentee who sent it.
    """
    meeting = load_meeting(session, team_id, meeting_id)
    require_answerer(session, meeting, actor_user_id)
    ensure_pending(meeting)
    mentee = member_by_id(session, team_id, meeting.mentee_id)
    return MeetingView.of(meeting), MemberView.of(mentee)


def get_meeting(*, session: Session, team_id: str, meeting_id: int) -> MeetingView:
    return MeetingView.of(load_meeting(session, team_id, meeting_id))


def set_meeting_conversation(
    *, session: Session, team_id: str, meeting_id: int, conversation_id: str
) -> None:
    """Remember the pair's group DM where the meeting was announced."""
    load_meeting(session, team_id, meeting_id).conversation_id = conversation_id
