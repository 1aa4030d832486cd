"""When each workspace may send again after Slack answered 429, kept by one dispatcher."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class RateLimits:
    """When each workspace may send again after Slack answered 429 (one per dispatcher).

    Without it, the rows a 429 handed back wait, but the next claim takes the workspace's other
    due rows and hits the same limit again. A pause is read against the clock it was set by:
    when the wall clock has gone back past the moment a pause was set, the pause is over (it
    would otherwise silence the workspace for as long as the clock went back).

    Slack's rate-limit guide says Retry-After holds "the number of seconds until you can
    retry", counted from its answer. The pause is counted from the batch's moment instead
    (``now``: a run without a clock has one for all its batches), which is earlier than the
    429 and earlier than the first call Slack counted in the window. ``MARGIN`` keeps the
    first retry from landing before that call has left the window: without it, the drain of
    ``bench.sweep`` at 100,000 pending ran at 27.3 posts/s against 34.1 with it (K = 40, 30 s
    each, same code otherwise), half of the retries meeting a second 429 and a second pause.
    """

    MARGIN = timedelta(milliseconds=100)

    def __init__(self) -> None:
        self._until: dict[str, tuple[datetime, datetime]] = {}  # team -> (until, set at)
        self._lock = threading.Lock()

    def pause(self, team_id: str, until: datetime, now: datetime | None = None) -> None:
        """No more sends for ``team_id`` until ``until`` (set at ``now``, default ``until``)."""
        set_at = now if now is not None else until
        with self._lock:
            previous = self._until.get(team_id)
            end = until + self.MARGIN
            if previous is not None and previous[1] <= set_at:
                end = max(end, previous[0])
            self._until[team_id] = (end, set_at)

    def until(self, team_id: str, now: datetime) -> datetime | None:
        """When ``team_id`` may send again, if it is paused at ``now``."""
        with self._lock:
            found = self._until.get(team_id)
        if found is None or not found[1] <= now < found[0]:
            return None
        return found[0]

    def paused(self, now: datetime) -> list[str]:
        """The workspaces paused at ``now``."""
        with self._lock:
            return sorted(
                team for team, (until, set_at) in self._until.items() if set_at <= now < until
            )
