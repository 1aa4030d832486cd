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
* Preferred mentors are never told about a preference: nobody asked them anything. The sweep
  neither reminds them nor escalates; it auto-closes a submission still waiting after
  ``auto_close_after_days`` and tells the mentee, so nobody waits forever on a forgotten queue.
* An admin assigns one preference: the relationship starts through
  :func:`mentoring.answers.start_relationship` (the members locked, capacity and mentee limits
  counted under the lock, exactly as when a mentor accepts), the other preferences are
  cancelled, the mentee and the mentor are told and the pair gets its group DM. Or an admin
  closes the submission with a reason the mentee sees. The mentee may withdraw it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mentoring.answers import close_open_requests_at_limit, start_relationship
from mentoring.audit import Notice, enqueue, record_event
from mentoring.directory import DirectoryFilters, MentorMatch, search_mentors
from mentoring.errors import (
    AlreadyHandled,
    DomainError,
    InvalidInput,
    LimitReached,
    NotAllowed,
    NotEnrolled,
    NotFound,
    Unavailable,
)
from mentoring.fit import active_mentees, open_slots, pair_score
from mentoring.followups import MAX_CLOSE_REASON_LENGTH
from mentoring.matching import MatchScore
from mentoring.members import (
    active_as_mentee,
    active_as_mentor,
    find_member,
    get_members,
    lock_members,
    member_by_id,
    pending_sent_by_mentee,
    require_member,
)
from mentoring.recommendations import require_recommended
from mentoring.requests import _check_not_paired, _require_mentor, _validated_message
from mentoring.settings import MatchingMode, ProgramSettings, get_settings
from mentoring.transitions import (
    SYSTEM_SWEEP,
    Actor,
    load_request,
    notify,
    request_event,
    transition,
)
from mentoring.views import MemberView, RelationshipView, RequestView
from store.enums import RequestKind, RequestStatus
from store.models import Member, Request

MAX_PREFERENCES = 3
RECENT_SUBMISSION = timedelta(days=30)  # how long Home keeps showing a decided submission


class SubmissionStatus(StrEnum):
    PENDING = "pending"  # waiting for an admin
    ASSIGNED = "assigned"  # an admin matched the mentee with one of the preferences
    CLOSED = "closed"  # an admin closed it with a reason
    WITHDRAWN = "withdrawn"  # the mentee took it back
    EXPIRED = "expired"  # waited longer than the auto-close setting
    CANCELLED = "cancelled"  # the mentee found a mentor another way


_FROM_REQUEST = {
    RequestStatus.PENDING: SubmissionStatus.PENDING,
    RequestStatus.ACCEPTED: SubmissionStatus.ASSIGNED,
    RequestStatus.CLOSED_BY_ADMIN: SubmissionStatus.CLOSED,
    RequestStatus.WITHDRAWN: SubmissionStatus.WITHDRAWN,
    RequestStatus.EXPIRED: SubmissionStatus.EXPIRED,
    RequestStatus.CANCELLED: SubmissionStatus.CANCELLED,
    RequestStatus.DECLINED: SubmissionStatus.CLOSED,  # never happens: nobody declines these
}


@dataclass(frozen=True, slots=True)
class Preference:
    """One ranked mentor of a submission, with how well and how soon they could take them."""

    request: RequestView
    rank: int
    mentor: MemberView
    score: MatchScore
    active_mentees: int
    open_slots: int
    paused: bool


@dataclass(frozen=True, slots=True)
class Submission:
    """A mentee's ranked preferences as one thing to decide on."""

    id: int  # the rank-1 preference's request id
    mentee: MemberView
    message: str
    created_at: datetime
    answered_at: datetime | None
    status: SubmissionStatus
    preferences: tuple[Preference, ...]
    close_reason: str | None

    @property
    def assigned(self) -> MemberView | None:
        """The mentor an admin assigned, once assigned."""
        return next(
            (p.mentor for p in self.preferences if p.request.status is RequestStatus.ACCEPTED),
            None,
        )


