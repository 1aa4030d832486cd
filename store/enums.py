"""Status and kind values stored in the database.

They live here, below the domain layer, because the schema (partial indexes, defaults) needs them;
``mentoring`` re-exports them as part of its vocabulary.
"""

from __future__ import annotations

from enum import StrEnum


class RequestKind(StrEnum):
    """Who started a request and how it is answered."""

    MENTEE_REQUEST = "mentee_request"  # the mentee asks; the mentor answers
    MENTOR_OFFER = "mentor_offer"  # the mentor offers; the mentee answers
    ADMIN_ROUTED = "admin_routed"  # a ranked preference; an admin assigns


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    CLOSED_BY_ADMIN = "closed_by_admin"
    CANCELLED = "cancelled"


class RelationshipStatus(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"
    ABANDONED = "abandoned"


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for (another) delivery attempt
    SENT = "sent"
    FAILED = "failed"  # permanent error or out of attempts; shown to admins
    DROPPED = (
        "dropped"  # no longer relevant when its turn came (e.g. reminder for an answered request)
    )
