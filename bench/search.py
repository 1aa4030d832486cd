"""Benchmark the mentor directory search on a generated organisation in a SQLite file.

    python -m bench.search [--sizes 1000,10000,100000] [--queries 60] [--warmup 10]
                           [--seed 7] [--baseline REF]

For each size (each in its own process, bench.compare) it builds a workspace with that many
mentors (plus twice as many mentees, active and ended relationships, pending and answered
requests, a few paused mentors; bench.org) from the default taxonomy, then times
``search_mentors`` for a first page of 10 with filters varied over the queries (a functional
area and/or one or two expertise tags, sometimes a timezone window), each search at its own
instant. It also times searches without filters, free-text searches and recommendations.
``--baseline REF`` measures that commit's code on the same data in the same run, and says
whether both returned the same pages (a digest of every page's mentors and totals).

Wall-clock and CPU milliseconds are both reported: on a shared machine the gap between them is
time spent waiting for a CPU. Each size's process reports its peak RSS. The last line printed
is one JSON object with the figures.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from bench.compare import label, parse_sizes, peak_rss_mb, run_sizes, sized_parser
from bench.org import (  # re-exported: the other benches build the same organisation
    AREA_WEIGHTS,
    MENTEES_PER_MENTOR,
    NOW,
    TEAM,
    _insert,
    _member_rows,
    build,
)
from mentoring.directory.search import SearchPage, parse_filters, recommend_mentors, search_mentors
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS, DEFAULT_FUNCTIONAL_AREAS
from store.db import Database, create_db_engine
from store.migrate import upgrade

__all__ = ["NOW", "TEAM", "_insert", "_member_rows", "build", "main"]

T = TypeVar("T")


def _queries(rng: random.Random, size: int, count: int) -> list[tuple[str, dict[str, Any]]]:
    """(searcher, filters) pairs: area and/or 1-2 tags, now and then a timezone window."""
    result = []
    for i in range(count):
        area = rng.choices(DEFAULT_FUNCTIONAL_AREAS, AREA_WEIGHTS)[0]
        tags = rng.sample(DEFAULT_EXPERTISE_TAGS, 1 + i % 2)
        kind = i % 4
        kinds: dict[int, dict[str, Any]] = {
            0: {"functional_area": area},
            1: {"expertise": tags},
            2: {"functional_area": area, "expertise": tags},
            3: {"expertise": tags, "max_tz_hours": 3},
        }
        filters = kinds[kind]
        mentee = rng.randint(size + 1, (1 + MENTEES_PER_MENTOR) * size)
        result.append((f"UE{mentee:07d}", filters))
    return result


def _time(fn: Callable[[], T]) -> tuple[T, float, float]:
    """The result with wall and CPU milliseconds (CPU time shows what other load cost us)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _search(
    db: Database, searcher: str, raw: dict[str, Any], now: datetime, team_id: str = TEAM
) -> SearchPage:
    with db.read() as session:
        return search_mentors(
            session=session,
            team_id=team_id,
            searcher_user_id=searcher,
            filters=parse_filters(raw),
            now=now,
        )


def _recommend(db: Database, mentee: str, now: datetime) -> object:
    with db.read() as session:
        return recommend_mentors(session=session, team_id=TEAM, mentee_user_id=mentee, now=now)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run_size(size: int, *, queries: int, warmup: int, seed: int, path: Path) -> dict[str, Any]:
    """Open (or build) one organisation and time searches against it."""
    started = time.perf_counter()
    if path.exists():
        engine = create_db_engine(f"sqlite:///{path}")
        upgrade(engine)  # this code's schema on a file an older baseline may have built
        db = Database(engine)
    else:
        db = build(path, size, seed)
    opened_s = time.perf_counter() - started
    started = time.perf_counter()
    warm_up(db)
    index_s = time.perf_counter() - started
    rng = random.Random(seed + 1)
    plan = _queries(rng, size, warmup + queries)
    pages: list[Any] = []
    wall, cpu, totals = [], [], []
    for n, (searcher, raw) in enumerate(plan):
        # Each search at its own instant, as in production (nothing cached on a frozen clock).
        now = NOW + timedelta(seconds=7 * n)
        page, elapsed, used = _time(partial(_search, db, searcher, raw, now))
        pages.append(_seen(page))
        if n >= warmup:
            wall.append(elapsed)
            cpu.append(used)
            totals.append(page.total)
    texts = ("python", "mentor lead", "berlin")
    text_ms = []
    for i in range(9):
        page, elapsed, _ = _time(partial(_search, db, plan[0][0], {"text": texts[i % 3]}, NOW))
        text_ms.append(elapsed)
        pages.append(_seen(page))
    recommend_ms = [_time(partial(_recommend, db, searcher, NOW))[1] for searcher, _ in plan[:10]]
    # No filters at all: what /find-mentor shows first, ranking every available mentor.
    empty_ms = []
    for searcher, _ in plan[:10]:
        page, elapsed, _ = _time(partial(_search, db, searcher, {}, NOW))
        empty_ms.append(elapsed)
        pages.append(_seen(page))
    db.dispose()
    return {
        "size": size,
        "open_s": round(opened_s, 2),
        "index_s": round(index_s, 2),
        "p50": statistics.median(wall),
        "p95": _percentile(wall, 95),
        "max": max(wall),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": _percentile(cpu, 95),
        "mean_matches": statistics.mean(totals),
        "text_p50": statistics.median(text_ms),
        "text_p95": _percentile(text_ms, 95),
        "recommend_p50": statistics.median(recommend_ms),
        "empty_p50": statistics.median(empty_ms),
        "empty_p95": _percentile(empty_ms, 95),
        "digest": hashlib.sha256(json.dumps(pages).encode()).hexdigest()[:16],
        "rss_mb": peak_rss_mb(),
    }


