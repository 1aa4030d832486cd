"""Notifications Slack refused for good, counted for the admins' dashboard.

An outbox row is about a mentoring request (``request_id``) or a meeting request
(``meeting_id``); the caller names which column it counts by.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from store.enums import OutboxStatus
from store.models import OutboxMessage

Subject = InstrumentedAttribute[int | None]


def failed_total(session: Session, team_id: str, subject: Subject) -> int:
    """How many notifications about any item of this kind could not be delivered."""
    return (
        session.scalar(
            select(func.count()).where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.status == OutboxStatus.FAILED,
                subject.is_not(None),
            )
        )
        or 0
    )


def failed_by_item(
    session: Session, team_id: str, subject: Subject, ids: Collection[int]
) -> dict[int, int]:
    """Item id -> how many notifications about it could not be delivered (none: absent)."""
    if not ids:
        return {}
    return {
        item_id: count
        for item_id, count in session.execute(
            select(subject, func.count())
            .where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.status == OutboxStatus.FAILED,
                subject.in_(ids),
            )
            .group_by(subject)
        )
        if item_id is not None
    }
