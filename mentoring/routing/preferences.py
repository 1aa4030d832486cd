"""Admin-routed matching: mentees submit ranked preferred mentors, an admin assigns one.

With ``matching_mode = admin_routed`` mentees do not ask mentors directly. They submit up to
three preferred mentors, ranked, with one message; each preference is a request of kind
ADMIN_ROUTED with ``preference_rank`` 1..3, all created together. Those rows are the
*submission*; its id is the id of its rank-1 row. The rules:

* Submitting needs the admin-routed mode, the mentee role, and fewer active relationships than
  the program allows. A mentee has one submission pending at a time, and it counts as **one**
  pending request toward ``max_pending_requests_per_mentee`` (with any direct requests left
  from before the mode changed): ranking three mentors is one ask, not three.
* Each preferred mentor is a current mentor, not the mentee, not paused, with an open slot and
  not already paired with the mentee; one to three different mentors. In a
  recommendations-only directory they must be among the mentee's recommendations.
* The program admins are told a submission arrived (a direct message with a button into the
  queue), once each; it is not sent if the submission was decided before it went out.
* Preferred mentors are never told about a preference: nobody asked them anything. The sweep
  neither reminds them nor escalates; it auto-closes a submission still waiting after
  ``auto_close_after_days`` and tells the mentee, so nobody waits forever on a forgotten queue.
* An admin assigns one preference: the relationship starts through
  :func:`mentoring.requests.answers.start_relationship` (the members locked, capacity and mentee
  limits
  counted under the lock, exactly as when a mentor accepts), the other preferences are
  cancelled, the mentee and the mentor are told and the pair gets its group DM. Or an admin
  closes the submission with a reason the mentee sees. The mentee may withdraw it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks.moves import new_request
from mentoring.core.audit import record_event
from mentoring.core.errors import (
    DomainError,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotEnrolled,
    Unavailable,
)
from mentoring.core.members import (
    active_as_mentee,
    active_as_mentor,
    find_member,
    lock_members,
    pending_sent_by_mentee,
    require_member,
)
from mentoring.core.views import MemberView
from mentoring.directory.fit import open_slots, pair_score
from mentoring.directory.search import DirectoryFilters, MentorMatch, search_mentors
from mentoring.program.settings import MatchingMode, ProgramSettings, get_settings
from mentoring.recommendations.service import require_recommended
from mentoring.requests.sending import _check_not_paired, _require_mentor, _validated_message
from mentoring.routing.notices import announce_submission
from mentoring.routing.submissions import Submission, submission_of
from store.enums import RequestKind, RequestStatus
from store.models import Member, Request

MAX_PREFERENCES = 3


def check_can_submit(*, session: Session, team_id: str, mentee_user_id: str) -> MemberView:
    """Check, before showing the form, that this person may submit preferences now.

    Raises:
        NotAllowed: the program is not in admin-routed mode.
        NotEnrolled: not enrolled as a mentee.
        LimitReached: a submission is already pending, or the mentee has enough mentors.
    """
    settings = get_settings(session=session, team_id=team_id)
    mentee = _require_mentee(session, team_id, mentee_user_id, settings)
    _check_limits(session, mentee, settings)
    return MemberView.of(mentee)


def submit_preferences(
    *,
    session: Session,
    team_id: str,
    mentee_user_id: str,
    mentor_user_ids: Sequence[str],
    message: str,
    now: datetime,
    admin_user_ids: Sequence[str] = (),
) -> Submission:
    """A mentee submits up to three ranked preferred mentors to the program admins.

    Args:
        session: an open write session.
        team_id: the workspace.
        mentee_user_id: Slack user id of the mentee.
        mentor_user_ids: the preferred mentors' Slack user ids, first choice first.
        message: what the mentee hopes for; the admins (and later the mentor) read it.
        now: the time of the submission.
        admin_user_ids: the program admins to tell, in the same transaction, that the
            submission waits in the queue (once each; see :mod:`mentoring.routing.notices`).

    Raises:
        NotAllowed: not in admin-routed mode, or a mentor the mentee may not choose
            (recommendations-only directory).
        NotEnrolled: the sender is not enrolled as a mentee.
        InvalidInput: no mentor, more than three, the same mentor twice, oneself, or a message
            too short or too long (``field`` names the preference or the message).
        NotFound: a chosen person is not a mentor.
        Unavailable: a chosen mentor is paused or has no open slot.
        LimitReached: a submission is already pending or the mentee has enough mentors.
        Duplicate: a chosen mentor is already the mentee's mentor or has their request.
    """
    settings = get_settings(session=session, team_id=team_id)
    mentee = _require_mentee(session, team_id, mentee_user_id, settings)
    chosen = [u.strip() for u in mentor_user_ids if u and u.strip()]
    if not chosen:
        raise InvalidInput("Choose at least your first preferred {mentor}.", field=_f(1))
    if len(chosen) > MAX_PREFERENCES:
        raise InvalidInput(
            "Choose at most {most} {mentors}.", field=_f(MAX_PREFERENCES), most=MAX_PREFERENCES
        )
    mentors: list[Member] = []
    for rank, user_id in enumerate(chosen, start=1):
        if user_id == mentee_user_id:
            raise InvalidInput("You can't choose yourself as your {mentor}.", field=_f(rank))
        if user_id in chosen[: rank - 1]:
            raise InvalidInput(
                "You chose this person already: pick someone else or leave it empty.",
                field=_f(rank),
            )
        with _about(rank):
            mentors.append(_require_mentor(session, team_id, user_id))
    text = _validated_message(message, settings)

    lock_members(session, mentee.id, *(m.id for m in mentors))
    _check_limits(session, mentee, settings)
    for rank, mentor in enumerate(mentors, start=1):
        with _about(rank):
            _check_choosable(session, settings, mentee, mentor, now)

    rows = [
        new_request(RequestKind.ADMIN_ROUTED, team_id, (mentee.id, mentor.id), text, now, rank)
        for rank, mentor in enumerate(mentors, start=1)
    ]
    session.add_all(rows)
    session.flush()
    record_event(
        session,
        team_id=team_id,
        actor=mentee_user_id,
        action="preferences.submitted",
        subject_type="request",
        subject_id=rows[0].id,
        after={
            "status": RequestStatus.PENDING.value,
            "mentee_id": mentee.id,
            "mentor_ids": [m.id for m in mentors],
            "request_ids": [r.id for r in rows],
        },
        at=now,
    )
    announce_submission(
        session=session,
        team_id=team_id,
        submission_id=rows[0].id,
        admin_user_ids=admin_user_ids,
        now=now,
    )
    return submission_of(session, rows, now)


def _f(rank: int) -> str:
    return f"preference_{rank}"


@contextmanager
def _about(rank: int) -> Iterator[None]:
    """Errors raised inside are about one preference: they point at its input."""
    try:
        yield
    except DomainError as err:
        if err.field in (None, "mentor"):
            err.field = _f(rank)
        raise


def _require_mentee(
    session: Session, team_id: str, user_id: str, settings: ProgramSettings
) -> Member:
    if settings.matching_mode is not MatchingMode.ADMIN_ROUTED:
        raise NotAllowed(
            "In this program you ask {mentors} directly: use Request on their card in "
            "`/find-mentor`."
        )
    mentee = require_member(session, team_id, user_id)
    if not mentee.is_mentee:
        raise NotEnrolled("Add the {mentee} role to your profile to choose {a_mentor}.")
    return mentee


def _check_limits(session: Session, mentee: Member, settings: ProgramSettings) -> None:
    if _pending_rows(session, mentee.id):
        raise LimitReached(
            "Your preferences are already with the program admins. Withdraw them from the "
            "app's Home tab if you'd like to change them."
        )
    if active_as_mentee(session, mentee.id) >= settings.max_active_relationships_per_mentee:
        raise LimitReached(
            "You already have as many {mentors} as the program allows ({most}).",
            most=settings.max_active_relationships_per_mentee,
        )
    # A submission counts as one pending request, however many mentors it ranks.
    if pending_sent_by_mentee(session, mentee.id) >= settings.max_pending_requests_per_mentee:
        raise LimitReached(
            "You have as many requests waiting as the program allows. Withdraw one from the "
            "app's Home tab before sending your preferences."
        )


def _check_choosable(
    session: Session, settings: ProgramSettings, mentee: Member, mentor: Member, now: datetime
) -> None:
    if mentor.paused_until is not None and mentor.paused_until > now:
        raise Unavailable("{name} isn't taking new {mentees} right now.", name=mentor.display_name)
    if active_as_mentor(session, mentor.id) >= mentor.mentor_capacity:
        raise Unavailable("{name} has no open mentoring slots right now.", name=mentor.display_name)
    _check_not_paired(session, mentee.id, mentor)
    require_recommended(session, settings, mentee, mentor)


def _pending_rows(session: Session, mentee_id: int) -> list[Request]:
    return list(
        session.scalars(
            select(Request)
            .where(
                Request.mentee_id == mentee_id,
                Request.status == RequestStatus.PENDING,
                Request.kind == RequestKind.ADMIN_ROUTED,
            )
            .order_by(Request.id)
        )
    )


def choices_for(
    *, session: Session, team_id: str, mentee_user_id: str, now: datetime, first: str | None
) -> tuple[MentorMatch, ...]:
    """The mentors a mentee can pick from in the preferences form, best match first.

    The 100 best-matching mentors with an open slot (Slack's limit of options per select), as
    the directory ranks them for this mentee (so only recommended ones in a recommendations-only
    directory); ``first``, the mentor whose card the form was opened from, is always among them.
    """
    found: list[MentorMatch] = []
    for page in (1, 2):
        result = search_mentors(
            session=session,
            team_id=team_id,
            searcher_user_id=mentee_user_id,
            filters=DirectoryFilters(only_open=True),
            now=now,
            page=page,
            page_size=50,
        )
        found.extend(result.results)
        if not result.has_more:
            break
    if first and all(m.mentor.slack_user_id != first for m in found):
        mentor = find_member(session, team_id, first)
        if mentor is not None and mentor.is_mentor:
            mentee = MemberView.of(require_member(session, team_id, mentee_user_id))
            view = MemberView.of(mentor)
            active = active_as_mentor(session, mentor.id)
            slots = open_slots(view, active)
            score = pair_score(mentee, view, open_slots=slots, now=now)
            found = [MentorMatch(view, score, active, slots, 0), *found[:99]]
    return tuple(found[:100])
