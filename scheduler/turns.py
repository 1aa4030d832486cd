"""Which claimed row goes next, and how long a delivery run waits for one.

Within a batch the row whose workspace may send soonest goes first (claim order among equals),
so a workspace paced after a 429 never holds up another's rows; a workspace whose next slot is
more than ``HOLD`` away has its rows handed back, to be claimed when it may send. When every
row still due is held by a pause or a slot that ends within ``LINGER``, the run waits for it
instead of leaving the rows to the next scheduled run (up to ``DELIVERY_INTERVAL_SECONDS``
later). Waits go through an injected ``Wait`` (the scheduler's stop event's ``wait``), so a
stop ends them at once and tests drive them with a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from scheduler.outbox_rows import upcoming
from scheduler.rate_limits import RateLimits
from store.db import Database
from store.models import OutboxMessage

HOLD = timedelta(seconds=2)  # a claimed row whose slot is further away is handed back
LINGER = timedelta(seconds=15)  # a run waits for rows held by a pause or slot ending sooner
MIN_WAIT = 0.005  # seconds: a wait never spins

Wait = Callable[[float], bool]  # wait up to so many seconds; True: stopped meanwhile


def resume_at(db: Database, limits: RateLimits, now: datetime) -> datetime | None:
    """When the soonest row held by a pause or a paced slot may go, if within ``LINGER``."""
    horizon = now + LINGER
    held = [max(at, limits.ready_at(team, now)) for team, at in upcoming(db, now, horizon).items()]
    soonest = min(held, default=None)
    return soonest if soonest is not None and soonest <= horizon else None


@dataclass(frozen=True)
class Pacing:
    """What a batch needs to take turns: the workspaces' slots, the time, a way to wait."""

    limits: RateLimits
    clock: Callable[[], datetime]
    wait: Wait | None


def next_turn(
    queue: list[int], rows: dict[int, OutboxMessage], limits: RateLimits, now: datetime
) -> tuple[int, datetime]:
    """The row whose workspace may send soonest (the first claimed among equals), and when."""
    best: tuple[datetime, int] | None = None
    seen: set[str] = set()
    for outbox_id in queue:
        team_id = rows[outbox_id].team_id
        if team_id in seen:
            continue
        seen.add(team_id)
        ready = limits.ready_at(team_id, now)
        if best is None or ready < best[0]:
            best = (ready, outbox_id)
            if ready <= now:
                break  # free now: nothing goes sooner
    assert best is not None  # noqa: S101 - the queue is not empty
    return best[1], best[0]
