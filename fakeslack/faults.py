"""Faults to inject into Web API calls, and a simple per-method rate limit."""

from __future__ import annotations

import math
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


Fault = RateLimited | ServerError | SlackError | Delay


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``calls`` accepted calls per ``per_seconds``, counted globally or per channel."""

    calls: int
    per_seconds: float = 1.0
    scope: Literal["global", "channel"] = "global"

    def __post_init__(self) -> None:
        if self.calls < 1 or self.per_seconds <= 0:
            raise ValueError("a rate limit needs calls >= 1 and per_seconds > 0")


class SlidingWindow:
    """Sliding-window counter for one :class:`RateLimit` (callers hold the state lock)."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._accepted: dict[str, deque[float]] = {}

    def admit(self, key: str, now: float) -> int | None:
        """Count a call at ``now``; ``None`` if accepted, else the Retry-After in seconds."""
        window = self._accepted.setdefault(key, deque())
        horizon = now - self.limit.per_seconds
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) < self.limit.calls:
            window.append(now)
            return None
        return max(1, math.ceil(window[0] + self.limit.per_seconds - now))
