"""The auto-close rule: an ask nobody answered closes ``auto_close_after_days`` after it was sent.

Requests, offers and admin-routed submissions follow it (the sweep closes them and tells both
sides, :mod:`mentoring.asks.sweep`); a meeting request closes instead when every proposed time
has passed (:mod:`mentoring.meetings.sweep`). The same rule appears in SQL, so that a sweep over
100,000 pending asks reads only those due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement

from mentoring.program.settings import ProgramSettings
from store.models import Request


def closes_at(created_at: datetime, settings: ProgramSettings) -> datetime:
    """When an ask sent at ``created_at`` closes if nobody answers it."""
    return created_at + timedelta(days=settings.auto_close_after_days)


def sent_before_closing(now: datetime, settings: ProgramSettings) -> datetime:
    """Asks sent at or before this moment are due to close at ``now``."""
    return now - timedelta(days=settings.auto_close_after_days)


def due_to_close(now: datetime, settings: ProgramSettings) -> ColumnElement[bool]:
    """The rule as a SQL condition on requests (the sweep's candidates)."""
    return Request.created_at <= sent_before_closing(now, settings)