def warm_up(db: Database) -> None:
    """Load the directory index as a server does once it is up (mentoring.directory.index
    .warm), so searches are timed in the steady state; a baseline without one has nothing
    to load."""
    try:
        from mentoring.directory.index import warm
    except ImportError:
        return
    warm(db).join()


def _seen(page: SearchPage) -> list[Any]:
    """What a person sees of a page: each mentor, score and load, and the number of matches."""
    shown = [(m.mentor.id, m.score.total, m.open_slots, m.pending_requests) for m in page.results]
    return [page.total, shown]


def main(argv: list[str] | None = None) -> None:
    parser = sized_parser(__doc__, "10000,100000", "mentor counts")
    parser.add_argument("--queries", type=int, default=60, help="timed queries per size")
    parser.add_argument("--warmup", type=int, default=10, help="untimed queries first")
    args = parser.parse_args(argv)
    if args.one is not None:
        if args.build_only:
            started = time.perf_counter()
            build(Path(args.db), args.one, args.seed).dispose()
            print(json.dumps({"size": args.one, "build_s": time.perf_counter() - started}))
        else:
            kwargs = {"queries": args.queries, "warmup": args.warmup, "seed": args.seed}
            print(json.dumps(run_size(args.one, path=Path(args.db), **kwargs)))
        return
    load_before = os.getloadavg()[0]
    common = ["--queries", str(args.queries), "--warmup", str(args.warmup)]
    runs = run_sizes(
        "bench.search",
        parse_sizes(args.sizes),
        [*common, "--seed", str(args.seed)],
        baseline=args.baseline,
    )
    load_after = os.getloadavg()[0]
    print(
        f"\nDirectory search, first page of 10, {args.queries} queries after {args.warmup} warm-up"
    )
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; load average "
        f"{load_before:.1f} before, {load_after:.1f} after (other processes compete for the CPUs)"
    )
    header = (
        "mentors  side      matches  p50 ms  p95 ms  max ms  cpu p95 | no filter p50/p95"
        "  text p50/p95  recommend  RSS MB  same pages"
    )
    print(header)
    print("-" * len(header))
    figures: dict[str, Any] = {}
    for size, before, after in runs:
        for side, r in (("baseline", before), ("this", after)):
            if r is None:
                continue
            same = (
                "" if before is None else ("yes" if before["digest"] == after["digest"] else "NO")
            )
            print(
                f"{size:>7}  {side:<8}  {r['mean_matches']:>7.0f}  {r['p50']:>6.1f}"
                f"  {r['p95']:>6.1f}  {r['max']:>6.1f}  {r['cpu_p95']:>7.1f}"
                f" | {r['empty_p50']:>7.1f}/{r['empty_p95']:<7.1f}"
                f"  {r['text_p50']:>5.1f}/{r['text_p95']:<6.1f}  {r['recommend_p50']:>9.1f}"
                f"  {r['rss_mb']:>6.0f}  {same}"
            )
            prefix = "baseline_" if side == "baseline" else ""
            n = label(size)
            for key in ("p50", "p95", "cpu_p95", "empty_p50", "empty_p95", "text_p50"):
                figures[f"{prefix}search_{key}_ms_{n}"] = round(r[key], 2)
            figures[f"{prefix}search_rss_mb_{n}"] = r["rss_mb"]
            figures[f"{prefix}index_load_s_{n}"] = r["index_s"]
        if before is not None:
            figures[f"same_pages_{label(size)}"] = before["digest"] == after["digest"]
    print("(no filter, text: 10 and 9 searches each; recommend: p50 of 10, SQL ranking)")
    for size, _, after in runs:
        print(f"index loaded in {after['index_s']:.1f} s at {size:,} mentors (in the background")
        print("  once a server is up; a search before that loads it itself)")
    figures["load_avg"] = round(load_after, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
