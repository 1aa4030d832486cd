"""Stopping a run mode gracefully on SIGTERM or SIGINT.

The first signal asks the process to stop: it stops taking new work, lets what is in flight
finish for up to SHUTDOWN_GRACE_SECONDS, logs one line saying what it drained, and exits 0
(1 when the grace period ran out with work still running). A second signal exits at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger("bot.shutdown")

EXIT_ABANDONED = 1


class Shutdown:
    """The stop request of a process: set by the first SIGTERM/SIGINT, waited on by main."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.reason = ""
        self._received_at = 0.0

    def install(self) -> Shutdown:
        """Handle SIGTERM and SIGINT (call from the main thread)."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        return self

    def request(self, reason: str) -> None:
        """Ask for a stop without a signal (e.g. the process cannot go on)."""
        if not self.requested.is_set():
            self.reason, self._received_at = reason, time.monotonic()
            self.requested.set()

    def wait(self) -> None:
        """Block until a stop is requested (waking often, so signals are handled promptly)."""
        while not self.requested.wait(0.5):
            pass

    def since(self) -> float:
        """Seconds since the stop was requested."""
        return time.monotonic() - self._received_at

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.requested.is_set():
            log.warning("second %s while stopping: exiting at once", name)
            exit_now(128 + signum)
        log.info("%s received: stopping; a second signal exits at once", name)
        self.request(name)


def exit_now(code: int) -> None:
    """Flush the logs and standard streams, then leave without waiting for any thread."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


@dataclass
class Drain:
    """What a stopping process finished (or gave up on), for its last log line."""

    reason: str
    grace: float
    drained: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)

    def count(self, what: str, before: int, after: int) -> None:
        """``before`` things of kind ``what`` were in flight; ``after`` still are."""
        if before - after > 0:
            self.drained.append(_plural(before - after, what))
        if after > 0:
            self.abandoned.append(_plural(after, what))

    def job(self, names: list[str], left: list[str]) -> None:
        self.drained.extend(f"the {n} job" for n in names if n not in left)
        self.abandoned.extend(f"the {n} job" for n in left)

    def line(self, seconds: float) -> str:
        done = f"drained {', '.join(self.drained)}" if self.drained else "nothing was in flight"
        text = f"stopped after {self.reason} in {seconds:.1f} s: {done}"
        if self.abandoned:
            text += (
                f"; SHUTDOWN_GRACE_SECONDS ({self.grace:g} s) ran out with "
                f"{', '.join(self.abandoned)} still running"
            )
        return text

    @property
    def code(self) -> int:
        return EXIT_ABANDONED if self.abandoned else 0


def _plural(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def finish(shutdown: Shutdown, drain: Drain, *, cleanup: Callable[[], None] | None = None) -> None:
    """Log the drain line and exit with its code (never returns)."""
    if cleanup is not None:
        try:
            cleanup()
        except Exception:  # a failing close must not hide the drain line or the exit code
            log.exception("while closing")
    log.info("%s", drain.line(shutdown.since()))
    exit_now(drain.code)
