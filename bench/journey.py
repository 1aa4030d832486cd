"""Benchmark ``/find-mentor`` from outside: a signed Slack request through the running app
until the fake Slack gets ``views.open`` and then the ``views.update`` with the ranked results,
and a filter change in the open modal until its ``views.update``.

    python -m bench.journey [--sizes 10000,100000] [--requests 200] [--warmup 10] [--seed 7]
                            [--baseline REF]

Each size runs in its own process (bench.compare), on the ``bench.search`` organisation of
that many mentors (twice as many mentees, relationships and requests, default taxonomy),
built once; with ``--baseline REF`` the same measurement runs on that commit's code, on the
same data, in the same invocation. Each process reports its peak RSS.

The real Bolt app serves the organisation over loopback HTTP (``bot.sandbox.Sandbox``:
waitress, Bolt, listeners) and talks to the in-process fake Slack, with Slack's rules on
(trigger expiry included). The searcher is the first generated mentee (enrolled, with
interests and a functional area). The directory index is loaded first, as ``serve`` does.

Each timed request runs from just before the signed request is posted (t0, ``time.time()``)
to the ``at`` stamp of the call it caused (the fake stamps ``at`` with ``time.time()`` as the
call arrives). ``/find-mentor`` opens its modal with the filters and a "finding" line first,
then ranks the directory and fills in the results with ``views.update`` ("results": the
target). Right after it, a filter change (an area, tags, a keyword, an area with tags, in
turn) is posted as ``block_actions`` on the open modal ("filter": the other target). The
floor is the same server answering a trivial command (registered here only) with a static
modal; floor and search alternate so both see the same machine. ``/find-mentor`` texts cycle
through ``TEXTS``. A request the strict fake refuses (an answer after 3 s, an expired
trigger) is counted and reported, not timed. CPU p50 is the process CPU time one search
exchange used (app, fake and client share the process).
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlalchemy import select

from bench.compare import label, machine, parse_sizes, peak_rss_mb, run_sizes, sides, sized_parser
from bench.search import NOW, TEAM, build, warm_up
from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from bot.sandbox import Sandbox
from fakeslack import CallRecord, FakeSlack, LateAck, SignedRequest, SlackState
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS, DEFAULT_FUNCTIONAL_AREAS
from store.db import Database, create_db_engine
from store.migrate import upgrade
from store.models import Member

FLOOR_COMMAND = "/bench-floor"
SEARCH_COMMAND = "/find-mentor"
# Empty is what most people type; the keywords (one and two words) exercise the text filter.
TEXTS = ("", "", "python", "", "leadership", "", "berlin", "senior engineering")
TARGET_P95_MS = 100.0
TARGET_RATIO = 3.0
FLOOR_VIEW: dict[str, Any] = {
    "type": "modal",
    "callback_id": "bench_floor",
    "title": {"type": "plain_text", "text": "Floor"},
    "close": {"type": "plain_text", "text": "Close"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "A static modal."}}],
}


def floor_listener(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
    """The floor: acknowledge and open a static modal, with no database work at all."""
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=FLOOR_VIEW)


def searcher(db: Database, mentors: int) -> tuple[str, str]:
    """Slack user id and timezone of the first generated mentee (enrolled, with interests)."""
    with db.read() as session:
        member = session.scalars(select(Member).where(Member.id == mentors + 1)).one()
        assert member.is_mentee and member.interests and member.functional_area
        return member.slack_user_id, member.tz


def views_open_for(state: SlackState, trigger_id: str) -> CallRecord:
    """The views.open call that used ``trigger_id`` (newest first: it was just made)."""
    for record in reversed(state.calls("views.open")):
        if record.params.get("trigger_id") == trigger_id:
            if not record.ok:
                raise RuntimeError(f"views.open failed: {record.error}")
            return record
    raise RuntimeError(f"no views.open for trigger {trigger_id}")


def update_since(state: SlackState, since: float) -> CallRecord | None:
    """The first views.update the fake received at or after ``since`` (requests run one at a
    time, so it is the one the request sent then caused)."""
    for record in state.calls("views.update"):
        if record.at >= since:
            if not record.ok:
                raise RuntimeError(f"views.update failed: {record.error}")
            return record
    return None


def timed(
    sandbox: Sandbox, request: SignedRequest, callback_id: str
) -> tuple[float, float | None, float]:
    """Milliseconds from posting ``request`` to the fake receiving its views.open and (for
    the search) the views.update with the results, and the process CPU milliseconds the whole
    exchange used (app, fake and client share the process).
    """
    trigger_id = request.payload()["trigger_id"]
    cpu0 = time.process_time()
    t0 = time.time()  # the fake stamps CallRecord.at with time.time() too
    status, body = sandbox.send(request)
    cpu = (time.process_time() - cpu0) * 1000
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:200]}")
    record = views_open_for(sandbox.state, trigger_id)
    opened = record.params["view"].get("callback_id")
    if opened != callback_id:  # e.g. the enrollment modal instead of the directory
        raise RuntimeError(f"expected modal {callback_id!r}, got {opened!r}")
    update = update_since(sandbox.state, record.at)
    filled = None if update is None else (update.at - t0) * 1000
    return (record.at - t0) * 1000, filled, cpu


def filter_values(n: int) -> dict[str, Any]:
    """The n-th filter change: an area, one or two tags, a keyword, an area with tags."""
    area = DEFAULT_FUNCTIONAL_AREAS[n % len(DEFAULT_FUNCTIONAL_AREAS)]
    tags = list(DEFAULT_EXPERTISE_TAGS[n % 7 : n % 7 + 1 + n % 2])
    choices: list[dict[str, Any]] = [
        {Field.FUNCTIONAL_AREA: area},
        {Field.EXPERTISE: tags},
        {Field.KEYWORDS: ("python", "leadership", "berlin")[n % 3]},
        {Field.FUNCTIONAL_AREA: area, Field.EXPERTISE: tags},
    ]
    chosen = choices[n % len(choices)]
    return {block: {Action.SEARCH_FILTER: value} for block, value in chosen.items()}


def timed_filter_change(sandbox: Sandbox, user: str, n: int) -> float:
    """Milliseconds from posting a filter change in the open search modal to the fake
    receiving the views.update with the new results."""
    values = filter_values(n)
    block = next(iter(values))
    request = sandbox.inbound.block_actions(
        user,
        [{"action_id": Action.SEARCH_FILTER, "block_id": block}],
        view=sandbox.state.views_for(user)[-1],
        values=values,
    )
    t0 = time.time()
    status, body = sandbox.send(request)
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:200]}")
    update = update_since(sandbox.state, t0)
    if update is None:
        raise RuntimeError("the filter change never updated the modal")
    return (update.at - t0) * 1000


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (the same rule as bench.search)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def open_or_build(path: Path, mentors: int, seed: int) -> Database:
    """The organisation in ``path``, built first when the file is missing; migrated to this
    code's schema either way."""
    if path.exists():
        engine = create_db_engine(f"sqlite:///{path}")
        upgrade(engine)
        return Database(engine)
    return build(path, mentors, seed)


