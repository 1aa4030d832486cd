"""Run a benchmark once per size, each in its own process, for this code and a baseline commit.

A bench module that uses this accepts ``--one SIZE --db PATH`` (measure one size against the
SQLite file at PATH, building it first when missing, and print one JSON object as its last
line) and ``--build-only``. :func:`run_sizes` then:

1. builds each size's organisation once, in a process of its own (with the baseline's code
   when there is one, so its schema is one the baseline knows);
2. runs the baseline on it: a ``git worktree`` of ``--baseline REF`` whose product packages
   come first on ``PYTHONPATH``, with *this* checkout's ``bench`` package copied beside them,
   so both sides are measured by the same benchmark code on the same data;
3. runs this code on a copy of the file (its migrations bring the copy up to date).

Each measuring process reports its own peak RSS, so memory is per size and per side. Both
sides run in the same invocation, one after the other, on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent


def label(size: int) -> str:
    """``100000`` -> ``100k`` (the JSON keys' suffix)."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def parse_sizes(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]


def sized_parser(description: str | None, sizes: str | None, what: str) -> argparse.ArgumentParser:
    """The options every sized bench shares: ``--sizes`` (of ``what``), ``--seed``,
    ``--baseline``, and the hidden ones a child process gets (``--one``, ``--db``,
    ``--build-only``)."""
    parser = argparse.ArgumentParser(description=(description or "").split("\n")[0])
    parser.add_argument("--sizes", default=sizes, help=f"comma-separated {what}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline", metavar="REF", help="also measure commit REF, same run")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child: one size
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    return parser


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo (Linux), else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(load_before: float) -> str:
    """The machine and its load, for the line above a bench's table."""
    return (
        f"{cpu_model()}, {os.cpu_count()} CPUs; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )


def sides(runs: Sequence[Any]) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Each measured (size, side, figures) of :func:`run_sizes`' result, baseline first."""
    for size, before, after in runs:
        for side, figures in (("baseline", before), ("this", after)):
            if figures is not None:
                yield size, side, figures


@contextmanager
def baseline_checkout(ref: str | None, scratch: Path) -> Iterator[Path | None]:
    """A detached worktree of ``ref`` with this bench package copied in a folder of its own;
    yields the ``PYTHONPATH`` root to put first (``None`` without a baseline)."""
    if ref is None:
        yield None
        return
    tree = scratch / "baseline"
    subprocess.run(  # noqa: S603 - git with our own arguments
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), ref],  # noqa: S607
        check=True,
        capture_output=True,
    )
    shutil.copytree(BENCH_DIR, scratch / "bench-code" / "bench")
    try:
        yield tree
    finally:
        subprocess.run(  # noqa: S603
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],  # noqa: S607
            check=False,
            capture_output=True,
        )


def child(module: str, args: Sequence[str], baseline: Path | None) -> dict[str, Any]:
    """Run ``python -m module args`` (against the baseline's code when given), echo its output
    and return the JSON object on its last line."""
    env = dict(os.environ)
    if baseline is not None:
        # This bench package first, then the baseline's product code, then site-packages (whose
        # editable install of this checkout is only consulted for what neither holds).
        paths = [str(baseline.parent / "bench-code"), str(baseline)]
        env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        cwd = str(baseline.parent)
    else:
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
        cwd = str(REPO)
    done = subprocess.run(  # noqa: S603 - this interpreter, our own module
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(done.stderr[-4000:])
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(f"    {line}")
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({done.returncode})")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def run_sizes(
    module: str, sizes: Sequence[int], args: Sequence[str], *, baseline: str | None
) -> list[tuple[int, dict[str, Any] | None, dict[str, Any]]]:
    """(size, baseline figures or None, this code's figures) for each size, see the module doc."""
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        scratch = Path(tmp)
        with baseline_checkout(baseline, scratch) as tree:
            for size in sizes:
                data = scratch / f"org-{size}.sqlite3"
                one = ["--one", str(size), *args]
                print(f"size {size}: building the organisation", flush=True)
                child(module, [*one, "--db", str(data), "--build-only"], tree)
                settle(data)
                before = None
                if tree is not None:
                    copy = scratch / f"baseline-{size}.sqlite3"
                    shutil.copy(data, copy)
                    settle(copy)
                    print(f"size {size}: baseline ({baseline})", flush=True)
                    before = child(module, [*one, "--db", str(copy)], tree)
                    copy.unlink()
                print(f"size {size}: this code", flush=True)
                after = child(module, [*one, "--db", str(data)], None)
                data.unlink()
                results.append((size, before, after))
    return results


def settle(path: Path) -> None:
    """Write a file just made out to disk before it is timed (fsync).

    Otherwise the first write transaction timed on it pays for the copy: SQLite syncs the
    database file in WAL mode on its first commit, and the kernel then writes out hundreds of
    megabytes the bench itself left dirty (about 0.35 s for the 100,000-mentor file).
    """
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def migrate_settled(path: Path) -> None:
    """Bring a SQLite file to this code's schema (a baseline may have built it), then move its
    changes out of the WAL and onto disk, so that the run timed next does not pay for them;
    last, read it through (:func:`warm`)."""
    from store.db import create_db_engine
    from store.migrate import upgrade

    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    settle(path)
    warm(path)


def warm(path: Path) -> None:
    """Read a file through, so that the run timed next finds it in the page cache.

    A side that runs on a file nobody read for minutes (this code's, after the baseline's
    seven-minute drain) otherwise pays for reading it from disk: the sweep of 100,000 pending
    took 1.19 s instead of 0.57 s after the page cache was dropped. A bot's database is in
    constant use, so the warm file is the fair comparison.
    """
    with path.open("rb") as file:
        while file.read(1 << 20):
            pass


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KiB)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
