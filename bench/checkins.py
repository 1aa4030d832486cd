"""Benchmark the sweep's check-in step: every active pair due for its check-in at once.

    python -m bench.sweep --checkins 20000 [--due 20000]
    python -m bench.checkins [--pairs 20000] [--due 20000]

A migrated SQLite file (temp dir) gets one workspace with default settings (a check-in every 14
days), ``--pairs`` active relationships between ``bench.search`` profiles (mentors in UTC or
European zones) of which ``--due`` are due at ``SWEEP_NOW``: a third never checked in, the rest
at their 1st to 6th check-in (the previous one still open, so asking closes it). One
``sweep_all`` is timed, then a second one at the same moment (it must ask nothing). The rows are
counted afterwards: one check-in, one event and one notice (dedupe key) per due pair. The last
line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.search import TEAM, _insert, _member_rows
from bench.sweep import SWEEP_NOW, ZONES
from mentoring.sweep.sweep import sweep_all
from store.db import Database, create_db_engine
from store.enums import RelationshipStatus
from store.migrate import upgrade
from store.models import CheckIn, Member, OutboxMessage, Relationship, Workspace

TARGET_S = 2.0
EVERY = timedelta(days=14)


def build(path: Path, pairs: int, due: int, seed: int) -> Database:
    """A migrated SQLite file with ``pairs`` active relationships, ``due`` of them due now."""
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    rng = random.Random(seed)
    mentors = max(1, pairs // 2)  # two mentees each
    rows = list(_member_rows(rng, mentors))
    mentees = [r["id"] for r in rows if not r["is_mentor"]]
    if len(mentees) < pairs:
        raise SystemExit(f"only {len(mentees)} mentees for {pairs} pairs")
    for row in rows:
        row["tz"] = rng.choice(ZONES)
    checkins: list[dict[str, Any]] = []

    def relationships() -> Iterator[dict[str, Any]]:
        for n in range(pairs):
            asked = n % 7 if n < due else 0  # 0: never checked in yet
            if n < due:
                last = SWEEP_NOW - EVERY - timedelta(minutes=rng.randint(0, 600)) if asked else None
                started = (last or SWEEP_NOW - EVERY) - asked * EVERY - timedelta(hours=1)
            else:  # started or last asked less than 14 days ago
                last = None
                started = SWEEP_NOW - timedelta(days=rng.randint(0, 13))
            if asked:
                checkins.append(
                    {
                        "team_id": TEAM,
                        "relationship_id": n + 1,
                        "number": asked,
                        "since": started,
                        "asked_at": last,
                    }
                )
            yield {
                "id": n + 1,
                "team_id": TEAM,
                "mentor_id": 1 + n % mentors,
                "mentee_id": mentees[n],
                "status": RelationshipStatus.ACTIVE,
                "started_at": started,
                "hidden_from_profile": False,
                "checkins_asked": asked,
                "last_checkin_at": last,
            }

    with engine.begin() as conn:
        conn.execute(
            insert(Workspace), [{"team_id": TEAM, "created_at": SWEEP_NOW, "settings": {}}]
        )
        _insert(conn, Member.__table__, iter(rows))
        _insert(conn, Relationship.__table__, relationships())
        _insert(conn, CheckIn.__table__, iter(checkins))
    return Database(engine)


def run(pairs: int, due: int, seed: int) -> dict[str, Any]:
    """Build, sweep twice, count; print the table and return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-checkins-") as tmp:
        db = build(Path(tmp) / "checkins.sqlite3", pairs, due, seed)
        started, cpu = time.perf_counter(), time.process_time()
        first = sweep_all(session_factory=db.write, now=SWEEP_NOW)
        sweep_s, sweep_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        again = sweep_all(session_factory=db.write, now=SWEEP_NOW)
        again_s = time.perf_counter() - started
        with db.read() as s:
            asked_now = s.scalar(
                select(func.count()).select_from(CheckIn).where(CheckIn.asked_at == SWEEP_NOW)
            )
            notices = s.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind == "checkin.asked")
            )
        db.dispose()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    checks = (
        ("check-in sweep s", f"{sweep_s:.2f}", f"<= {TARGET_S:g}", sweep_s <= TARGET_S),
        ("pairs asked", first.relationships.checkins, due, first.relationships.checkins == due),
        ("check-in rows", asked_now, due, asked_now == due),
        ("notices queued", notices, due, notices == due),
        (
            "asked by a 2nd sweep",
            again.relationships.checkins,
            0,
            again.relationships.checkins == 0,
        ),
        ("2nd sweep s", f"{again_s:.2f}", "", None),
    )
    print(f"{pairs} active pairs, {due} due for a check-in at {SWEEP_NOW:%a %H:%M} UTC")
    print(f"load average during the run: {load} on {os.cpu_count()} CPUs")
    header = f"{'measure':<26}{'value':>10}  {'target':<10}result"
    print(header)
    print("-" * len(header))
    for name, value, target, ok in checks:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{name:<26}{value!s:>10}  {target!s:<10}{verdict}")
    return {
        "case": "checkins",
        "pairs": pairs,
        "due": due,
        "sweep_s": round(sweep_s, 3),
        "sweep_cpu_s": round(sweep_cpu, 3),
        "second_sweep_s": round(again_s, 3),
        "asked": first.relationships.checkins,
        "asked_again": again.relationships.checkins,
        "pass": all(ok for *_, ok in checks if ok is not None),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=20_000, help="active relationships")
    parser.add_argument("--due", type=int, default=None, help="of which due (default: all)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    due = args.pairs if args.due is None else args.due
    if not 0 <= due <= args.pairs:
        parser.error("need 0 <= --due <= --pairs")
    print(json.dumps(run(args.pairs, due, args.seed)))


if __name__ == "__main__":
    main()