def run(mentors: int, requests: int, warmup: int, seed: int, path: Path) -> dict[str, Any]:
    """Serve the organisation and time search and floor requests alternately, each search
    followed by a filter change in its modal."""
    db = open_or_build(path, mentors, seed)
    warm_up(db)  # as serve does once it is up
    user, tz = searcher(db, mentors)
    state = SlackState.from_manifest(team_id=TEAM)  # Slack's rules, trigger expiry included
    state.add_user(user, name="searcher", real_name="Sam Searcher", tz=tz)
    search_ms: list[float] = []
    results_ms: list[float] = []
    filter_ms: list[float] = []
    floor_ms: list[float] = []
    cpu: dict[str, list[float]] = {"search": [], "floor": []}
    by_text: dict[str, list[float]] = {t: [] for t in TEXTS}
    failures: list[str] = []
    texts = itertools.cycle(TEXTS)
    with FakeSlack(state) as fake:
        sandbox = Sandbox(db, fake, team_id=TEAM, start=NOW)
        sandbox.app.command(FLOOR_COMMAND)(floor_listener)
        try:
            for n in range(warmup + requests):
                text = next(texts)
                search = sandbox.inbound.command(user, SEARCH_COMMAND, text)
                floor = sandbox.inbound.command(user, FLOOR_COMMAND)
                # Alternate which goes first, so neither always follows the other; the filter
                # change follows the search at once, while its modal is the one on top.
                got: dict[str, tuple[float, float | None, float]] = {}
                changed = 0.0
                try:
                    for name in ("floor", "search") if n % 2 else ("search", "floor"):
                        if name == "floor":
                            got[name] = timed(sandbox, floor, "bench_floor")
                        else:
                            got[name] = timed(sandbox, search, str(ViewId.SEARCH))
                            changed = timed_filter_change(sandbox, user, n)
                except (LateAck, RuntimeError) as exc:
                    # A stalled machine can hold a request past Slack's 3 s: count it, go on.
                    failures.append(f"request {n}: {exc}")
                    continue
                if n >= warmup:
                    opened, filled, _used = got["search"]
                    if filled is None:
                        raise RuntimeError("the search modal was never filled in")
                    search_ms.append(opened)
                    results_ms.append(filled)
                    filter_ms.append(changed)
                    floor_ms.append(got["floor"][0])
                    by_text[text].append(filled)
                    for name, (_, _, used) in got.items():
                        cpu[name].append(used)
        finally:
            sandbox.close()
    db.dispose()
    return {
        "search": search_ms,
        "results": results_ms,
        "filter": filter_ms,
        "floor": floor_ms,
        "by_text": {t: statistics.median(v) for t, v in by_text.items() if v},
        "cpu": {name: statistics.median(v) for name, v in cpu.items()},
        "failures": failures,
    }


