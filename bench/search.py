"""Benchmark the mentor directory search on a generated organisation in a SQLite file.

    python -m bench.search [--sizes 10000,100000] [--queries 60] [--warmup 10]
                           [--workdir DIR [--reuse]] [--seed 7]

For each size it builds a workspace with that many mentors (plus twice as many mentees, active
and ended relationships, pending and answered requests, a few paused mentors) from the default
taxonomy, then times ``search_mentors`` for a first page of 10 with filters varied over the
queries (a functional area and/or one or two expertise tags, sometimes a timezone window), each
search at its own instant. It also times searches without filters, free-text searches and
recommendations: reported, not part of the targets.

The schema is created by the real migrations; rows are bulk-inserted with Core for speed.
Wall-clock and CPU milliseconds are both reported: on a shared machine the gap between them is
time spent waiting for a CPU. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, insert

from mentoring.directory.search import SearchPage, parse_filters, recommend_mentors, search_mentors
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS, DEFAULT_FUNCTIONAL_AREAS
from store.db import Database, create_db_engine
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.migrate import upgrade
from store.models import Member, MemberTag, Relationship, Request, Workspace

TEAM = "TBENCH"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BATCH = 5_000
MENTEES_PER_MENTOR = 2
T = TypeVar("T")

AREA_WEIGHTS = (25, 10, 6, 9, 8, 10, 7, 5, 5, 7, 2, 6)  # same order as the default areas
# Tags each area leans towards, so profiles look like people rather than noise.
AREA_TAGS = {
    "Engineering": ("python", "architecture", "frontend", "machine learning"),
    "Product": ("product strategy", "ux research", "leadership"),
    "Design": ("ux research", "frontend", "writing"),
    "Data": ("data", "python", "machine learning"),
    "Marketing": ("marketing", "writing", "public speaking"),
    "Sales": ("sales", "negotiation", "public speaking"),
    "Customer Success": ("negotiation", "writing", "career growth"),
    "Finance": ("finance", "negotiation", "data"),
    "People": ("hiring", "diversity & inclusion", "management"),
    "Operations": ("management", "data", "work-life balance"),
    "Legal": ("negotiation", "writing"),
    "Leadership": ("leadership", "management", "entrepreneurship"),
}
# (timezone, weight, cities, second language)
ZONES = (
    ("America/Los_Angeles", 12, ("San Francisco", "Seattle", "Los Angeles"), "Spanish"),
    ("America/Denver", 3, ("Denver",), "Spanish"),
    ("America/Chicago", 8, ("Chicago", "Austin"), "Spanish"),
    ("America/New_York", 15, ("New York", "Toronto", "Boston"), "Spanish"),
    ("America/Sao_Paulo", 4, ("São Paulo",), "Portuguese"),
    ("Europe/London", 12, ("London", "Dublin"), "French"),
    ("Europe/Berlin", 10, ("Berlin", "Amsterdam", "Munich"), "German"),
    ("Europe/Paris", 5, ("Paris",), "French"),
    ("Europe/Madrid", 3, ("Madrid", "Barcelona"), "Spanish"),
    ("Africa/Lagos", 2, ("Lagos",), "Yoruba"),
    ("Asia/Dubai", 2, ("Dubai",), "Arabic"),
    ("Asia/Kolkata", 8, ("Bangalore", "Pune"), "Hindi"),
    ("Asia/Kathmandu", 1, ("Kathmandu",), "Nepali"),
    ("Asia/Singapore", 5, ("Singapore",), "Mandarin"),
    ("Asia/Shanghai", 3, ("Shanghai",), "Mandarin"),
    ("Asia/Tokyo", 4, ("Tokyo",), "Japanese"),
    ("Australia/Sydney", 4, ("Sydney", "Melbourne"), None),
    ("Pacific/Auckland", 1, ("Auckland",), None),
)
FIRST = "Ada Ben Chen Dana Eli Fatima Gus Hana Ivan Jo Kemi Liam Mei Nina Omar Priya Quinn Raj"
LAST = "Okafor Smith Garcia Müller Tanaka Singh Rossi Kim Dubois Silva Novak Cohen Ahmed Park"
FIRST_NAMES, LAST_NAMES = FIRST.split(), LAST.split()
LEVELS = ("", "Senior ", "Staff ", "Principal ", "Lead ", "Head of ")
GENDERS = (("woman", 45), ("man", 45), ("non-binary", 3), (None, 7))


def _profile(rng: random.Random, tag_count: int) -> dict[str, Any]:
    area = rng.choices(DEFAULT_FUNCTIONAL_AREAS, AREA_WEIGHTS)[0]
    tags: list[str] = []
    while len(tags) < tag_count:
        pool = AREA_TAGS[area] if rng.random() < 0.6 else DEFAULT_EXPERTISE_TAGS
        tag = rng.choice(pool)
        if tag not in tags:
            tags.append(tag)
    tz, _, cities, second = rng.choices(ZONES, [z[1] for z in ZONES])[0]
    languages = ["English"] + ([second] if second and rng.random() < 0.35 else [])
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    title = f"{rng.choice(LEVELS)}{area} {rng.choice(('Manager', 'Specialist', 'Partner'))}"
    return {
        "display_name": name,
        "title": title,
        "functional_area": area,
        "tags": tags,
        "tz": tz,
        "location": rng.choice(cities) if rng.random() < 0.9 else None,
        "languages": languages,
        "gender": rng.choices(GENDERS, [g[1] for g in GENDERS])[0][0],
    }


def _member_rows(rng: random.Random, size: int) -> Iterator[dict[str, Any]]:
    for i in range(1, (1 + MENTEES_PER_MENTOR) * size + 1):
        is_mentor = i <= size
        p = _profile(rng, rng.choices((1, 2, 3, 4, 5), (15, 30, 30, 15, 10))[0])
        expertise = p["tags"] if is_mentor else []
        bio = (
            f"I have worked in {p['functional_area'].lower()} for {rng.randint(2, 25)} years "
            f"and enjoy helping people with {', '.join(p['tags'])}. "
            f"Based in {p['location'] or 'a remote team'}; happy to meet over video."
        )
        paused = None
        if is_mentor and rng.random() < 0.05:
            # Three in five pauses still run; the others ended and must not hide the mentor.
            paused = NOW + timedelta(days=rng.choice((7, 30, 90, -3, -40)))
        yield {
            "id": i,
            "team_id": TEAM,
            "slack_user_id": f"U{'M' if is_mentor else 'E'}{i:07d}",
            "display_name": p["display_name"],
            "email": None,
            "tz": p["tz"],
            "is_mentor": is_mentor,
            "is_mentee": not is_mentor or rng.random() < 0.1,
            "enrolled_at": NOW - timedelta(days=rng.randint(1, 700)),
            "updated_at": NOW,
            "title": p["title"],
            "functional_area": p["functional_area"],
            "expertise": expertise,
            "interests": [] if is_mentor else p["tags"][:3],
            "goals": "",
            "location": p["location"],
            "languages": p["languages"],
            "gender": p["gender"],
            "bio": bio,
            "search_text": " ".join([p["display_name"], p["title"], bio, *expertise]).lower(),
            "mentor_capacity": rng.choices((1, 2, 3, 4, 5), (10, 30, 40, 10, 10))[0],
            "paused_until": paused,
        }


def _insert(conn: Connection, table: Any, rows: Iterator[dict[str, Any]]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            conn.execute(insert(table), batch)
            count, batch = count + len(batch), []
    if batch:
        conn.execute(insert(table), batch)
    return count + len(batch)


def build(path: Path, size: int, seed: int) -> Database:
    """A migrated SQLite file holding an organisation with ``size`` mentors."""
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    rng = random.Random(seed)
    capacities: dict[int, int] = {}
    tags: list[dict[str, Any]] = []

    def members() -> Iterator[dict[str, Any]]:
        for row in _member_rows(rng, size):
            if row["is_mentor"]:
                capacities[row["id"]] = row["mentor_capacity"]
                tags.extend(
                    {"member_id": row["id"], "tag": t.lower(), "team_id": TEAM}
                    for t in row["expertise"]
                )
            yield row

    mentees = list(range(size + 1, (1 + MENTEES_PER_MENTOR) * size + 1))
    rng.shuffle(mentees)
    free_mentees = iter(mentees)

    def relationships() -> Iterator[dict[str, Any]]:
        for mentor_id, capacity in capacities.items():
            active = 0 if rng.random() < 0.45 else rng.randint(1, capacity)
            ended = rng.choices((0, 1, 2), (60, 30, 10))[0]
            for n in range(active + ended):
                status = RelationshipStatus.ACTIVE if n < active else RelationshipStatus.FINISHED
                yield {
                    "team_id": TEAM,
                    "mentor_id": mentor_id,
                    # Active pairs must be unique; a mentee has one active mentor at a time.
                    "mentee_id": next(free_mentees) if n < active else rng.choice(mentees),
                    "status": status,
                    "started_at": NOW - timedelta(days=rng.randint(1, 300)),
                    "ended_at": None if status is RelationshipStatus.ACTIVE else NOW,
                    "hidden_from_profile": False,
                }

    def requests() -> Iterator[dict[str, Any]]:
        for mentor_id in capacities:
            pending = rng.choices((0, 1, 2, 3, 4), (78, 12, 5, 3, 2))[0]
            answered = rng.choices((0, 1, 2), (50, 35, 15))[0]
            for n, mentee_id in enumerate(rng.sample(mentees, pending + answered)):
                status = RequestStatus.PENDING if n < pending else RequestStatus.DECLINED
                yield {
                    "team_id": TEAM,
                    "mentee_id": mentee_id,
                    "mentor_id": mentor_id,
                    "kind": RequestKind.MENTEE_REQUEST,
                    "message": "I would love your help with my next career step, thank you!",
                    "status": status,
                    "created_at": NOW - timedelta(days=rng.randint(0, 60)),
                    "reminder_count": 0,
                }

    with engine.begin() as conn:
        conn.execute(insert(Workspace), [{"team_id": TEAM, "created_at": NOW, "settings": {}}])
        _insert(conn, Member.__table__, members())
        _insert(conn, MemberTag.__table__, iter(tags))
        _insert(conn, Relationship.__table__, relationships())
        _insert(conn, Request.__table__, requests())
    return Database(engine)


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


def run_size(
    size: int, *, queries: int, warmup: int, seed: int, workdir: Path, reuse: bool
) -> dict[str, Any]:
    """Build (or reuse) one organisation and time searches against it."""
    started = time.perf_counter()
    path = workdir / f"bench-{size}-{seed}.sqlite3"
    if reuse and path.exists():
        db = Database(create_db_engine(f"sqlite:///{path}"))
    else:
        path.unlink(missing_ok=True)
        db = build(path, size, seed)
    built_s = time.perf_counter() - started
    rng = random.Random(seed + 1)
    plan = _queries(rng, size, warmup + queries)
    wall, cpu, totals = [], [], []
    for n, (searcher, raw) in enumerate(plan):
        # Each search at its own instant, as in production (nothing cached on a frozen clock).
        now = NOW + timedelta(seconds=7 * n)
        page, elapsed, used = _time(partial(_search, db, searcher, raw, now))
        if n >= warmup:
            wall.append(elapsed)
            cpu.append(used)
            totals.append(page.total)
    texts = ("python", "mentor lead", "berlin")
    text_ms = [
        _time(partial(_search, db, plan[0][0], {"text": texts[i % 3]}, NOW))[1] for i in range(9)
    ]
    recommend_ms = [_time(partial(_recommend, db, searcher, NOW))[1] for searcher, _ in plan[:10]]
    # No filters at all: what /find-mentor shows first, ranking every available mentor.
    empty_ms = [_time(partial(_search, db, searcher, {}, NOW))[1] for searcher, _ in plan[:10]]
    db.dispose()
    return {
        "size": size,
        "build_s": built_s,
        "p50": statistics.median(wall),
        "p95": _percentile(wall, 95),
        "max": max(wall),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": _percentile(cpu, 95),
        "mean_matches": statistics.mean(totals),
        "text_p50": statistics.median(text_ms),
        "recommend_p50": statistics.median(recommend_ms),
        "empty_p50": statistics.median(empty_ms),
    }


def _label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated mentor counts")
    parser.add_argument("--queries", type=int, default=60, help="timed queries per size")
    parser.add_argument("--warmup", type=int, default=10, help="untimed queries first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="keep the SQLite files here (default: temp)")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse files from an earlier run with --workdir"
    )
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = [
            run_size(
                s,
                queries=args.queries,
                warmup=args.warmup,
                seed=args.seed,
                workdir=workdir,
                reuse=args.reuse,
            )
            for s in sizes
        ]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    load_after = os.getloadavg()[0]
    print(f"Directory search, first page of 10, {args.queries} queries after {args.warmup} warm-up")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; load average "
        f"{load_before:.1f} before, {load_after:.1f} after (other processes compete for the CPUs)"
    )
    header = (
        "mentors  build s  matches  p50 ms  p95 ms  max ms  cpu p50  cpu p95"
        "  | no filter  text  recommend"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['size']:>7}  {r['build_s']:>7.1f}  {r['mean_matches']:>7.0f}  {r['p50']:>6.1f}"
            f"  {r['p95']:>6.1f}  {r['max']:>6.1f}  {r['cpu_p50']:>7.1f}  {r['cpu_p95']:>7.1f}"
            f"  | {r['empty_p50']:>9.1f}  {r['text_p50']:>4.0f}  {r['recommend_p50']:>9.1f}"
        )
    print("(the last three columns are p50 ms of 10 searches each, not part of the targets)")
    print(f"peak RSS {rss_mb:.0f} MB (whole run, data generation included)")
    figures: dict[str, float] = {}
    for r in results:
        figures[f"p50_ms_{_label(r['size'])}"] = round(r["p50"], 2)
        figures[f"p95_ms_{_label(r['size'])}"] = round(r["p95"], 2)
    figures["rss_mb"] = round(rss_mb, 1)
    for r in results:
        figures[f"cpu_p95_ms_{_label(r['size'])}"] = round(r["cpu_p95"], 2)
    figures["load_avg"] = round(load_after, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
