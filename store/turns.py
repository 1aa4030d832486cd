"""Writers of one SQLite file in this process take turns, first come, first served.

SQLite lets one writer in at a time and is not fair about who is next: a writer that finds the
database locked sleeps and tries again (1 ms, then longer, up to 100 ms between tries), so
one that writes in a loop of short transactions, such as an admin's push of recommendations
to 100,000 mentees, can take the lock back before a waiting handler's next try, again and
again. :class:`Turns` queues this process's writers in the order they asked and hands the
lock to the first of them when a writer is done, so whoever waits gets in between two
batches of a long job, with no pause the job must guess. :class:`store.db.Database` takes a
turn before ``BEGIN IMMEDIATE``. (Writers in other processes still wait on SQLite's own
lock; one process per SQLite file is the embedded default.)
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    """One write at a time, in the order asked for (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._holder: int | None = None
        self._queue: deque[tuple[int, threading.Event]] = deque()

    @contextmanager
    def turn(self, timeout: float) -> Iterator[None]:
        """Wait for this thread's turn (at most ``timeout`` seconds), hold it in the block.

        Raises:
            RuntimeError: this thread holds a turn already (a write inside a write would
                wait for itself).
            TimeoutError: the turn did not come within ``timeout``.
        """
        me = threading.get_ident()
        ticket: threading.Event | None = None
        with self._lock:
            if self._holder == me:
                raise RuntimeError("a write session is open in this thread already")
            if self._holder is None and not self._queue:
                self._holder = me
            else:
                ticket = threading.Event()
                self._queue.append((me, ticket))
                self._changed.notify_all()
        if ticket is not None and not ticket.wait(timeout):
            with self._lock:
                if self._holder != me:  # not handed over while the wait ended: give up
                    self._queue.remove((me, ticket))
                    self._changed.notify_all()
                    raise TimeoutError(f"no turn to write within {timeout:g} s")
        try:
            yield
        finally:
            with self._lock:
                if self._queue:
                    self._holder, ticket = self._queue.popleft()
                    ticket.set()
                else:
                    self._holder = None
                self._changed.notify_all()

    def wait_for_queue(self, writers: int, timeout: float) -> bool:
        """Wait until ``writers`` writers are queued behind the holder; whether they are."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._queue) >= writers, timeout)


_BY_FILE: dict[str, Turns] = {}
_BY_FILE_LOCK = threading.Lock()


def turns_for(database: str | None) -> Turns:
    """The turns of a SQLite database file, shared by every engine on it in this process
    (an in-memory database, ``None`` or ``":memory:"``, gets its own)."""
    if not database or database == ":memory:":
        return Turns()
    path = os.path.realpath(database)
    with _BY_FILE_LOCK:
        found = _BY_FILE.get(path)
        if found is None:
            found = _BY_FILE[path] = Turns()
        return found
