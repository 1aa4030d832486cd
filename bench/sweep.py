"""Benchmark the periodic sweep and the outbox dispatcher against a rate-limited fake Slack.

    python -m bench.sweep [--pending 100000] [--due 10000] [--expired 1000] [--k 40]
                          [--sizes 1000,10000,100000] [--baseline REF]
    python -m bench.sweep --checkins 20000 --due 20000   (the check-in step: bench.checkins)

A migrated SQLite file (temp dir) gets one workspace with default settings, ``--pending / 5``
mentors, twice as many mentees (``bench.search`` profiles, UTC or European zones) and
``--pending`` pending requests (3 per mentee at most, one per pair) whose ages make exactly
``--due`` due at ``SWEEP_NOW`` (working hours for every mentor): ``--expired`` auto-closes (two
notices each) and first or second reminders. One ``sweep_all`` is timed; then the scheduler's
delivery job drains the outbox on the wall clock against the in-process fake Slack, which
accepts ``--k`` chat.postMessage calls per second (a sliding window) and answers 429 with
Retry-After beyond. The job runs as the scheduler runs it (``JobRunner.deliver`` with its
``Jobs``, so one ``RateLimits`` and the job's own waits for pauses and paced slots); if
notices are left when a run ends, the next run starts at the next tick of the default
``DELIVERY_INTERVAL_SECONDS``, as APScheduler would start it. Lost: notices not SENT at the
end. Duplicated: messages in the fake (or accepted calls) beyond the distinct ``ts`` of SENT
rows.
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

import scheduler.delivery as delivery
from bench import compare
from bench.compare import label, parse_sizes, peak_rss_mb, run_sizes, sides, sized_parser
from bench.search import TEAM, _insert, _member_rows
from bot.config import AppConfig
from fakeslack import FakeSlack, RateLimit, SlackState
from mentoring.sweep.sweep import SweepReport, sweep_all
from scheduler.jobs import JobRunner, Jobs
from scheduler.render.dispatch import render as render_notice
from scheduler.render.outgoing import Outgoing
from store.db import Database, create_db_engine
from store.enums import OutboxStatus, RequestKind, RequestStatus
from store.migrate import upgrade
from store.models import Member, MemberTag, OutboxMessage, Request, Workspace

try:  # the production client; a baseline from before it makes a new connection per call
    from bot.keepalive import KeepAliveWebClient as SlackClient
except ImportError:  # only under an older baseline's code
    from slack_sdk import WebClient as SlackClient

SWEEP_NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # Tuesday: 10:00-11:00 in every zone below
ZONES = ("UTC", "Europe/London", "Europe/Dublin", "Europe/Berlin", "Europe/Paris", "Europe/Madrid")
MESSAGE = "I would love your help with my next career step, thank you!"
TARGET_SWEEP_S = 2.0
TARGET_PCT = 90.0  # of K
DAY, MINUTE = timedelta(days=1), timedelta(minutes=1)
DELIVERY_SECONDS = AppConfig.model_fields["delivery_interval_seconds"].default
# A baseline's render may take fewer arguments (terminology read once a batch came later).
Render = Callable[..., Outgoing | None]


def _mentors(pending: int) -> int:
    """How many mentors the organisation has (mentees: twice as many)."""
    return max(3, pending // 5)


def _ago(rng: random.Random, low: timedelta, high: timedelta) -> datetime:
    """A moment between ``high`` and ``low`` before ``SWEEP_NOW``, to the second."""
    seconds = rng.uniform(low.total_seconds(), high.total_seconds())
    return SWEEP_NOW - timedelta(seconds=int(seconds))


def _timing(rng: random.Random, bucket: str) -> tuple[datetime, int, datetime | None]:
    """(created_at, reminder_count, last_reminded_at) for a request of ``bucket``."""
    if bucket == "expire":  # over 14 days old: closed whatever its reminders
        created = _ago(rng, 14 * DAY + MINUTE, 34 * DAY)
        return created, 2, created + 6 * DAY
    if bucket == "remind1":  # 3 to 6 days old, never reminded
        return _ago(rng, 3 * DAY + MINUTE, 6 * DAY - MINUTE), 0, None
    if bucket == "remind2":  # 6 to 14 days old, first reminder 3 days or more ago
        created = _ago(rng, 6 * DAY + MINUTE, 14 * DAY - MINUTE)
        return created, 1, created + 3 * DAY
    if bucket == "fresh":  # under 3 days old
        return _ago(rng, MINUTE, 3 * DAY - MINUTE), 0, None
    if bucket == "recent":  # reminded once, under 3 days ago
        last = _ago(rng, MINUTE, 3 * DAY - MINUTE)
        spare = 11 * DAY - (SWEEP_NOW - last) - 2 * MINUTE
        return last - 3 * DAY - spare * rng.random(), 1, last
    created = _ago(rng, 6 * DAY + MINUTE, 14 * DAY - MINUTE)  # "maxed": reminded twice
    return created, 2, created + 6 * DAY


def build(path: Path, pending: int, due: int, expired: int, seed: int) -> tuple[Database, int]:
    """A migrated SQLite file with ``pending`` pending requests; the database and member count."""
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    rng = random.Random(seed)
    mentors = _mentors(pending)
    mentees = 2 * mentors  # 2.5 pending requests per mentee on average, 3 at most
    buckets = ["expire"] * expired + ["remind1"] * ((due - expired) // 2)
    buckets += ["remind2"] * (due - len(buckets))
    buckets += [("fresh", "recent", "maxed")[i % 3] for i in range(pending - due)]
    rng.shuffle(buckets)
    tags: list[dict[str, Any]] = []

    def members() -> Iterator[dict[str, Any]]:
        for row in _member_rows(rng, mentors):
            row["tz"] = rng.choice(ZONES)
            if row["is_mentor"]:
                tags.extend(
                    {"member_id": row["id"], "tag": t.lower(), "team_id": TEAM}
                    for t in row["expertise"]
                )
            yield row

    def requests() -> Iterator[dict[str, Any]]:
        stride = mentors // 3 + 1  # the 2nd and 3rd mentor a mentee asks are never the 1st
        for n, bucket in enumerate(buckets):
            mentee, round_ = n % mentees, n // mentees
            created, count, last = _timing(rng, bucket)
            yield {
                "team_id": TEAM,
                "mentee_id": mentors + 1 + mentee,
                "mentor_id": 1 + (mentee + round_ * stride) % mentors,
                "kind": RequestKind.MENTEE_REQUEST,
                "message": MESSAGE,
                "status": RequestStatus.PENDING,
                "created_at": created,
                "reminder_count": count,
                "last_reminded_at": last,
            }

    with engine.begin() as conn:
        conn.execute(
            insert(Workspace), [{"team_id": TEAM, "created_at": SWEEP_NOW, "settings": {}}]
        )
        people = _insert(conn, Member.__table__, members())
        _insert(conn, MemberTag.__table__, iter(tags))
        _insert(conn, Request.__table__, requests())
    return Database(engine), people


@dataclass
class Drain:
    """What the delivery loop did, and where its time went."""

    due: int
    sent: int
    seconds: float
    calls: int
    ratelimited: int
    waits: int  # the delivery job's waits, and the bench's for the next scheduled run
    lost: int
    duplicated: int
    cpu_s: float  # the whole process: dispatcher and the in-process fake Slack
    dispatcher_cpu_s: float  # the dispatching thread only
    render_ms: dict[str, list[float]]  # wall time of each render, by kind of notice


def _next_attempt(db: Database) -> datetime | None:
    """When the earliest notice still pending may be tried (``None``: nothing left)."""
    with db.read() as session:
        return session.scalar(
            select(func.min(OutboxMessage.next_attempt_at)).where(
                OutboxMessage.status == OutboxStatus.PENDING
            )
        )


def _timed_render(mentors: int, into: dict[str, list[float]]) -> Render:
    """``render`` that also records its wall time, by notice kind (and mentee or mentor)."""

    def render(session: Session, row: OutboxMessage, now: datetime, *rest: Any) -> Outgoing | None:
        started = time.perf_counter()
        try:
            return render_notice(session, row, now, *rest)
        finally:
            who = "mentee" if (row.recipient_id or 0) > mentors else "mentor"
            into[f"{row.kind} to {who}"].append(1000 * (time.perf_counter() - started))

    return render


class _CountedStop(threading.Event):
    """The job runner's stop event (set when the drain's time is up), counting the waits made
    on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waits = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.waits += 1
        return super().wait(timeout)


