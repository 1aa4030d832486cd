"""When each workspace may send next: its pause after a 429, and the pace learned from 429s.

Slack counts its limits per method, per app, per workspace; ``chat.postMessage`` allows about
one message a second per channel (short bursts pass) under a workspace-wide ceiling it does not
publish, and answers 429 with ``Retry-After`` beyond. A dispatcher that sends as fast as it can
into a sliding window pays every window twice: the time to send the window's worth, then the
whole Retry-After. So a 429 does two things here:

- it **pauses** the workspace until Retry-After (plus ``MARGIN``);
- it **teaches a pace**: the sends Slack accepted from the workspace in the ``WINDOW`` before
  the 429 are what it allows; from then on the workspace starts at most ``SAFETY`` times that
  many sends in any ``WINDOW``, and no two closer than half the even spacing. Even spacing alone
  loses every moment the dispatcher is late (a slow render, a busy machine) for good; the window
  lets it catch up, at twice the pace at most, without ever holding more than Slack allowed.

A workspace never limited has no pace and sends at full speed. A pace is probed upwards
(``PROBE_STEP`` after each ``PROBE_AFTER`` without a 429) so a limit that lifted is noticed,
and forgotten once it passes ``UNPACED``; a 429 at a probed pace brings it back down to what
the window held. Fewer than ``MIN_EVIDENCE`` sends in the window before a 429 teach nothing
(one channel's burst, or a limit counted over a longer window): the pause alone handles those.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class _Pace:
    """One workspace's sending: its recent accepted sends and the pace learned from a 429."""

    recent: deque[datetime] = field(default_factory=deque)  # accepted sends, within WINDOW
    rate: float | None = None  # sends a second; None: full speed
    since: datetime | None = None  # when ``rate`` was learned or last probed upwards
    last: datetime | None = None  # the start of the latest send


class RateLimits:
    """When each workspace may send next (one per dispatcher, shared by its threads).

    Without it, the rows a 429 handed back wait, but the next claim takes the workspace's other
    due rows and hits the same limit again. A pause or a pace is read against the clock it was
    set by: when the wall clock has gone back past the moment a pause was set or the last send
    started, it no longer holds (it would otherwise silence the workspace for as long as the
    clock went back).

    Slack's rate-limit guide says Retry-After holds "the number of seconds until you can
    retry", counted from its answer. The pause is counted from the moment the send started
    (``now``), which is earlier than the 429 and than the first call Slack counted in the
    window. ``MARGIN`` keeps the first retry from landing before that call has left the window:
    without it, the drain of ``bench.sweep`` at 100,000 pending ran at 27.3 posts/s against
    34.1 with it (K = 40, 30 s each, same code otherwise, before pacing), half of the retries
    meeting a second 429 and a second pause.
    """

    MARGIN = timedelta(milliseconds=100)
    WINDOW = timedelta(seconds=1)  # chat.postMessage's limits are stated per second
    SAFETY = 0.95  # of the learned rate: room for jitter between our clock and Slack's
    MIN_EVIDENCE = 5  # accepted sends in WINDOW before a 429 that teach a pace
    PROBE_AFTER = timedelta(seconds=60)
    PROBE_STEP = 1.1
    UNPACED = 100.0  # sends a second: a pace probed past this is forgotten

    def __init__(self) -> None:
        self._until: dict[str, tuple[datetime, datetime]] = {}  # team -> (until, set at)
        self._paces: dict[str, _Pace] = {}
        self._lock = threading.Lock()

    def pause(self, team_id: str, until: datetime, now: datetime | None = None) -> None:
        """Slack answered 429 to a send started at ``now``: none until ``until``; learn a pace.

        ``now`` defaults to ``until`` (a pause that teaches nothing).
        """
        set_at = now if now is not None else until
        with self._lock:
            previous = self._until.get(team_id)
            end = until + self.MARGIN
            if previous is not None and previous[1] <= set_at:
                end = max(end, previous[0])
            self._until[team_id] = (end, set_at)
            if now is not None:
                self._learn(team_id, now)

    def _learn(self, team_id: str, now: datetime) -> None:
        pace = self._paces.setdefault(team_id, _Pace())
        accepted = sum(1 for at in pace.recent if now - self.WINDOW < at <= now)
        if accepted < self.MIN_EVIDENCE:
            return
        pace.rate, pace.since = self.SAFETY * accepted / self.WINDOW.total_seconds(), now

    def sent(self, team_id: str, at: datetime) -> None:
        """Slack accepted a send of ``team_id`` started at ``at``."""
        with self._lock:
            pace = self._paces.setdefault(team_id, _Pace())
            if pace.recent and at < pace.recent[-1]:
                pace.recent.clear()  # the clock went back: the old moments mean nothing now
            pace.recent.append(at)
            while pace.recent[0] <= at - self.WINDOW:
                pace.recent.popleft()
            pace.last = at

    def rate(self, team_id: str, now: datetime) -> float | None:
        """The sends a second ``team_id`` is paced at (``None``: full speed), probed at ``now``."""
        with self._lock:
            pace = self._paces.get(team_id)
            return None if pace is None else self._probe(pace, now)

    def _probe(self, pace: _Pace, now: datetime) -> float | None:
        if pace.rate is None or pace.since is None:
            return None
        if now < pace.since:
            pace.since = now  # the clock went back: count the quiet time from here
        steps = int((now - pace.since) / self.PROBE_AFTER)
        if steps:
            pace.rate *= self.PROBE_STEP**steps
            pace.since += steps * self.PROBE_AFTER
            if pace.rate > self.UNPACED:
                pace.rate = pace.since = None  # the limit lifted: full speed again
        return pace.rate

    def ready_at(self, team_id: str, now: datetime) -> datetime:
        """When ``team_id``'s next send may start: ``now``, the end of a pause, or its slot."""
        ready = self.until(team_id, now) or now
        with self._lock:
            pace = self._paces.get(team_id)
            if pace is None or pace.last is None or pace.last > now:
                return ready  # never limited, never sent, or the clock went back past it
            rate = self._probe(pace, now)
            if rate is None:
                return ready
            most = max(1, int(rate * self.WINDOW.total_seconds()))  # sends in any WINDOW
            ready = max(ready, pace.last + self.WINDOW / (2 * most))
            if len(pace.recent) >= most:
                ready = max(ready, pace.recent[-most] + self.WINDOW)
            return ready

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
