"""A clock that can be moved by hand (console ``advance``, tests)."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """Callable returning the current time; starts at ``start`` (default: now) and only moves
    when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now
