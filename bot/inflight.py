"""A count of work in flight that a stopping process can wait on (requests, envelopes)."""

from __future__ import annotations

import threading
import time


class Counter:
    """How many pieces of work have started and not finished yet; thread-safe."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = threading.Condition()

    def start(self) -> None:
        with self._idle:
            self._count += 1

    def done(self) -> None:
        with self._idle:
            self._count -= 1
            self._idle.notify_all()

    @property
    def count(self) -> int:
        with self._idle:
            return self._count

    def wait_idle(self, deadline: float) -> int:
        """Wait until nothing is in flight or ``deadline`` (monotonic); how many remain."""
        with self._idle:
            while self._count and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            return self._count
