"""Start the console: a migrated demo database, the fake Slack, the real app, a prompt."""

from __future__ import annotations

import json
import logging
import signal
import threading
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

from bot.console.session import ConsoleSession
from bot.demo import DEMO_TEAM_ID, seed_demo
from bot.sandbox import Sandbox
from bot.shutdown import exit_now
from fakeslack import FakeSlack, SlackState
from mentoring.program.settings import get_settings
from scheduler.jobs import Jobs
from store.db import Database
from store.migrate import upgrade

WELCOME = """\
Mentor Match — console demo
No Slack credentials were found, so this is the whole product running against a pretend Slack
in this terminal: the same app, listeners and database a real workspace would use.
Connect a real workspace any time: see "Connecting Slack" in README.md.

You are {me}, {a_mentee} looking for {a_mentor}. Try:
  /find-mentor            search the directory, then `press Request` on {a_mentor}
  fill 1 <your message>   write to them, then `submit`
  {switch:<24}switch to the {mentor}; `dm` shows the request; `press Accept`
  chats / chat 1          the group conversation the app opens for the pair
  advance 4d              let time pass: reminders and auto-close arrive
  {admin:<24}the program admin, then `/mentor-admin` (health, settings, export)
  help                    every command
"""


def unique_handle(display_name: str, taken: dict[str, str]) -> str:
    """A short name to type after `as`: the first name, or first and last when that is taken."""
    plain = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    parts = [p for p in plain.lower().replace("-", " ").split() if p] or ["someone"]
    for candidate in (parts[0], ".".join(parts[:1] + parts[-1:]), ".".join(parts)):
        if candidate not in taken:
            return candidate
    return f"{parts[0]}{len(taken)}"


def default_console_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'console-demo.sqlite3'}"


def run_console(
    database_url: str,
    *,
    read_line: Callable[[str], str] = input,
    out: Callable[[str], None] = print,
    now: datetime | None = None,
    reset: bool = False,
) -> None:
    """Seed on first run, then read commands until `quit` or end of input."""
    if reset:
        _remove_demo(database_url)
    logging.getLogger().setLevel(logging.WARNING)  # the screen is for the conversation
    # The pretend Slack and the app share one process here: a request briefly queued behind
    # another is normal, not something the person at the console needs to read about.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    db = Database.from_url(database_url)
    upgrade(db.engine)
    clock_file = _clock_file(db)
    start = now or _saved_time(clock_file) or demo_start(datetime.now(UTC))
    program = seed_demo(db, team_id=DEMO_TEAM_ID, now=start)
    # Slack's rules, except that a person at the console takes longer than 3 s to click.
    state = SlackState.from_manifest(
        team_id=DEMO_TEAM_ID, team_name="Demo Company", expire_triggers=False
    )
    handles: dict[str, str] = {}
    for person in program.people:
        handle = unique_handle(person.display_name, handles)
        handles[handle] = person.user_id
        state.add_user(
            person.user_id,
            name=handle,
            real_name=person.display_name,
            display_name=person.display_name,
            tz=person.tz,
            email=person.email,
        )
    with db.read() as read:  # the program's own words for the roles, as its messages use
        words = get_settings(session=read, team_id=DEMO_TEAM_ID).words
    role_names = {"mentor": words.mentor, "mentee": words.mentee}
    roles = {p.user_id: " and ".join(role_names.get(r, r) for r in p.roles) for p in program.people}
    with _interrupts_for_main_thread(), FakeSlack(state) as fake:
        sandbox = Sandbox(
            db, fake, team_id=DEMO_TEAM_ID, admins=frozenset({program.admin}), start=start
        )
        _unmask_interrupts()
        jobs = Jobs(
            db=db,
            client_for=sandbox.services.client_for,
            admins=lambda _team: [program.admin],
            clock=sandbox.clock,
        )
        session = ConsoleSession(sandbox, jobs, program.guide_mentee, out, roles=roles)
        mentor = state.user(program.guide_mentor)
        admin = state.user(program.admin)
        if not program.created:
            out(
                f"Resuming the demo at {start:%A %d %B %Y, %H:%M} UTC. Messages from earlier "
                "sessions are not kept (Home tabs show every request); `mentor-match console "
                "--reset` starts over.\n"
            )
        out(
            WELCOME.format(
                me=session.name_of(program.guide_mentee),
                switch=f"as {mentor.name if mentor else words.a_mentor}",
                admin=f"as {admin.name if admin else 'admin'}",
                mentor=words.mentor,
                a_mentor=words.a_mentor,
                a_mentee=words.a_mentee,
            )
        )
        try:
            while True:
                try:
                    line = read_line(f"{session.name_of(session.me)}> ")
                except EOFError:  # Ctrl-D
                    out("")
                    break
                if not session.handle(line):
                    break
        except KeyboardInterrupt:  # Ctrl-C (or SIGTERM), at the prompt or during a command
            out("\nInterrupted: closing the demo (Ctrl-C again quits at once).")
        finally:
            with _second_interrupt_quits():
                _save_time(clock_file, sandbox.clock.now)
                sandbox.close()
                db.dispose()


def _remove_demo(database_url: str) -> None:
    """Delete the demo's SQLite file (and its clock) so the next start seeds afresh."""
    db = Database.from_url(database_url)
    path, clock = db.engine.url.database, _clock_file(db)
    db.dispose()
    if not db.is_sqlite or not path or path == ":memory:":
        raise ValueError("--reset only removes a SQLite demo database")
    for leftover in (Path(path), Path(path + "-wal"), Path(path + "-shm"), clock):
        if leftover is not None and leftover.exists():
            leftover.unlink()


DEMO_START_HOUR = 14  # UTC: afternoon in Europe, morning in the Americas, evening in Asia


def demo_start(today: datetime) -> datetime:
    """When a new demo's clock starts: 14:00 UTC today, or on Monday at a weekend.

    The scheduler works in each person's working hours (Monday to Friday), so a demo started
    on a Saturday night would show no reminder or check-in after `advance 14d`.
    """
    day = today.astimezone(UTC).replace(hour=DEMO_START_HOUR, minute=0, second=0, microsecond=0)
    if day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=7 - day.weekday())
    return day


def _clock_file(db: Database) -> Path | None:
    database = db.engine.url.database
    if db.is_sqlite and database and database != ":memory:":
        return Path(database).with_suffix(".clock.json")
    return None


def _saved_time(path: Path | None) -> datetime | None:
    if path is None or not path.exists():
        return None
    return datetime.fromisoformat(json.loads(path.read_text())["now"])


def _save_time(path: Path | None, moment: datetime) -> None:
    if path is not None:
        path.write_text(json.dumps({"now": moment.isoformat()}))


_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _interrupts_for_main_thread() -> Iterator[None]:
    """Start the pretend Slack's and the app's threads with Ctrl-C and SIGTERM blocked.

    The kernel hands a signal to any thread that does not block it. One that lands on a server
    thread sets Python's flag, but the main thread, blocked reading the next command, would not
    see it until Enter is pressed. Threads inherit the mask: blocked in them, the signals always
    reach the main thread, which unblocks them once the threads are up.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    try:
        yield
    finally:
        _unmask_interrupts()


def _unmask_interrupts() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)


@contextmanager
def _second_interrupt_quits() -> Iterator[None]:
    """While closing, a second Ctrl-C leaves at once instead of raising in the middle of it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda *_: exit_now(130))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """Ctrl-C (SIGINT) and SIGTERM end the console: the demo is closed and saved, then it exits.

    SIGINT is set explicitly: a process started in the background inherits it ignored.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
