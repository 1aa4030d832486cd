"""Telling the program admins that a mentee's preferences arrived in the matching queue.

One notification per (submission, admin), queued through the outbox with a dedupe key, so
announcing the same submission again (a retried submission, or the Slack admins looked up after
the configured ones) never tells anyone twice. The notice is rendered when it is sent: a
submission decided or withdrawn meanwhile is no longer announced.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice
from mentoring.core.outbox import insert_ignoring_duplicates, outbox_row
from store.enums import RequestKind, RequestStatus
from store.models import Request


def announce_submission(
    *,
    session: Session,
    team_id: str,
    submission_id: int,
    admin_user_ids: Iterable[str],
    now: datetime,
) -> int:
    """Queue "new preferences to match" for each admin, once per admin and submission.

    Args:
        session: an open write session (the caller's transaction).
        team_id: the workspace.
        submission_id: the submission's id (its rank-1 request id).
        admin_user_ids: Slack user ids of the program admins to tell.
        now: the time of the announcement.

    Returns:
        How many admins were addressed (those told already are skipped when it commits).
    """
    waiting = session.scalar(
        select(Request.id).where(
            Request.id == submission_id,
            Request.team_id == team_id,
            Request.kind == RequestKind.ADMIN_ROUTED,
            Request.preference_rank == 1,
            Request.status == RequestStatus.PENDING,
        )
    )
    admins = sorted({a.strip() for a in admin_user_ids if a and a.strip()})
    if waiting is None or not admins:
        return 0
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.ADMIN_SUBMISSION,
                now,
                request_id=submission_id,
                dedupe_key=f"submission:{submission_id}:{admin}",
                payload={"user": admin},
            )
            for admin in admins
        ],
    )
    return len(admins)
