"""Benchmark an admin's push of recommendations to every looking mentee.

    python -m bench.recommend [--sizes 10000,100000] [--per-mentee 3] [--seed 7]
                              [--baseline REF] [--no-probe]

For each size (mentors), builds the organisation of ``bench.search`` (that many mentors, twice
as many mentees, about half of the mentees without a mentor, a few paused mentors, pending
requests) in a SQLite file and times one ``push_recommendations`` for every mentee without a
mentor, as ``/mentor-admin recommend`` runs it: read, choose with no transaction open, write in
batches. Each push runs in its own process on its own copy of the file, so its peak RSS is its
own (the data is built in another process). With ``--baseline REF`` the same push also runs
with the product code of commit ``REF`` (a temporary ``git worktree``), in the same session,
and the two sets of recommendations written are compared row for row.

Reported per push: the whole push (wall and CPU seconds), reading and choosing (until the
first write), each write transaction (the time SQLite's write lock is held, session
included), peak RSS, and what the push did.
Unless ``--no-probe``, a second thread meanwhile makes a small unrelated write every 20 ms (a
workspace's name, as a member's action would write something), and the longest any of them
took is reported: what other users of the bot wait while a push runs (it includes waiting for
Python's GIL, which a bot's other threads share with the push the same way).
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.compare import (
    cpu_model,
    label,
    migrate_settled,
    parse_sizes,
    peak_rss_mb,
    run_sizes,
    sides,
    sized_parser,
)
from bench.search import NOW, TEAM
from bench.search import main as search
from mentoring.core.actors import Actor
from mentoring.recommendations.service import PushReport, push_recommendations
from store.db import Database, create_db_engine

TARGET_TOTAL_S = 60.0
TARGET_WRITE_S = 0.1
TARGET_RSS_MB = 300.0
PROBE_EVERY_S = 0.02


class TimedDatabase(Database):
    """A database that times every write session (its turn to commit) and notes when it began."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes: list[tuple[float, float]] = []  # (started, seconds), perf_counter clock

    @contextmanager
    def write(self) -> Iterator[Session]:
        # From the turn to the commit: the wait for this process's other writers' turns
        # (store.turns) is not time the transaction holds the lock; the probe's waits show it.
        with super().write() as session:
            started = time.perf_counter()
            yield session
        self.writes.append((started, time.perf_counter() - started))


@dataclass
class Probe:
    """Small unrelated writes made while the push runs, and how long each took."""

    db: Database
    waits: list[tuple[float, float]] = field(default_factory=list)  # (started, seconds)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            started = time.perf_counter()
            # Its own Database, so these writes are not counted as the push's.
            with self.db.write() as session:
                session.execute(
                    text("UPDATE workspaces SET name = :name WHERE team_id = :team"),
                    {"name": f"probe {n}", "team": TEAM},
                )
            self.waits.append((started, time.perf_counter() - started))
            self.stop.wait(PROBE_EVERY_S)