def summary(values: list[float]) -> tuple[float, float, float]:
    """(p50, p95, max) in milliseconds."""
    return statistics.median(values), percentile(values, 95), max(values)


def measure_one(args: argparse.Namespace) -> dict[str, Any]:
    """One size in this process: the figures of :func:`run` as a flat dict."""
    size = args.one
    path = Path(args.db)
    if args.build_only:
        build(path, size, args.seed).dispose()
        return {"mentors": size, "built": True}
    result = run(size, args.requests, args.warmup, args.seed, path)
    figures: dict[str, Any] = {"mentors": size, "requests": args.requests}
    for key in ("search", "results", "filter", "floor"):
        p50, p95, worst = summary(result[key])
        figures.update({f"{key}_p50_ms": p50, f"{key}_p95_ms": p95, f"{key}_max_ms": worst})
    figures["cpu_p50_ms"] = result["cpu"]["search"]
    figures["floor_cpu_p50_ms"] = result["cpu"]["floor"]
    figures["by_text"] = result["by_text"]
    figures["rss_mb"] = peak_rss_mb()
    figures["failed"] = len(result["failures"])
    for failure in result["failures"]:
        print(f"FAILED {failure[:300]}")
    for line in describe(figures):
        print(line)
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}


def describe(f: dict[str, Any]) -> list[str]:
    """The human table of one size's figures."""
    rows = [
        ("/find-mentor (views.open)", "search"),
        ("results (views.update)", "results"),
        ("filter change (update)", "filter"),
        ("floor (static modal)", "floor"),
    ]
    lines = [
        f"{f['mentors']:,} mentors, peak RSS {f['rss_mb']:.0f} MB",
        f"{'':<28}p50    p95    max",
    ]
    for name, key in rows:
        p50, p95, worst = (f[f"{key}_{x}_ms"] for x in ("p50", "p95", "max"))
        lines.append(f"{name:<28}{p50:>6.1f} {p95:>6.1f} {worst:>6.1f}")
    for text, median in f["by_text"].items():
        lines.append(f"  results, text {text or '(empty)'!r:<20} p50 {median:6.1f} ms")
    return lines


def main(argv: list[str] | None = None) -> None:
    """Parse options, run each size (and the baseline), print a table and the JSON figures."""
    parser = sized_parser(__doc__, "10000", "mentor counts")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per command")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per command")
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure_one(args)))
        return
    load = os.getloadavg()[0]
    common = ["--requests", str(args.requests), "--warmup", str(args.warmup)]
    common += ["--seed", str(args.seed)]
    runs = run_sizes("bench.journey", parse_sizes(args.sizes), common, baseline=args.baseline)
    print(
        f"\n/find-mentor from outside (signed HTTP in, fake Slack's views.open/views.update "
        f"out), SQLite; {args.requests} requests per size after {args.warmup} warm-up; "
        f"{machine(load)}"
    )
    print(
        f"{'mentors':>8} {'side':<9}{'open p95':>9}{'results p50':>12}{'results p95':>12}"
        f"{'filter p50':>11}{'filter p95':>11}{'RSS MB':>8}"
    )
    figures: dict[str, Any] = {}
    for size, side, f in sides(runs):
        print(
            f"{size:>8} {side:<9}{f['search_p95_ms']:>9.1f}{f['results_p50_ms']:>12.1f}"
            f"{f['results_p95_ms']:>12.1f}{f['filter_p50_ms']:>11.1f}"
            f"{f['filter_p95_ms']:>11.1f}{f['rss_mb']:>8.0f}"
        )
        prefix = "baseline_" if side == "baseline" else ""
        n = label(size)
        figures[f"{prefix}find_mentor_p95_ms_{n}"] = f["results_p95_ms"]
        figures[f"{prefix}filter_change_p95_ms_{n}"] = f["filter_p95_ms"]
        figures[f"{prefix}open_p95_ms_{n}"] = f["search_p95_ms"]
        figures[f"{prefix}journey_rss_mb_{n}"] = f["rss_mb"]
        figures[f"{prefix}failed_requests_{n}"] = f["failed"]
    checks = [
        (
            f"{label(s)}: ranked results p95 {a['results_p95_ms']:.1f} ms <= {TARGET_P95_MS:.0f}",
            a["results_p95_ms"] <= TARGET_P95_MS,
        )
        for s, _, a in runs
        if s >= 100_000
    ] + [
        (
            f"{label(s)}: filter change p95 {a['filter_p95_ms']:.1f} ms <= {TARGET_P95_MS:.0f}",
            a["filter_p95_ms"] <= TARGET_P95_MS,
        )
        for s, _, a in runs
        if s >= 100_000
    ]
    checks += [
        (f"{label(s)}: no request failed ({a['failed']})", a["failed"] == 0) for s, _, a in runs
    ]
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    figures["load_avg"] = round(os.getloadavg()[0], 2)
    figures["pass"] = all(ok for _, ok in checks)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
