"""What happens to any ask nobody answers: reminders, auto-close, an admin closing it.

Written once for every kind (:mod:`mentoring.asks.kinds` says who is told what); each kind's
package adds its own checks on top (a preference is never reminded, a meeting request expires
only when every proposed time has passed, a reminder to a mentor waits for working hours).
Every notice carries a dedupe key, so a racing sweep's copy is dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from mentoring.asks.cards import redraw_messages
from mentoring.asks.kinds import AskKind, AskRow, Side, kind_of
from mentoring.asks.lifecycle import (
    count_reminder,
    ensure_pending,
    notify_once,
    request_event,
    transition,
)
from mentoring.core.actors import SYSTEM_DEPARTURE, SYSTEM_SWEEP, Actor, require_admin
from mentoring.core.audit import Notice, record_event
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed
from store.enums import RequestStatus

MAX_CLOSE_REASON_LENGTH = 500

# An admin's "remind now" waits this long after any reminder, so a second click (or a second
# admin) does not send the same person the same nudge twice in a row.
ADMIN_REMIND_GAP = timedelta(hours=1)


def validated_close_reason(reason: str) -> str:
    """The reason an admin gives for closing an ask, which the mentee reads.

    Raises:
        InvalidInput: no reason, or one too long (``field="reason"``).
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give a reason: the {mentee} will see it.", field="reason")
    if len(reason) > MAX_CLOSE_REASON_LENGTH:
        raise InvalidInput(
            "Please keep the reason under {limit} characters.",
            field="reason",
            limit=MAX_CLOSE_REASON_LENGTH,
        )
    return reason


