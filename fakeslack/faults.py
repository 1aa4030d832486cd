"""Faults to inject into Web API calls (errors, delays, holds), and per-method rate limits."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class RateLimited:
    """Answer HTTP 429 with ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``."""

    retry_after: int = 1


@dataclass(frozen=True, slots=True)
class ServerError:
    """Answer a 5xx (500 or 503 in practice) without touching the workspace."""

    status: int = 500


@dataclass(frozen=True, slots=True)
class SlackError:
    """Answer HTTP 200 ``{"ok": false, "error": error, **extra}`` without doing the call."""

    error: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Delay:
    """Wait ``seconds`` before answering the call normally (the only thing that sleeps)."""

    seconds: float


class Hold:
    """Keep a call waiting until the test releases it: order races without sleeping.

    The fake takes the call, signals :meth:`wait_arrived`, then answers only after
    :meth:`release`. With ``applied=False`` (the default) nothing has happened yet while the call
    waits: Slack has not seen it. With ``applied=True`` the call takes effect at once and only
    the answer waits: Slack did it, the app has not heard. A call still held after ``timeout``
    seconds is answered 500 ``internal_error`` (a test that forgot to release fails loudly
    instead of hanging); :meth:`release` is idempotent.

    Usage::

        hold = Hold()
        state.inject("views.update", hold)
        ...start the request in a thread...
        hold.wait_arrived()
        ...do what must happen first...
        hold.release()
    """

    def __init__(self, *, applied: bool = False, timeout: float = 30.0) -> None:
        self.applied = applied
        self.timeout = timeout
        self._arrived = threading.Event()
        self._released = threading.Event()

    @property
    def arrived(self) -> bool:
        """Whether the held call has reached the fake."""
        return self._arrived.is_set()

    @property
    def released(self) -> bool:
        """Whether the test has let the call go."""
        return self._released.is_set()

    def wait_arrived(self, timeout: float = 10.0) -> None:
        """Block until the held call has reached the fake.

        Raises:
            TimeoutError: it did not arrive within ``timeout`` seconds.
        """
        if not self._arrived.wait(timeout):
            raise TimeoutError(f"no held call arrived within {timeout} s")

    def release(self) -> None:
        """Let the held call be answered."""
        self._released.set()

    def hold(self) -> bool:
        """(The fake's side) signal arrival and wait; False if never released in time."""
        self._arrived.set()
        return self._released.wait(self.timeout)

    def __repr__(self) -> str:
        return f"Hold(applied={self.applied}, arrived={self.arrived}, released={self.released})"


Fault = RateLimited | ServerError | SlackError | Delay | Hold


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``calls`` accepted calls per ``per_seconds``, counted globally or per channel.

    Without ``burst`` the count is a sliding window: any ``calls`` within ``per_seconds`` pass,
    however bunched. With ``burst`` it is a bucket of ``burst`` calls refilled at
    ``calls / per_seconds`` a second: a burst passes, then the steady rate.
    """

    calls: int
    per_seconds: float = 1.0
    scope: Literal["global", "channel"] = "global"
    burst: int | None = None

    def __post_init__(self) -> None:
        if self.calls < 1 or self.per_seconds <= 0 or (self.burst is not None and self.burst < 1):
            raise ValueError("a rate limit needs calls >= 1, per_seconds > 0 and burst >= 1")


class SlidingWindow:
    """The counter for one :class:`RateLimit` (callers hold the state lock)."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._accepted: dict[str, deque[float]] = {}
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, as of)

    def admit(self, key: str, now: float) -> int | None:
        """Count a call at ``now``; ``None`` if accepted, else the Retry-After in seconds."""
        if self.limit.burst is not None:
            return self._take(key, now, self.limit.burst)
        window = self._accepted.setdefault(key, deque())
        horizon = now - self.limit.per_seconds
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) < self.limit.calls:
            window.append(now)
            return None
        return max(1, math.ceil(window[0] + self.limit.per_seconds - now))

    def _take(self, key: str, now: float, burst: int) -> int | None:
        rate = self.limit.calls / self.limit.per_seconds
        tokens, then = self._buckets.get(key, (float(burst), now))
        tokens = min(float(burst), tokens + (now - then) * rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return None
        self._buckets[key] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / rate))
