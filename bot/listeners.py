"""Bolt's listener pool, which a caller can wait on: tests, the console, graceful shutdown.

Bolt acknowledges a request as soon as its listener calls ``ack()`` and finishes the listener's
work (opening a modal, posting a message) on this pool afterwards. Waiting for the pool is how
a shutdown lets that work finish and how a test knows everything a request set off is done.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class ListenerPool(ThreadPoolExecutor):
    """A thread pool that counts the work it has not finished."""

    def __init__(self, workers: int = 8) -> None:
        super().__init__(max_workers=workers, thread_name_prefix="listener")
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def pending(self) -> list[Future[Any]]:
        """The work submitted and not finished yet."""
        with self._lock:
            self._futures = [f for f in self._futures if not f.done()]
            return list(self._futures)

    def wait_idle(self, timeout: float = 30.0) -> int:
        """Wait up to ``timeout`` seconds for all work (and what it submits); what is left."""
        deadline = time.monotonic() + timeout
        while pending := self.pending():
            left = deadline - time.monotonic()
            if left <= 0:
                return len(pending)
            _wait(pending[0], left)
        return 0


def _wait(future: Future[Any], timeout: float) -> None:
    with contextlib.suppress(TimeoutError):
        future.exception(timeout=timeout)
