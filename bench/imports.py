"""Benchmark ``mentor-match import-profiles`` on a generated CSV file, from outside.

    python -m bench.imports [--sizes 1000,10000,100000] [--seed 7] [--baseline REF]

For each size (each in its own process, bench.compare) a CSV file of that many people is
written: a third mentors, the rest mentees, with the profiles of bench.org (names, titles,
areas, expertise or interests, languages, locations, genders, bios, capacities, timezones),
one row in a thousand naming an expertise tag the program does not have. Then the real
command runs in a process of its own, on a pseudo-terminal so that its progress bar is drawn
as an operator would see it, importing into an empty SQLite database; the time is its whole
run, interpreter start included. Afterwards the bench checks the command's summary line
(created and failed), its exit code (1: some rows failed) and the members in the database.

``--baseline REF`` runs the same on that commit's code in the same invocation. The last line
printed is one JSON object (``import_s_100k`` ...).
"""

from __future__ import annotations

import csv
import json
import os
import pty
import random
import re
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.compare import label, machine, parse_sizes, run_sizes, sides, sized_parser
from bench.org import TEAM, _profile

BAD_EVERY = 1_000  # one row in this many names a tag the program does not have
TARGET_S_100K = 60.0
SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) failed")
HEADER = (
    "slack_user_id",
    "display_name",
    "roles",
    "title",
    "functional_area",
    "expertise",
    "interests",
    "languages",
    "location",
    "gender",
    "bio",
    "mentor_capacity",
    "tz",
)


def write_csv(path: Path, size: int, seed: int) -> int:
    """``size`` people; returns how many rows are bad on purpose."""
    rng = random.Random(seed)
    bad = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(1, size + 1):
            mentor = n % 3 == 1
            p = _profile(rng, rng.choices((1, 2, 3, 4, 5), (15, 30, 30, 15, 10))[0])
            tags = list(p["tags"])
            if n % BAD_EVERY == 0:
                tags[0], bad = "underwater basket weaving", bad + 1
            bio = f"I have worked in {p['functional_area'].lower()} and enjoy {', '.join(tags)}."
            out.writerow(
                (
                    f"U{'M' if mentor else 'E'}{n:08d}",
                    p["display_name"],
                    "mentor" if mentor else "mentee",
                    p["title"],
                    p["functional_area"],
                    ";".join(tags) if mentor else "",
                    "" if mentor else ";".join(tags[:3]),
                    ";".join(p["languages"]),
                    p["location"] or "",
                    p["gender"] or "",
                    bio,
                    rng.choice((1, 2, 3, 4, 5)) if mentor else "",
                    p["tz"],
                )
            )
    return bad


def run_cli(database: Path, csv_path: Path) -> tuple[float, int, str]:
    """Run ``import-profiles`` on a pseudo-terminal; (seconds, exit code, what it printed)."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", COLUMNS="100")
    env.pop("SLACK_BOT_TOKEN", None)  # no email rows: no lookups
    command = [sys.executable, "-c", "from bot.cli import main; main()"]
    command += ["import-profiles", str(csv_path), "--team", TEAM]
    leader, follower = pty.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - this interpreter, our own command
        command, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    output = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command exited and closed the terminal
            break
        if not chunk:
            break
        output += chunk
    code = process.wait()
    elapsed = time.perf_counter() - started
    os.close(leader)
    return elapsed, code, output.decode("utf-8", "replace")


def measure(size: int, database: Path, csv_path: Path, bad: int) -> dict[str, Any]:
    seconds, code, printed = run_cli(database, csv_path)
    found = SUMMARY.search(printed)
    if found is None:
        raise RuntimeError(f"no summary in the command's output:\n{printed[-2000:]}")
    created, updated, unchanged, failed = map(int, found.groups())
    with sqlite3.connect(database) as conn:
        members = conn.execute("SELECT count(*) FROM members").fetchone()[0]
    lines = re.findall(r"line \d+: (?:Expertise|Interests): 'underwater basket weaving'", printed)
    checks = {
        f"exit code {int(bad > 0)} (1: some rows failed)": code == int(bad > 0),
        f"{size - bad} created": created == size - bad and members == created,
        f"{bad} failed, each with its line": failed == bad and len(lines) == bad,
        "progress bar drawn": "Importing" in printed and "━" in printed,
    }
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    return {
        "size": size,
        "import_s": round(seconds, 2),
        "rows_per_s": round(size / seconds),
        "created": created,
        "failed": failed,
        "updated": updated + unchanged,
        "rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "checks_ok": all(checks.values()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = sized_parser(__doc__, "1000,10000,100000", "rows per file")
    args = parser.parse_args(argv)
    if args.one is not None:
        database = Path(args.db)
        csv_path = database.parent / f"people-{args.one}.csv"
        if args.build_only:
            bad = write_csv(csv_path, args.one, args.seed)
            database.touch()  # an empty database: the command migrates it
            print(json.dumps({"size": args.one, "bad": bad}))
        else:
            bad = sum(1 for n in range(1, args.one + 1) if n % BAD_EVERY == 0)
            print(json.dumps(measure(args.one, database, csv_path, bad)))
        return
    load = os.getloadavg()[0]
    runs = run_sizes(
        "bench.imports", parse_sizes(args.sizes), ["--seed", str(args.seed)], baseline=args.baseline
    )
    print(
        f"\nimport-profiles from outside (a process on a pseudo-terminal, progress bar on), "
        f"SQLite; {machine(load)}"
    )
    print(
        f"{'rows':>8} {'side':<9}{'seconds':>9}{'rows/s':>8}{'created':>9}{'failed':>7}"
        f"{'RSS MB':>8}"
    )
    figures: dict[str, Any] = {}
    for size, side, r in sides(runs):
        print(
            f"{size:>8} {side:<9}{r['import_s']:>9.1f}{r['rows_per_s']:>8}{r['created']:>9}"
            f"{r['failed']:>7}{r['rss_mb']:>8.0f}"
        )
        prefix = "baseline_" if side == "baseline" else ""
        figures[f"{prefix}import_s_{label(size)}"] = r["import_s"]
        figures[f"{prefix}import_rss_mb_{label(size)}"] = r["rss_mb"]
        figures[f"{prefix}import_checks_ok_{label(size)}"] = r["checks_ok"]
    big = [after for size, _, after in runs if size == 100_000]
    if big:
        ok = big[0]["import_s"] <= TARGET_S_100K
        print(
            f"{'PASS' if ok else 'FAIL'}  100k: {big[0]['import_s']:.1f} s <= {TARGET_S_100K:.0f} s"
        )
        figures["pass"] = ok and big[0]["checks_ok"]
    figures["load_avg"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