@dataclass(frozen=True, slots=True)
class Queue:
    """Pending submissions, oldest first, and how many there are in all."""

    submissions: tuple[Submission, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Assignment:
    submission: Submission
    relationship: RelationshipView


# --- submitting -----------------------------------------------------------------------------


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
) -> Submission:
    """A mentee submits up to three ranked preferred mentors to the program admins.

    Args:
        session: an open write session.
        team_id: the workspace.
        mentee_user_id: Slack user id of the mentee.
        mentor_user_ids: the preferred mentors' Slack user ids, first choice first.
        message: what the mentee hopes for; the admins (and later the mentor) read it.
        now: the time of the submission.

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
        raise InvalidInput(
            f"Choose at least your first preferred {_mentor(settings)}.", field=_f(1)
        )
    if len(chosen) > MAX_PREFERENCES:
        raise InvalidInput(
            f"Choose at most {MAX_PREFERENCES} {_mentor(settings)}s.", field=_f(MAX_PREFERENCES)
        )
    mentors: list[Member] = []
    for rank, user_id in enumerate(chosen, start=1):
        if user_id == mentee_user_id:
            raise InvalidInput(
                f"You can't choose yourself as your {_mentor(settings)}.", field=_f(rank)
            )
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
        Request(
            team_id=team_id,
            mentee_id=mentee.id,
            mentor_id=mentor.id,
            kind=RequestKind.ADMIN_ROUTED,
            message=text,
            status=RequestStatus.PENDING,
            preference_rank=rank,
            created_at=now,
        )
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
    return _submission(session, rows, now)


def _f(rank: int) -> str:
    return f"preference_{rank}"


def _mentor(settings: ProgramSettings) -> str:
    return settings.terminology.mentor


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
            f"In this program you ask {settings.terminology.mentor}s directly: use Request on "
            "their card in `/find-mentor`."
        )
    mentee = require_member(session, team_id, user_id)
    if not mentee.is_mentee:
        raise NotEnrolled(
            f"Add the {settings.terminology.mentee} role to your profile to choose a "
            f"{settings.terminology.mentor}."
        )
    return mentee


def _check_limits(session: Session, mentee: Member, settings: ProgramSettings) -> None:
    if _pending_rows(session, mentee.id):
        raise LimitReached(
            "Your preferences are already with the program admins. Withdraw them from the "
            "app's Home tab if you'd like to change them."
        )
    if active_as_mentee(session, mentee.id) >= settings.max_active_relationships_per_mentee:
        raise LimitReached(
            f"You already have as many {settings.terminology.mentor}s as the program allows "
            f"({settings.max_active_relationships_per_mentee})."
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
        raise Unavailable(
            f"{mentor.display_name} isn't taking new {settings.terminology.mentee}s right now."
        )
    if active_as_mentor(session, mentor.id) >= mentor.mentor_capacity:
        raise Unavailable(f"{mentor.display_name} has no open mentoring slots right now.")
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


# --- reading submissions --------------------------------------------------------------------


def _runs(rows: Sequence[Request]) -> list[list[Request]]:
    """Split one mentee's ADMIN_ROUTED rows (in id order) into submissions.

    Each submission starts with its rank-1 row and holds the rows after it; grouping by the rank
    rather than by timestamp keeps two submissions made within the same instant apart.
    """
    runs: list[list[Request]] = []
    for row in rows:
        if row.preference_rank == 1 or not runs or runs[-1][0].mentee_id != row.mentee_id:
            runs.append([row])
        else:
            runs[-1].append(row)
    return runs


def _rows_of(session: Session, request: Request) -> list[Request]:
    """Every preference of the submission ``request`` belongs to, by rank."""
    rows = session.scalars(
        select(Request)
        .where(
            Request.team_id == request.team_id,
            Request.mentee_id == request.mentee_id,
            Request.kind == RequestKind.ADMIN_ROUTED,
            Request.created_at == request.created_at,
        )
        .order_by(Request.id)
    ).all()
    run = next(run for run in _runs(rows) if request in run)
    return sorted(run, key=lambda r: (r.preference_rank or 0, r.id))


def _submissions(
    session: Session, team_id: str, runs: Sequence[Sequence[Request]], now: datetime
) -> tuple[Submission, ...]:
    people = get_members(
        session=session,
        team_id=team_id,
        ids={r.mentee_id for run in runs for r in run} | {r.mentor_id for run in runs for r in run},
    )
    loads = active_mentees(session, {r.mentor_id for run in runs for r in run})
    out = []
    for run in runs:
        rows = sorted(run, key=lambda r: (r.preference_rank or 0, r.id))
        mentee = people[rows[0].mentee_id]
        preferences = []
        for row in rows:
            mentor = people[row.mentor_id]
            active = loads.get(mentor.id, 0)
            slots = open_slots(mentor, active)
            preferences.append(
                Preference(
                    request=RequestView.of(row),
                    rank=row.preference_rank or 0,
                    mentor=mentor,
                    score=pair_score(mentee, mentor, open_slots=slots, now=now),
                    active_mentees=active,
                    open_slots=slots,
                    paused=mentor.is_paused(now),
                )
            )
        statuses = {row.status for row in rows}
        status = (
            SubmissionStatus.ASSIGNED
            if RequestStatus.ACCEPTED in statuses
            else _FROM_REQUEST[rows[0].status]
        )
        out.append(
            Submission(
                id=rows[0].id,
                mentee=mentee,
                message=rows[0].message,
                created_at=rows[0].created_at,
                answered_at=rows[0].answered_at,
                status=status,
                preferences=tuple(preferences),
                close_reason=rows[0].close_reason,
            )
        )
    return tuple(out)


def _submission(session: Session, rows: Sequence[Request], now: datetime) -> Submission:
    return _submissions(session, rows[0].team_id, [rows], now)[0]


def pending_queue(*, session: Session, team_id: str, now: datetime, limit: int = 10) -> Queue:
    """Submissions waiting for an admin, oldest first, with each preference's score and load.

    Args:
        session: an open session (nothing is written).
        team_id: the workspace.
        now: the current time (scores and pauses are taken at this instant).
        limit: how many submissions to return; ``total`` counts them all.
    """
    rows = session.scalars(
        select(Request)
        .where(
            Request.team_id == team_id,
            Request.status == RequestStatus.PENDING,
            Request.kind == RequestKind.ADMIN_ROUTED,
        )
        .order_by(Request.mentee_id, Request.id)
    ).all()
    runs = sorted(_runs(rows), key=lambda run: (run[0].created_at, run[0].id))
    return Queue(_submissions(session, team_id, runs[:limit], now), len(runs))


def get_submission(*, session: Session, team_id: str, request_id: int, now: datetime) -> Submission:
    """The submission a preference belongs to."""
    request = _load_preference(session, team_id, request_id)
    return _submission(session, _rows_of(session, request), now)


def latest_submission(
    *, session: Session, team_id: str, mentee_id: int, now: datetime
) -> Submission | None:
    """The mentee's newest submission while pending, or for a while after it was decided."""
    head = session.scalar(
        select(Request)
        .where(
            Request.team_id == team_id,
            Request.mentee_id == mentee_id,
            Request.kind == RequestKind.ADMIN_ROUTED,
            Request.preference_rank == 1,
        )
        .order_by(Request.id.desc())
        .limit(1)
    )
    if head is None:
        return None
    if head.status is not RequestStatus.PENDING and (
        head.answered_at is None or head.answered_at < now - RECENT_SUBMISSION
    ):
        return None
    return _submission(session, _rows_of(session, head), now)


