"""Per-mentor figures the directory shows next to each mentor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.figures import DurationStats
from store.enums import RequestKind, RequestStatus
from store.models import Request

RECENT_ANSWERS = 20


def response_times(*, session: Session, mentor_ids: Sequence[int]) -> dict[int, timedelta]:
    """Typical (median) time each mentor took to answer their last requests.

    Keyed on member ids only (they belong to one workspace): a team_id filter here would make
    SQLite choose the workspace-wide index over (mentor_id, status).

    Only requests the mentor answered themself (accepted or declined) count, at most the last
    ``RECENT_ANSWERS`` each; mentors who never answered one are left out ("not known yet").
    """
    if not mentor_ids:
        return {}
    rows = session.execute(
        select(Request.mentor_id, Request.created_at, Request.answered_at)
        .where(
            Request.mentor_id.in_(set(mentor_ids)),
            Request.kind == RequestKind.MENTEE_REQUEST,
            Request.status.in_((RequestStatus.ACCEPTED, RequestStatus.DECLINED)),
        )
        .order_by(Request.answered_at.desc())
    )
    waits: dict[int, list[timedelta]] = defaultdict(list)
    for mentor_id, created_at, answered_at in rows:
        if answered_at is not None and len(waits[mentor_id]) < RECENT_ANSWERS:
            waits[mentor_id].append(answered_at - created_at)
    medians = {mentor_id: DurationStats.of(values).median for mentor_id, values in waits.items()}
    return {mentor_id: value for mentor_id, value in medians.items() if value is not None}
