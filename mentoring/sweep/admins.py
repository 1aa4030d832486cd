"""What the sweep tells the program admins: asks waiting too long, and the weekly digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice
from mentoring.core.outbox import insert_ignoring_duplicates, outbox_row
from mentoring.program.settings import ProgramSettings
from store.models import OutboxMessage

DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR_UTC = 9
MAX_LISTED = 50  # request ids an escalation names; the count says how many there were
MAX_SUBMISSIONS_LISTED = 5000  # the admins' notice counts and links each submission


def escalate(
    session: Session,
    team_id: str,
    admins: Sequence[str],
    now: datetime,
    requests: Sequence[int],
    submissions: Sequence[int],
) -> int:
    """Tell each admin, in one notice, which requests and submissions were escalated now."""
    if not (requests or submissions) or not admins:
        return 0
    stamp = now.strftime("%Y%m%dT%H%M%S")
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.ADMIN_ESCALATION,
                now,
                dedupe_key=f"escalation:{stamp}:{admin}",
                payload={
                    "user": admin,
                    "request_ids": sorted(requests)[:MAX_LISTED],
                    "count": len(requests),
                    "submission_ids": sorted(submissions)[:MAX_SUBMISSIONS_LISTED],
                },
            )
            for admin in admins
        ],
    )
    return len(requests) + len(submissions)


def digest(
    session: Session,
    team_id: str,
    settings: ProgramSettings,
    admins: Sequence[str],
    now: datetime,
) -> int:
    """Queue this week's digest once the week's digest time has passed (once per admin)."""
    if not settings.weekly_digest or not admins:
        return 0
    monday = now.date() - timedelta(days=now.weekday())
    due = datetime.combine(monday, time(DIGEST_HOUR_UTC), tzinfo=now.tzinfo)
    if now < due:
        return 0
    year, week, _ = now.isocalendar()
    existing = set(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.dedupe_key.in_([f"digest:{year}-W{week:02d}:{a}" for a in admins]),
            )
        )
    )
    rows = [
        outbox_row(
            team_id,
            Notice.ADMIN_DIGEST,
            now,
            dedupe_key=key,
            payload={"user": admin},
        )
        for admin in admins
        if (key := f"digest:{year}-W{week:02d}:{admin}") not in existing
    ]
    insert_ignoring_duplicates(session, rows)
    return len(rows)