def _load_preference(session: Session, team_id: str, request_id: int) -> Request:
    request = load_request(session, team_id, request_id)
    if request.kind is not RequestKind.ADMIN_ROUTED:
        raise NotFound("That isn't a submitted preference.")
    return request


def _require_pending(rows: Sequence[Request]) -> None:
    if not any(r.status is RequestStatus.PENDING for r in rows):
        words = {
            RequestStatus.ACCEPTED: "assigned",
            RequestStatus.CLOSED_BY_ADMIN: "closed by a program admin",
            RequestStatus.WITHDRAWN: "withdrawn",
            RequestStatus.EXPIRED: "closed automatically after waiting too long",
            RequestStatus.CANCELLED: "closed because the mentee found a mentor",
        }
        status = next(
            (r.status for r in rows if r.status is RequestStatus.ACCEPTED), rows[0].status
        )
        raise AlreadyHandled(f"These preferences were already {words.get(status, 'answered')}.")


# --- deciding -------------------------------------------------------------------------------


def assign(
    *, session: Session, team_id: str, request_id: int, actor: Actor, now: datetime
) -> Assignment:
    """An admin matches the mentee with one of their preferred mentors.

    The relationship starts exactly as when a mentor accepts a request (same locks, same
    limits, same group DM); the submission's other preferences are cancelled without telling
    those mentors, who were never asked. The mentee and the mentor are told.

    Raises:
        NotAllowed: the actor is not a program admin.
        NotFound: no such preference.
        AlreadyHandled: the submission was decided meanwhile.
        Unavailable: the mentor paused new mentees, or someone lost their role.
        LimitReached: the mentor is at capacity or the mentee already has enough mentors.
    """
    if not actor.is_admin:
        raise NotAllowed("Only program admins can assign mentors.")
    settings = get_settings(session=session, team_id=team_id)
    request = _load_preference(session, team_id, request_id)
    _require_pending(_rows_of(session, request))
    mentor = member_by_id(session, team_id, request.mentor_id)
    if mentor.paused_until is not None and mentor.paused_until > now:
        until = mentor.paused_until
        raise Unavailable(
            f"{mentor.display_name} paused new {settings.terminology.mentee}s until "
            f"{until:%B} {until.day}, {until:%Y}."
        )
    relationship = start_relationship(
        session,
        request,
        actor_user_id=actor.user_id,
        action="request.assigned",
        settings=settings,
        now=now,
    )
    rows = _rows_of(session, request)
    for other in rows:
        if other.id == request.id or other.status is not RequestStatus.PENDING:
            continue
        transition(session, other, RequestStatus.CANCELLED, now)
        request_event(session, other, actor.user_id, "request.cancelled", now)
    for recipient in (request.mentee_id, request.mentor_id):
        notify(
            session, request, Notice.MATCH_ASSIGNED, recipient, now, relationship_id=relationship.id
        )
    close_open_requests_at_limit(session, request.mentee_id, settings, actor.user_id, now)
    return Assignment(_submission(session, rows, now), RelationshipView.of(relationship))


