"""The fake's traffic controls: the call log, queued faults and per-method rate limits."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fakeslack.faults import Fault, Hold, RateLimit, SlidingWindow
from fakeslack.records import CallRecord

T = TypeVar("T")


class Traffic:
    """Every call the fake answered, and what it should do to the next ones.

    Shares the workspace lock so a test reading the log sees whole calls only.
    """

    def __init__(
        self,
        lock: threading.RLock,
        clock: Callable[[], float],
        limits: Mapping[str, RateLimit] | None = None,
    ) -> None:
        self._lock = lock
        self._answered = threading.Condition(lock)  # notified after every call is logged
        self._clock = clock
        self._calls: list[CallRecord] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._limits = {m: SlidingWindow(limit) for m, limit in (limits or {}).items()}
        self._holds: list[Hold] = []

    def record(self, call: CallRecord) -> None:
        """Append one answered call to the log."""
        with self._answered:
            self._calls.append(call)
            self._answered.notify_all()

    def wait_for(self, condition: Callable[[], T], timeout: float) -> T | None:
        """Block until ``condition()`` is truthy, checking it now and after each logged call.

        Every change a Web API call makes to the workspace is done before the call is logged,
        so a condition on what Slack holds (views, messages, the log itself) is seen as soon as
        it holds, without polling. ``condition`` runs under the workspace lock.

        Returns:
            The condition's last value: truthy, or falsy when ``timeout`` seconds passed first.
        """
        with self._answered:
            return self._answered.wait_for(condition, timeout)

    def calls(self, method: str | None = None) -> list[CallRecord]:
        """The calls answered so far, oldest first, optionally only those to ``method``."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def reset_calls(self) -> None:
        """Forget the call log (faults and limits stay)."""
        with self._lock:
            self._calls.clear()

    def inject(self, method: str, *faults: Fault) -> None:
        """Queue faults for ``method``; each call to it consumes one, in order.

        ``method`` may be ``"*"``: those faults apply to any method whose own queue is empty.
        """
        with self._lock:
            self._faults.setdefault(method, deque()).extend(faults)
            self._holds.extend(f for f in faults if isinstance(f, Hold))

    def release_holds(self) -> None:
        """Release every hold ever injected (the fake is shutting down)."""
        with self._lock:
            holds = list(self._holds)
        for hold in holds:
            hold.release()

    def next_fault(self, method: str) -> Fault | None:
        """Take the next queued fault for ``method`` (or from ``"*"``), if any."""
        with self._lock:
            for key in (method, "*"):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
            return None

    def pending_faults(self, method: str) -> int:
        """How many faults are still queued for ``method`` itself."""
        with self._lock:
            return len(self._faults.get(method, ()))

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._faults.clear()

    def set_rate_limit(self, method: str, limit: RateLimit | None) -> None:
        """Limit ``method`` (``None`` removes the limit); calls beyond it get 429."""
        with self._lock:
            if limit is None:
                self._limits.pop(method, None)
            else:
                self._limits[method] = SlidingWindow(limit)

    def rate_limit(self, method: str) -> RateLimit | None:
        """The limit ``method`` is held to now, if any."""
        with self._lock:
            window = self._limits.get(method)
            return window.limit if window else None

    def retry_after(self, method: str, params: Mapping[str, Any], team: str = "") -> int | None:
        """Count a call against ``method``'s limit; the Retry-After seconds if it is over.

        Slack counts per method, per workspace (``team``), per app; a per-channel limit also
        per channel.
        """
        with self._lock:
            window = self._limits.get(method)
            if window is None:
                return None
            channel = str(params.get("channel", "")) if window.limit.scope == "channel" else ""
            return window.admit(f"{team}/{channel}", self._clock())
