"""Domain errors. Their messages are written for the person who caused them.

``field`` names the input the error is about (a profile or request field), so a Slack modal can
show it inline next to that field; ``None`` means the error is about the action as a whole.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule violation; nothing was changed when one is raised."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The input itself is wrong (length, unknown taxonomy value, date in the past...)."""


class NotFound(DomainError):
    """The workspace, member, request or relationship does not exist (in this workspace)."""


class NotEnrolled(DomainError):
    """The person has not enrolled in the role this action needs."""


class NotAllowed(DomainError):
    """The person is not the one allowed to do this (e.g. accepting someone else's request)."""


class LimitReached(DomainError):
    """A program limit would be exceeded (pending requests, active relationships, capacity)."""


class Unavailable(DomainError):
    """The other person cannot take this now (paused, at capacity)."""


class AlreadyHandled(DomainError):
    """The thing has already moved on (answered, withdrawn, expired...); nothing was done again."""


class Duplicate(DomainError):
    """The same thing already exists (a pending request to the same mentor)."""