def check_admin_remind_gap(last_reminded_at: datetime | None, now: datetime) -> None:
    """Refuse an admin's reminder that would follow another one too closely.

    Raises:
        AlreadyHandled: the last reminder went out less than :data:`ADMIN_REMIND_GAP` ago.
    """
    if last_reminded_at is None or now - last_reminded_at >= ADMIN_REMIND_GAP:
        return
    minutes = int((now - last_reminded_at).total_seconds() // 60)
    wait = max(1, int((last_reminded_at + ADMIN_REMIND_GAP - now).total_seconds() // 60))
    raise AlreadyHandled(
        "A reminder went out {when}. Try again in {wait} min, so nobody gets the same nudge "
        "twice in a row.",
        when=f"{minutes} min ago" if minutes else "just now",
        wait=wait,
    )


def remind(
    session: Session, row: AskRow, *, actor: str, now: datetime, deliver_at: datetime | None = None
) -> int:
    """Queue a reminder to whoever answers ``row`` (delivered at ``deliver_at``, else now).

    The reminder number is part of the notice's dedupe key, and the counter moves with a
    conditional UPDATE, so two sweeps racing queue each reminder once.

    Returns:
        The reminder's number.

    Raises:
        AlreadyHandled: it was answered, or reminded a moment ago by someone else.
        NotAllowed: a kind nobody is reminded about (a preference).
    """
    kind = kind_of(row)
    if kind.notices.reminder is None:
        raise NotAllowed(f"Nobody is reminded about a {kind.noun} of this kind.")
    ensure_pending(row)
    number = count_reminder(session, row, actor, now)
    notify_once(
        session,
        row,
        kind.notices.reminder,
        kind.answerer_id(row),
        now,
        kind.key("reminder", row.id, number),
        deliver_at=deliver_at,
    )
    return number


def expire(session: Session, row: AskRow, now: datetime) -> None:
    """Close an ask that waited too long (the sweep); both sides are told as its kind says.

    Raises:
        AlreadyHandled: it was answered meanwhile.
    """
    kind = kind_of(row)
    ensure_pending(row)
    transition(session, row, RequestStatus.EXPIRED, now)
    request_event(session, row, SYSTEM_SWEEP, f"{kind.subject}.expired", now)
    _tell_both(
        session,
        kind,
        row,
        "expired",
        now,
        kind.notices.expired_to_asker,
        kind.notices.expired_to_answerer,
    )


def close_by_admin(
    session: Session, row: AskRow, *, actor: Actor, reason: str, now: datetime
) -> None:
    """An admin closes a pending ask with a reason the mentee reads; both sides are told.

    Raises:
        NotAllowed: the actor is not an admin.
        InvalidInput: no reason, or one too long (``field="reason"``).
        AlreadyHandled: it is no longer pending.
    """
    kind = kind_of(row)
    if not actor.is_admin:
        raise NotAllowed(f"Only program admins can close {kind.noun}s.")
    reason = validated_close_reason(reason)
    ensure_pending(row)
    mark_closed(session, row, actor=actor, reason=reason, now=now)
    _tell_both(
        session,
        kind,
        row,
        "closed",
        now,
        kind.notices.closed_to_asker,
        kind.notices.closed_to_answerer,
    )


def close_for_departure(
    session: Session,
    row: AskRow,
    *,
    departed_id: int,
    reason: str,
    now: datetime,
    tell: bool = True,
) -> None:
    """Cancel a pending ask because one of its two people left Slack, saying why.

    Every message that shows it is redrawn (the leaver's own too); an answerer who stays and was
    never sent a card gets a short note, and, with ``tell``, the person who stays is told (a
    preference's mentee is told once per submission, by the caller).

    Raises:
        AlreadyHandled: it is no longer pending.
    """
    kind = kind_of(row)
    ensure_pending(row)
    transition(
        session, row, RequestStatus.CANCELLED, now, close_reason=reason, closed_by=SYSTEM_DEPARTURE
    )
    request_event(session, row, SYSTEM_DEPARTURE, f"{kind.subject}.cancelled", now, reason=reason)
    answerer = kind.answerer_id(row)
    if kind.notices.updated is not None and answerer != departed_id:
        notify_once(session, row, kind.notices.updated, answerer, now, kind.key("gone", row.id, 0))
    stays = row.mentor_id if departed_id == row.mentee_id else row.mentee_id
    if tell:
        notify_once(
            session, row, Notice.ASK_DEPARTED, stays, now, kind.key("departed", row.id, stays)
        )


def cancel_accepted_for_departure(
    session: Session, row: AskRow, *, departed_id: int, reason: str, now: datetime
) -> bool:
    """Cancel an accepted ask still ahead (a meeting not yet held) because one of its two
    people left Slack: its cards are redrawn and whoever stays is told (once, whatever told
    them before shares the dedupe key).

    Returns:
        Whether it moved (``False``: no longer accepted, a retry or a race got there first).
    """
    model = type(row)
    moved = session.execute(
        update(model)
        .where(model.id == row.id, model.status == RequestStatus.ACCEPTED)
        .values(
            status=RequestStatus.CANCELLED,
            cancelled_at=now,
            close_reason=reason,
            closed_by=SYSTEM_DEPARTURE,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(row)
    kind = kind_of(row)
    record_event(
        session,
        team_id=row.team_id,
        actor=SYSTEM_DEPARTURE,
        action=f"{kind.subject}.cancelled",
        subject_type=kind.subject,
        subject_id=row.id,
        before={"status": RequestStatus.ACCEPTED.value},
        after={"status": row.status.value, "reason": reason},
        at=now,
    )
    redraw_messages(session, row, now)
    stays = row.mentor_id if departed_id == row.mentee_id else row.mentee_id
    notify_once(session, row, Notice.ASK_DEPARTED, stays, now, kind.key("departed", row.id, stays))
    return True


def mark_closed(session: Session, row: AskRow, *, actor: Actor, reason: str, now: datetime) -> None:
    """Move a pending ask to closed-by-an-admin with its (checked) reason, and record it.

    Nobody is told here: :func:`close_by_admin` tells both sides; a submission tells its mentee
    once for all its preferences.
    """
    transition(
        session,
        row,
        RequestStatus.CLOSED_BY_ADMIN,
        now,
        close_reason=reason,
        closed_by=actor.user_id,
    )
    request_event(session, row, actor.user_id, f"{kind_of(row).subject}.closed", now, reason=reason)


def check_remind_now(row: AskRow, actor: Actor, now: datetime) -> None:
    """Whether an admin's "remind now" may go out: an admin, a pending ask, not just reminded.

    Raises:
        NotAllowed: the actor is not an admin.
        AlreadyHandled: it is no longer pending, or a reminder went out less than
            :data:`ADMIN_REMIND_GAP` ago.
    """
    require_admin(actor)
    ensure_pending(row)
    check_admin_remind_gap(row.last_reminded_at, now)


def _tell_both(
    session: Session,
    kind: AskKind,
    row: AskRow,
    event: str,
    now: datetime,
    to_asker: Notice | None,
    to_answerer: Notice | None,
) -> None:
    """Queue the asker's and the answerer's notice, the mentee's first."""
    by_side = {kind.asker: to_asker, kind.answerer: to_answerer}
    for side, recipient in ((Side.MENTEE, row.mentee_id), (Side.MENTOR, row.mentor_id)):
        notice = by_side.get(side)
        if notice is not None:
            notify_once(session, row, notice, recipient, now, kind.key(event, row.id, recipient))