def close_submission(
    *, session: Session, team_id: str, request_id: int, actor: Actor, reason: str, now: datetime
) -> Submission:
    """An admin closes a submission without assigning anyone; the mentee sees the reason.

    Raises:
        NotAllowed: the actor is not a program admin.
        InvalidInput: no reason, or one that is too long.
        NotFound: no such preference.
        AlreadyHandled: the submission was decided meanwhile.
    """
    if not actor.is_admin:
        raise NotAllowed("Only program admins can close submitted preferences.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give a reason: the mentee will see it.", field="reason")
    if len(reason) > MAX_CLOSE_REASON_LENGTH:
        raise InvalidInput(
            f"Please keep the reason under {MAX_CLOSE_REASON_LENGTH} characters.", field="reason"
        )
    rows = _locked_rows(session, team_id, request_id)
    for row in rows:
        if row.status is RequestStatus.PENDING:
            transition(
                session,
                row,
                RequestStatus.CLOSED_BY_ADMIN,
                now,
                close_reason=reason,
                closed_by=actor.user_id,
            )
            request_event(session, row, actor.user_id, "request.closed", now, reason=reason)
    notify(session, rows[0], Notice.MATCH_CLOSED, rows[0].mentee_id, now)
    return _submission(session, rows, now)


def withdraw_submission(
    *, session: Session, team_id: str, request_id: int, actor_user_id: str, now: datetime
) -> Submission:
    """The mentee takes their preferences back (to change them, or because plans changed).

    Raises:
        NotFound: no such preference.
        NotAllowed: the actor is not the mentee who submitted it.
        AlreadyHandled: the submission was decided meanwhile.
    """
    rows = _locked_rows(session, team_id, request_id)
    mentee = member_by_id(session, team_id, rows[0].mentee_id)
    if mentee.slack_user_id != actor_user_id:
        raise NotAllowed("Only the person who submitted these preferences can withdraw them.")
    for row in rows:
        if row.status is RequestStatus.PENDING:
            transition(session, row, RequestStatus.WITHDRAWN, now)
            request_event(session, row, actor_user_id, "request.withdrawn", now)
    return _submission(session, rows, now)


def _locked_rows(session: Session, team_id: str, request_id: int) -> list[Request]:
    """The submission's rows, read again under the mentee's lock (which assigning also takes)."""
    request = _load_preference(session, team_id, request_id)
    lock_members(session, request.mentee_id)
    rows = _rows_of(session, request)
    for row in rows:
        session.refresh(row)
    _require_pending(rows)
    return rows


def expire_submissions(
    *, session: Session, team_id: str, settings: ProgramSettings, now: datetime
) -> int:
    """Auto-close submissions that waited longer than ``auto_close_after_days`` (the sweep).

    Preferences are not reminded (mentors were not asked anything), but a queue nobody works
    through must not keep a mentee waiting forever: they are told, once per submission, and
    can submit again. Idempotent: rows move with a guarded UPDATE under the mentees' locks, so
    a second sweep (or one racing) finds nothing left to close.

    Returns:
        How many submissions were closed.
    """
    overdue = (
        Request.team_id == team_id,
        Request.status == RequestStatus.PENDING,
        Request.kind == RequestKind.ADMIN_ROUTED,
        Request.created_at <= now - timedelta(days=settings.auto_close_after_days),
    )
    # The mentees' locks first, as assigning, closing and withdrawing take them: a submission
    # is then expired whole or not at all, never half-way through an admin's assignment.
    mentees = session.scalars(select(Request.mentee_id).where(*overdue).distinct()).all()
    if not mentees:
        return 0
    lock_members(session, *mentees)
    due = session.scalars(
        select(Request).where(*overdue).order_by(Request.mentee_id, Request.id)
    ).all()
    if not due:
        return 0
    moved = set(
        session.scalars(
            update(Request)
            .where(Request.id.in_([r.id for r in due]), Request.status == RequestStatus.PENDING)
            .values(status=RequestStatus.EXPIRED, answered_at=now, expired_at=now)
            .returning(Request.id)
            .execution_options(synchronize_session=False)
        )
    )
    closed = 0
    for run in _runs(due):
        mine = [r for r in run if r.id in moved]
        if not mine:
            continue
        for row in mine:
            session.refresh(row)
            request_event(session, row, SYSTEM_SWEEP, "request.expired", now)
        head = mine[0]
        enqueue(
            session,
            team_id=team_id,
            notice=Notice.MATCH_EXPIRED,
            now=now,
            recipient_id=head.mentee_id,
            request_id=head.id,
            dedupe_key=f"submission-expired:{head.id}",
        )
        closed += 1
    return closed


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