def recommendations_digest(path: Path) -> str:
    """A hash of every current recommendation (mentee, mentor, rank, score) in the file."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        for row in conn.execute(
            "SELECT mentee_id, mentor_id, rank, score FROM recommendations "
            "WHERE superseded_at IS NULL ORDER BY mentee_id, rank, mentor_id"
        ):
            digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


def run(*, work: Path, per_mentee: int, probe: bool) -> dict[str, Any]:
    """Time one push on the organisation in ``work`` (a copy of its own: the push writes)."""
    migrate_settled(work)  # this code's schema on a baseline's file, written out
    db = TimedDatabase(create_db_engine(f"sqlite:///{work}"))
    prober = Probe(Database(create_db_engine(f"sqlite:///{work}"))) if probe else None
    thread = threading.Thread(target=prober.run) if prober else None
    if thread:
        thread.start()
    wall, cpu = time.perf_counter(), time.process_time()
    report = push_recommendations(
        db=db,
        team_id=TEAM,
        actor=Actor("UADMIN", is_admin=True),
        per_mentee=per_mentee,
        functional_area=None,
        now=NOW,
    )
    total_s, cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    if prober and thread:
        prober.stop.set()
        thread.join()
        prober.db.dispose()
    db.dispose()
    writes = [seconds for _started, seconds in db.writes]
    first_write = db.writes[0][0] if db.writes else float("inf")
    probes = prober.waits if prober else []
    return {
        "report": report,
        "digest": recommendations_digest(work),
        "total_s": total_s,
        "cpu_s": cpu_s,
        "plan_s": (db.writes[0][0] - wall) if db.writes else total_s,
        "writes": len(writes),
        "writes_s": sum(writes),
        "longest_write_s": max(writes, default=0.0),
        "probe_writes": len(probes),
        "probe_max_s": max((s for _t, s in probes), default=0.0) if prober else None,
        "probe_max_choosing_s": max((s for t, s in probes if t < first_write), default=0.0),
        "probe_max_writing_s": max((s for t, s in probes if t >= first_write), default=0.0),
    }


def one(args: argparse.Namespace) -> dict[str, Any]:
    """One push in this process (``--one SIZE --db PATH``): a short summary; the figures."""
    r = run(work=Path(args.db), per_mentee=args.per_mentee, probe=not args.no_probe)
    report: PushReport = r["report"]
    print(
        f"{args.one} mentors: {report.mentees_considered} mentees looking, "
        f"{report.mentees_recommended} recommended ({report.mentees_short} short, "
        f"{report.mentees_changed} changed meanwhile), {report.recommendations} recommendations; "
        f"{report.mentors_used} of {report.mentors_available} mentors with open slots used, "
        f"at most {report.max_per_mentor} each"
    )
    return {
        "mentors": args.one,
        "mentees_considered": report.mentees_considered,
        "recommendations": report.recommendations,
        "max_per_mentor": report.max_per_mentor,
        "total_s": round(r["total_s"], 3),
        "cpu_s": round(r["cpu_s"], 3),
        "plan_s": round(r["plan_s"], 3),
        "writes": r["writes"],
        "writes_s": round(r["writes_s"], 3),
        "longest_write_s": round(r["longest_write_s"], 4),
        "probe_max_wait_s": None if r["probe_max_s"] is None else round(r["probe_max_s"], 4),
        "probe_writes": r["probe_writes"],
        "rss_mb": peak_rss_mb(),
        "digest": r["digest"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = sized_parser(__doc__, "10000", "mentor counts, e.g. 1000,10000,100000")
    parser.add_argument("--per-mentee", type=int, default=3)
    parser.add_argument("--no-probe", action="store_true", help="no concurrent writes")
    args = parser.parse_args(argv)
    if args.one is not None and args.build_only:  # the organisation of bench.search
        search(["--one", str(args.one), "--db", args.db, "--seed", str(args.seed), "--build-only"])
        return
    if args.one is not None:
        print(json.dumps(one(args)))
        return
    sizes = parse_sizes(args.sizes)
    load_before = os.getloadavg()[0]
    common = ["--per-mentee", str(args.per_mentee), "--seed", str(args.seed)]
    runs = run_sizes(
        "bench.recommend",
        sizes,
        common + (["--no-probe"] if args.no_probe else []),
        baseline=args.baseline,
    )
    load_after = os.getloadavg()[0]
    print(f"\nPush of {args.per_mentee} recommendations to every looking mentee")
    print(
        f"{cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; load average {load_before:.1f} before, "
        f"{load_after:.1f} after; baseline {args.baseline or '(none)'}"
    )
    print_table(runs)
    figures: dict[str, Any] = {"per_mentee": args.per_mentee, "baseline": args.baseline}
    checks: list[bool] = []
    for size, base, new in runs:
        key = label(size)
        figures |= {
            f"push_s_{key}": new["total_s"],
            f"push_cpu_s_{key}": new["cpu_s"],
            f"push_rss_mb_{key}": new["rss_mb"],
            f"max_write_txn_s_{key}": new["longest_write_s"],
            f"probe_max_wait_s_{key}": new["probe_max_wait_s"],
            f"recommendations_{key}": new["recommendations"],
        }
        if base is not None:
            same = base["digest"] == new["digest"]
            figures |= {
                f"baseline_push_s_{key}": base["total_s"],
                f"baseline_push_cpu_s_{key}": base["cpu_s"],
                f"baseline_push_rss_mb_{key}": base["rss_mb"],
                f"baseline_max_write_txn_s_{key}": base["longest_write_s"],
                f"same_recommendations_{key}": same,
            }
            checks.append(same)
            if size == 10_000:
                checks.append(new["cpu_s"] <= base["cpu_s"])
        if size >= 100_000:
            checks += [new["total_s"] <= TARGET_TOTAL_S, new["rss_mb"] <= TARGET_RSS_MB]
    figures["max_write_txn_s"] = max(new["longest_write_s"] for _size, _base, new in runs)
    checks.append(figures["max_write_txn_s"] <= TARGET_WRITE_S)
    figures["load_avg"] = [round(load_before, 2), round(load_after, 2)]
    figures["pass"] = all(checks)
    print(
        f"targets: push <= {TARGET_TOTAL_S:.0f} s and peak RSS <= {TARGET_RSS_MB:.0f} MB at "
        f"100,000 mentors; every write transaction <= {TARGET_WRITE_S} s; the baseline's "
        "recommendations exactly; 10,000 no slower (CPU) than the baseline: "
        + ("PASS" if figures["pass"] else "FAIL")
    )
    print(json.dumps(figures))


def print_table(runs: list[tuple[int, dict[str, Any] | None, dict[str, Any]]]) -> None:
    header = (
        "mentors  code      push s   CPU s  choose s  writes  longest write s  probe max s"
        "  RSS MB  same recs"
    )
    print(header)
    print("-" * len(header))
    baselines = {size: base for size, base, _new in runs}
    for size, name, r in sides(runs):
        base = baselines[size]
        same = "" if base is None else ("yes" if r["digest"] == base["digest"] else "NO")
        probe = "" if r["probe_max_wait_s"] is None else f"{r['probe_max_wait_s']:.3f}"
        print(
            f"{size:>7}  {name:<8}{r['total_s']:>8.1f}{r['cpu_s']:>8.1f}{r['plan_s']:>10.1f}"
            f"{r['writes']:>8}{r['longest_write_s']:>17.3f}{probe:>13}{r['rss_mb']:>8.0f}"
            f"  {same}"
        )


if __name__ == "__main__":
    main()