def drain(db: Database, *, k: int, timeout_s: float, mentors: int) -> Drain:
    """Deliver every due notification to a fake Slack limited to ``k`` posts per second."""
    with db.read() as session:
        due = session.scalar(
            select(func.count()).where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= datetime.now(UTC),
            )
        )
        users = list(session.scalars(select(Member.slack_user_id)))
    state = SlackState(team_id=TEAM)
    for user in users:
        state.add_user(user)
    state.set_rate_limit("chat.postMessage", RateLimit(k, 1.0, scope="global"))
    render_ms: dict[str, list[float]] = defaultdict(list)
    timed = patch.object(delivery, "render", _timed_render(mentors, render_ms))
    with timed, FakeSlack(state) as fake:
        client = SlackClient(token="xoxb-test-bench", base_url=fake.api_url)  # noqa: S106
        jobs = Jobs(db=db, client_for=lambda _team: client, admins=lambda _team: ())
        runner = JobRunner(jobs)
        runner.stopping = stop = _CountedStop()
        # The job goes on while a run stops at its limit with more due: only a stop ends it.
        time_up = threading.Timer(timeout_s, stop.set)
        started, cpu, thread_cpu = time.perf_counter(), time.process_time(), time.thread_time()
        time_up.start()
        while not stop.is_set():
            runner.deliver()
            if _next_attempt(db) is None:
                break
            # Notices left (retrying later): the scheduler runs the job at its next tick.
            elapsed = time.perf_counter() - started
            stop.wait(DELIVERY_SECONDS * (elapsed // DELIVERY_SECONDS + 1) - elapsed)
        seconds = time.perf_counter() - started
        cpu, thread_cpu = time.process_time() - cpu, time.thread_time() - thread_cpu
        time_up.cancel()
        posts = state.calls("chat.postMessage")
        in_fake = state.snapshot()["messages"]
    with db.read() as session:
        rows = session.execute(select(OutboxMessage.status, OutboxMessage.slack_ts)).all()
    sent_ts = [ts for status, ts in rows if status is OutboxStatus.SENT]
    accepted = sum(1 for c in posts if c.ok)
    # A notice posted twice leaves a message (and an accepted call) no SENT row accounts for.
    duplicated = max(in_fake, accepted) - len(set(sent_ts))
    return Drain(
        due=due or 0,
        sent=len(sent_ts),
        seconds=seconds,
        calls=len(posts),
        ratelimited=sum(1 for c in posts if c.status == 429),
        waits=stop.waits,
        lost=sum(1 for status, _ in rows if status is not OutboxStatus.SENT),
        duplicated=duplicated,
        cpu_s=cpu,
        dispatcher_cpu_s=thread_cpu,
        render_ms=dict(render_ms),
    )


def one(args: argparse.Namespace) -> dict[str, Any]:
    """One size in this process (``--one PENDING --db PATH``): sweep, drain; the figures."""
    pending, due, expired = args.one, args.due, args.expired
    path = Path(args.db)
    if args.build_only:
        started = time.perf_counter()
        build(path, pending, due, expired, args.seed)[0].dispose()
        return {"pending": pending, "build_s": round(time.perf_counter() - started, 1)}
    compare.migrate_settled(path)  # this code's schema, on a baseline's file too, written out
    db = Database(create_db_engine(f"sqlite:///{path}"))
    started, cpu = time.perf_counter(), time.process_time()
    report = sweep_all(session_factory=db.write, now=SWEEP_NOW)
    sweep_s, sweep_cpu = time.perf_counter() - started, time.process_time() - cpu
    mentors = _mentors(pending)
    result = drain(db, k=args.k, timeout_s=args.timeout, mentors=mentors)
    db.dispose()
    rate = result.sent / result.seconds if result.seconds else 0.0
    per = 1000 / max(1, result.sent)
    expected = SweepReport(reminded=due - expired, expired=expired)
    renders = {kind: round(statistics.mean(ms), 2) for kind, ms in result.render_ms.items()}
    return {
        "pending": pending,
        "due": due,
        "expired": expired,
        "mentors": mentors,
        "sweep_s": round(sweep_s, 3),
        "sweep_cpu_s": round(sweep_cpu, 3),
        # The first sweep after seeding also prunes the directory's change log (timed with it).
        "acted_as_planned": replace(report, directory_changes_pruned=0) == expected,
        "directory_changes_pruned": report.directory_changes_pruned,
        "notifications": result.due,
        "notifications_expected": due + expired,  # an expiry tells the mentee and the mentor
        "sent": result.sent,
        "k_per_s": args.k,
        "drain_s": round(result.seconds, 2),
        "throughput_per_s": round(rate, 1),
        "throughput_pct": round(100 * rate / args.k, 1),
        "lost": result.lost,
        "duplicated": result.duplicated,
        "ratelimited_responses": result.ratelimited,
        "waits": result.waits,
        "dispatch_cpu_ms_per_notification": round(per * result.dispatcher_cpu_s, 2),
        "process_cpu_ms_per_notification": round(per * result.cpu_s, 2),
        "render_ms_mean": renders,
        "rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    """Each size (and the baseline's code) in its own process; the table, then the JSON."""
    parser = sized_parser(__doc__, None, "pending requests per run, e.g. 1000,10000,100000")
    parser.add_argument("--pending", type=int, default=100_000, help="pending requests")
    parser.add_argument("--due", type=int, default=10_000, help="of which due at SWEEP_NOW")
    parser.add_argument("--expired", type=int, default=0, help="of the due: auto-closed")
    parser.add_argument("--k", type=int, default=40, help="chat.postMessage calls per second")
    parser.add_argument("--timeout", type=float, default=3600.0, help="stop draining after (s)")
    parser.add_argument(
        "--checkins",
        type=int,
        default=0,
        metavar="PAIRS",
        help="instead: the check-in step, PAIRS active pairs, --due of them due (bench.checkins)",
    )
    args = parser.parse_args(argv)
    if args.checkins:
        from bench.checkins import main as checkins_main

        checkins_main(["--pairs", str(args.checkins), "--due", str(min(args.due, args.checkins))])
        return
    if not 0 <= args.expired <= args.due <= args.pending:
        parser.error("need 0 <= --expired <= --due <= --pending")
    # Each 429 is logged as a warning; they are counted instead, to keep the output a table.
    logging.getLogger(delivery.__name__).setLevel(logging.ERROR)
    if args.one is not None:
        print(json.dumps(one(args)))
        return
    sizes = parse_sizes(args.sizes) if args.sizes else [args.pending]
    load_before = os.getloadavg()[0]
    runs = []
    for size in sizes:  # --due and --expired scale with the size: the same mix at every size
        due, expired = args.due * size // args.pending, args.expired * size // args.pending
        common = ["--due", str(due), "--expired", str(expired), "--k", str(args.k)]
        common += ["--pending", str(size), "--seed", str(args.seed)]
        common += ["--timeout", str(args.timeout)]
        runs += run_sizes("bench.sweep", [size], common, baseline=args.baseline)
    report(runs, args, load_before)


def report(
    runs: list[tuple[int, dict[str, Any] | None, dict[str, Any]]],
    args: argparse.Namespace,
    load_before: float,
) -> None:
    """The table of every run and the targets of the largest, then the JSON line."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nSweep and drain at K={args.k}/s; baseline {args.baseline or '(none)'}")
    print(f"load average {load_before:.1f} before; {load} after, on {os.cpu_count()} CPUs")
    header = (
        "pending  code      sweep s  sweep CPU s  notices  drain s  % of K  dispatch CPU ms"
        "  lost  dup  RSS MB"
    )
    print(header)
    print("-" * len(header))
    for size, name, r in sides(runs):
        print(
            f"{size:>7}  {name:<8}{r['sweep_s']:>8.2f}{r['sweep_cpu_s']:>13.2f}"
            f"{r['sent']:>9}{r['drain_s']:>9.1f}{r['throughput_pct']:>8.1f}"
            f"{r['dispatch_cpu_ms_per_notification']:>17.2f}{r['lost']:>6}{r['duplicated']:>5}"
            f"{r['rss_mb']:>8.0f}"
        )
        for kind, ms in sorted(r["render_ms_mean"].items()):
            print(f"{'':>17}render {kind}: {ms:.1f} ms mean wall")
    figures: dict[str, Any] = {"baseline": args.baseline, "k_per_s": args.k}
    for size, base, new in runs:
        for prefix, r in (("", new), ("baseline_", base)):
            if r is None:
                continue
            for key in ("sweep_s", "sweep_cpu_s", "throughput_pct", "lost", "duplicated"):
                figures[f"{prefix}{key}_{label(size)}"] = r[key]
            cpu_key = "dispatch_cpu_ms_per_notification"
            figures[f"{prefix}{cpu_key}_{label(size)}"] = r[cpu_key]
            figures[f"{prefix}rss_mb_{label(size)}"] = r["rss_mb"]
            alternatives = r["render_ms_mean"].get("request.expired to mentee")
            if alternatives is not None:
                figures[f"{prefix}alt_render_ms_{label(r['mentors'])}"] = alternatives
    _size, _base, last = runs[-1]  # the targets are read on the largest size
    checks = {
        "sweep": last["sweep_s"] <= TARGET_SWEEP_S,
        "acted on as planned": last["acted_as_planned"],
        "notifications due": last["notifications"] == last["notifications_expected"],
        "throughput": last["throughput_pct"] >= TARGET_PCT,
        "none lost": last["lost"] == 0,
        "none duplicated": last["duplicated"] == 0,
    }
    for key in ("sweep_s", "sweep_cpu_s", "throughput_pct", "lost", "duplicated", "drain_s"):
        figures[key] = last[key]
    figures["dispatch_cpu_ms_per_notification"] = last["dispatch_cpu_ms_per_notification"]
    figures["notifications"] = last["sent"]
    figures["pass"] = all(checks.values())
    verdicts = ", ".join(f"{name} {'PASS' if ok else 'FAIL'}" for name, ok in checks.items())
    print(f"targets at {last['pending']} pending (sweep <= {TARGET_SWEEP_S:g} s, drain >= ")
    print(f"{TARGET_PCT:g}% of K, none lost or duplicated): {verdicts}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
