"""Benchmark ranking the mentees still looking for a mentor browsing ``/find-mentor mentees``.

    python -m bench.offers [--mentors 10000] [--browses 30] [--seed 7] [--workdir DIR [--reuse]]

The organisation comes from ``bench.search.build`` (``--mentors`` mentors, twice as many
mentees, relationships and requests, default taxonomy) with mentor offers turned on. Each
timed browse is ``mentees_looking`` for the first page of 8, by one of the first ``--browses``
mentors in turn: once over every area, once in Engineering (the largest). Wall-clock and CPU
milliseconds are both reported; the last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench.search import NOW, TEAM, build
from mentoring.offers.browsing import mentees_looking
from mentoring.program.settings_changes import update_settings
from store.db import Database
from store.models import Member

AREAS = {"every area": None, "Engineering": "Engineering"}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(db: Database, browses: int) -> dict[str, dict[str, float]]:
    """Time ``browses`` browses for each filter; p50/p95 wall and p50 CPU, in ms."""
    with db.read() as session:
        mentors = list(
            session.scalars(
                select(Member.slack_user_id)
                .where(Member.is_mentor.is_(True))
                .order_by(Member.id)
                .limit(browses)
            )
        )
    figures: dict[str, dict[str, float]] = {}
    for label, area in AREAS.items():
        wall: list[float] = []
        cpu: list[float] = []
        candidates = 0
        for mentor in [mentors[0], *mentors]:  # the first one warms caches, untimed
            w0, c0 = time.perf_counter(), time.process_time()
            with db.read() as session:
                page = mentees_looking(
                    session=session,
                    team_id=TEAM,
                    mentor_user_id=mentor,
                    now=NOW,
                    functional_area=area,
                    page_size=8,
                )
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            candidates = page.total
        wall, cpu = wall[1:], cpu[1:]
        figures[label] = {
            "candidates": candidates,
            "p50_ms": round(statistics.median(wall), 1),
            "p95_ms": round(_percentile(wall, 0.95), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1),
        }
        print(
            f"{label:12} {candidates:6} mentees looking: p50 {figures[label]['p50_ms']:.1f} ms, "
            f"p95 {figures[label]['p95_ms']:.1f} ms, CPU p50 {figures[label]['cpu_p50_ms']:.1f} ms"
        )
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--browses", type=int, default=30, help="timed browses per filter")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="keep the SQLite file here (default: temp)")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the file from an earlier run with --workdir"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / f"offers-{args.mentors}-{args.seed}.sqlite3"
        if args.reuse and path.exists():
            db = Database.from_url(f"sqlite:///{path}")
        else:
            path.unlink(missing_ok=True)
            db = build(path, args.mentors, args.seed)
            with db.write() as session:
                update_settings(
                    session=session,
                    team_id=TEAM,
                    actor="UBENCH",
                    changes={"mentor_offers_enabled": True},
                    now=NOW,
                )
        try:
            figures = run(db, args.browses)
        finally:
            db.dispose()
    print(json.dumps({"mentors": args.mentors, "browses": args.browses, "figures": figures}))


if __name__ == "__main__":
    main()
