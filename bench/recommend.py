"""Benchmark an admin's push of recommendations to every looking mentee.

    python -m bench.recommend [--mentors 10000] [--per-mentee 3] [--seed 7]
                              [--workdir DIR [--reuse]] [--no-probe]

Builds the organisation of ``bench.search`` (``--mentors`` mentors, twice as many mentees, about
half of the mentees without a mentor, a few paused mentors, pending requests) in a SQLite file
and times one ``push_recommendations`` for every mentee without a mentor, as
``/mentor-admin recommend`` runs it: read, choose with no transaction open, write in batches.

Reported: the whole push (wall and CPU seconds), reading and choosing (until the first write),
each write transaction (the time SQLite's write lock is held, session included), and what the
push did.
Unless ``--no-probe``, a second thread meanwhile makes a small unrelated write every 20 ms (a
workspace's name, as a member's action would write something), and the longest any of them
took is reported: what other users of the bot wait while a push runs (it includes waiting for
Python's GIL, which a bot's other threads share with the push the same way).
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.search import NOW, TEAM, build
from mentoring.core.actors import Actor
from mentoring.recommendations.service import PushReport, push_recommendations
from store.db import Database, create_db_engine

TARGET_TOTAL_S = 60.0
TARGET_WRITE_S = 1.0
PROBE_EVERY_S = 0.02


class TimedDatabase(Database):
    """A database that times every write session (begin to commit) and notes when it began."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes: list[tuple[float, float]] = []  # (started, seconds), perf_counter clock

    @contextmanager
    def write(self) -> Iterator[Session]:
        started = time.perf_counter()
        with super().write() as session:
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


def run(
    *, mentors: int, per_mentee: int, seed: int, workdir: Path, reuse: bool, probe: bool
) -> dict[str, Any]:
    """Build (or reuse) the organisation and time one push."""
    path = workdir / f"bench-{mentors}-{seed}.sqlite3"
    started = time.perf_counter()
    built_s: float | None = None
    if not (reuse and path.exists()):
        path.unlink(missing_ok=True)
        build(path, mentors, seed).dispose()
        built_s = time.perf_counter() - started
    # The push writes: a reused file is copied so every run starts from the same state.
    work = workdir / f"push-{mentors}-{seed}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(path) as source, sqlite3.connect(work) as target:
        source.backup(target)
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
        "built_s": built_s,
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--per-mentee", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="keep the SQLite files here (default: temp)")
    parser.add_argument("--reuse", action="store_true", help="reuse a built file in --workdir")
    parser.add_argument("--no-probe", action="store_true", help="no concurrent writes")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-recommend-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        r = run(
            mentors=args.mentors,
            per_mentee=args.per_mentee,
            seed=args.seed,
            workdir=workdir,
            reuse=args.reuse,
            probe=not args.no_probe,
        )
    load_after = os.getloadavg()[0]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    report: PushReport = r["report"]
    ok_total = r["total_s"] <= TARGET_TOTAL_S
    ok_write = r["longest_write_s"] <= TARGET_WRITE_S

    print(f"Push of {args.per_mentee} recommendations to every looking mentee")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; load average "
        f"{load_before:.1f} before, {load_after:.1f} after; "
        + (f"built in {r['built_s']:.1f} s" if r["built_s"] is not None else "reused a built file")
    )
    print(
        f"{args.mentors} mentors: {report.mentees_considered} mentees looking, "
        f"{report.mentees_recommended} recommended ({report.mentees_short} short, "
        f"{report.mentees_changed} changed meanwhile), {report.recommendations} recommendations; "
        f"{report.mentors_used} of {report.mentors_available} mentors with open slots used, "
        f"at most {report.max_per_mentor} each"
    )
    header = "measure                               value   target  result"
    print(header)
    print("-" * len(header))
    rows = [
        ("whole push, s", r["total_s"], f"<= {TARGET_TOTAL_S:.0f}", "PASS" if ok_total else "FAIL"),
        ("  CPU, s", r["cpu_s"], "", ""),
        ("  reading, then choosing, s", r["plan_s"], "", ""),
        ("  writing, s (all transactions)", r["writes_s"], "", ""),
        ("write transactions", r["writes"], "", ""),
        (
            "longest write transaction, s",
            r["longest_write_s"],
            f"<= {TARGET_WRITE_S:.0f}",
            "PASS" if ok_write else "FAIL",
        ),
    ]
    if r["probe_max_s"] is not None:
        rows.append(("longest unrelated write meanwhile, s", r["probe_max_s"], "", ""))
        rows.append(("  of those begun while choosing", r["probe_max_choosing_s"], "", ""))
        rows.append(("  of those begun while writing", r["probe_max_writing_s"], "", ""))
        rows.append(("unrelated writes made meanwhile", r["probe_writes"], "", ""))
    for label, value, target, result in rows:
        shown = f"{value:>8.3f}" if isinstance(value, float) else f"{value:>8}"
        print(f"{label:<36}{shown}  {target:>7}  {result}")
    built = "data generation included" if r["built_s"] is not None else "the file was reused"
    print(f"peak RSS {rss_mb:.0f} MB (whole run, {built})")
    figures = {
        "mentors": args.mentors,
        "per_mentee": args.per_mentee,
        "mentees_considered": report.mentees_considered,
        "mentees_recommended": report.mentees_recommended,
        "mentees_short": report.mentees_short,
        "recommendations": report.recommendations,
        "max_per_mentor": report.max_per_mentor,
        "total_s": round(r["total_s"], 3),
        "cpu_s": round(r["cpu_s"], 3),
        "plan_s": round(r["plan_s"], 3),
        "writes": r["writes"],
        "writes_s": round(r["writes_s"], 3),
        "longest_write_s": round(r["longest_write_s"], 4),
        "probe_max_wait_s": None if r["probe_max_s"] is None else round(r["probe_max_s"], 4),
        "probe_max_wait_choosing_s": round(r["probe_max_choosing_s"], 4),
        "probe_max_wait_writing_s": round(r["probe_max_writing_s"], 4),
        "probe_writes": r["probe_writes"],
        "rss_mb": round(rss_mb, 1),
        "load_avg": round(load_after, 2),
        "pass": ok_total and ok_write,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
