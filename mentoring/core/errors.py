"""Domain errors. Their messages are written for the person who caused them.

``field`` names the input the error is about (a profile or request field), so a Slack modal can
show it inline next to that field; ``None`` means the error is about the action as a whole.

A message is a template (see :mod:`mentoring.core.wording`): it names the roles with placeholders
such as ``{mentor}`` or ``{a_mentee}``, and takes people's names and other values as keyword
arguments, so whoever shows it fills in the program's own words with :meth:`DomainError.say`.
"""

from __future__ import annotations

from mentoring.core.wording import DEFAULT_WORDS, RoleWords, fill


class DomainError(Exception):
    """Base of every rule violation; nothing was changed when one is raised."""

    def __init__(self, message: str, *, field: str | None = None, **values: object) -> None:
        self.template = message
        self.values = values
        self.field = field
        # In the default words: for logs, the command line and anyone who has no settings.
        self.message = self.say(DEFAULT_WORDS)
        super().__init__(self.message)

    def say(self, words: RoleWords) -> str:
        """The message in the program's own words for mentor and mentee."""
        return fill(self.template, words, self.values)


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
