"""The console, scripted like a newcomer would use it: input lines in, screen text out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from freezegun import freeze_time

from bot.console.app import run_console
from bot.demo import DEMO_TEAM_ID
from mentoring.program.settings_changes import update_settings
from store.db import Database

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday morning


def play(tmp_path: Path, lines: list[str], **kw: object) -> str:
    script: Iterator[str] = iter(lines)
    screen: list[str] = []

    def read_line(prompt: str) -> str:
        try:
            line = next(script)
        except StopIteration:
            raise EOFError from None
        screen.append(prompt + line)
        return line

    run_console(
        f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        read_line=read_line,
        out=screen.append,
        **({"now": START} | kw),
    )
    return "\n".join(screen)


def after(text: str, command: str) -> str:
    """What the screen showed after the last time ``command`` was typed."""
    return text.rsplit("> " + command, 1)[1]


def between(text: str, prompt_and_command: str) -> str:
    """What the screen showed after this exact prompt and command, up to the next command."""
    shown = text.split(prompt_and_command + "\n", 1)[1]
    return shown.split("> ", 1)[0] if "> " in shown else shown


def test_the_whole_journey_in_the_console(tmp_path: Path) -> None:
    text = play(
        tmp_path,
        [
            "/find-mentor",
            "press Request",
            "fill 1 too short",
            "submit",
            "fill 1 Hi Kemi! I would love your help growing into a staff engineer role.",
            "submit",
            "as kemi",
            "dm",
            "press Accept",
            "chats",
            "chat 1",
            "home",
            "press Decline",
            "fill 1 I don't have time right now",
            "fill 2 Please ask Arjun, he knows this area well.",
            "submit",
            "as mateo",
            "advance 4d",
            "as rosa",
            "advance 2h",  # the tick's reminders are two hours old: the admin may send another
            "/mentor-admin",
            "fill 3 Newest first",
            "press Remind now",
            "/mentor-admin health",
            "fill 1 Last 90 days",
            "/mentor-admin export",
            "dm",
            "advance 11d",
            "quit",
        ],
    )
    assert "You are Mateo Fernández, a mentee looking for a mentor." in text
    search = after(text, "/find-mentor")
    assert "Kemi Adeyemi" in search and "% match" in search and "slots open" in search
    assert "! Please write at least 20 characters" in after(text, "fill 1 too short")
    assert "Your request is on its way to Kemi Adeyemi" in text
    assert "* New DM for Kemi Adeyemi: New request from Mateo Fernández" in text
    kemi_dm = between(text, "Kemi Adeyemi> dm")
    assert "Mateo Fernández would like you as their mentor" in kemi_dm
    assert "[1] Accept   [2] Decline   [3] View profile   [4] Message" in kemi_dm
    accepted = after(text, "press Accept")
    assert "* New DM for Mateo Fernández: Kemi Adeyemi accepted your request!" in accepted
    chat = after(text, "chat 1")
    assert "this is your shared space for mentoring" in chat
    assert "Hi Kemi! I would love your help" in chat
    declined = after(text, "fill 2 Please ask Arjun, he knows this area well.")
    assert "Declined. They'll see your reason" in declined
    assert "can't take your request right now" in declined  # the mentee's DM arrives
    first_tick = after(text, "advance 4d").split("as rosa")[0]
    assert "The scheduler sent" in first_tick and "Reminder:" in first_tick
    second_tick = after(text, "advance 11d")
    assert "was closed after waiting too long" in second_tick
    dashboard = between(text, "Rosa Delgado> /mentor-admin")
    assert "pending · " in dashboard and "(2) Status: Pending (" in dashboard
    # The demo program offers one-time meetings, so the dashboard shows either kind.
    assert "(1) Show: Mentoring requests (" in dashboard
    assert "Meeting requests (0 pending)" in dashboard
    assert "(3) Order: Oldest first" in dashboard and "Remind now" in dashboard
    newest = between(text, "Rosa Delgado> fill 3 Newest first")
    assert "(3) Order: Newest first" in newest and "Waiting " in newest
    reminded = between(text, "Rosa Delgado> press Remind now")
    assert "🔔 Reminded Hannah Weber about Kofi Mensah's request" in reminded
    assert "* New DM for Hannah Weber: Reminder: Kofi Mensah is waiting" in reminded
    health = between(text, "Rosa Delgado> fill 1 Last 90 days")
    assert "(1) Period: Last 90 days" in health and "== Weekly trend ==" in health
    assert "█" in health and "How long requests sit pending" in health
    assert "== One-time meetings ==" in health
    assert "No meeting requests were sent in this period." in health
    exported = between(text, "Rosa Delgado> /mentor-admin export")
    assert "Export sent to your DM" in exported
    rosa_dm = between(text, "Rosa Delgado> dm")
    assert "[file] mentoring-requests-2026-03-06.csv" in rosa_dm
    assert "[file] mentoring-relationships-2026-03-06.csv" in rosa_dm


def test_bad_commands_are_explained_and_the_demo_resumes(tmp_path: Path) -> None:
    text = play(tmp_path, ["press 99", "fill 1 x", "as nobody", "dance", "advance soon"])
    assert "! there is no button 99 on the screen" in text
    assert "! there is no form open" in text
    assert "! nobody called 'nobody'" in text
    assert "I don't know 'dance'" in text
    assert "! say how long" in text
    again = play(tmp_path, ["time"])
    assert "Resuming the demo" in again
    fresh = play(tmp_path, ["time"], reset=True)
    assert "Resuming the demo" not in fresh


def test_a_one_time_meeting_in_the_console(tmp_path: Path) -> None:
    text = play(
        tmp_path,
        [
            "home",
            "press 6",  # Request meeting, on Kemi's recommendation
            "fill 1 Growing into a staff engineer",
            "fill 2 Hi Kemi, could we talk for 30 minutes about how you became staff?",
            "fill 4 2026-03-04",
            "fill 5 10:00",
            "submit",
            "as kemi",
            "dm",
            "press Accept this time",
            "chat 1",
            "quit",
        ],
    )
    form = after(text, "press 6")
    assert "+-- Request a meeting" in form and "asking Kemi Adeyemi" in form
    assert "in your timezone (America/Mexico_City)" in form
    assert "Your meeting request is on its way to Kemi Adeyemi" in text
    card = after(text, "dm")
    assert "Option 1: Wed 4 Mar 2026, 16:00 GMT" in card  # 10:00 in Mexico City, for Kemi
    chat = after(text, "chat 1")
    assert "your one-time meeting is set" in chat
    assert "10:00 CST for Mateo Fernández" in chat
    assert "[file] meeting-1.ics" in chat


def test_the_console_speaks_the_programs_words(tmp_path: Path) -> None:
    play(tmp_path, ["quit"])  # the demo program, seeded
    db = Database.from_url(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with db.write() as session:
        update_settings(
            session=session,
            team_id=DEMO_TEAM_ID,
            actor="U0ADMIN",
            changes={"terminology": {"mentor": "coach", "mentee": "advisee"}},
            now=START,
        )
    db.dispose()

    text = play(tmp_path, ["people", "help", "home", "/find-mentor", "quit"])

    assert "You are Mateo Fernández, an advisee looking for a coach." in text
    assert "switch to the coach" in text and "`press Request` on a coach" in text
    assert "Mateo Fernández" in after(text, "people") and "advisee" in after(text, "people")
    assert "Find a coach" in after(text, "/find-mentor")
    # The product's own name and its command line keep theirs, as the slash commands do.
    names = r"Mentor Match|mentor-match|/find-mentor|/mentor-admin|mentoring"
    spoken = re.sub(names, "", text, flags=re.IGNORECASE)
    assert not re.search(r"ment(?:or|ee)", spoken, re.IGNORECASE)


def test_advancing_two_weeks_brings_check_ins_and_admins_see_the_pair_at_risk(
    tmp_path: Path,
) -> None:
    text = play(
        tmp_path,
        ["advance 14d", "as rosa", "/mentor-admin relationships", "quit"],
    )
    arrived = after(text, "advance 14d")
    assert "New group conversation for" in arrived and ": have you met?" in arrived
    admin_view = after(text, "/mentor-admin relationships")
    assert "At risk" in admin_view and "nobody answered the last two check-ins" in admin_view


@pytest.mark.parametrize(
    ("wall_clock", "demo_clock"),
    [
        ("2026-12-05 23:30", "Monday 07 December 2026, 14:00"),  # Saturday night
        ("2026-12-06 08:00", "Monday 07 December 2026, 14:00"),  # Sunday morning
        ("2026-12-09 03:15", "Wednesday 09 December 2026, 14:00"),  # a weekday, any hour
    ],
)
def test_a_new_demo_starts_on_a_working_afternoon_so_advancing_brings_check_ins(
    tmp_path: Path, wall_clock: str, demo_clock: str
) -> None:
    with freeze_time(wall_clock):
        text = play(tmp_path, ["time", "advance 14d", "quit"], now=None)
    assert f"It is {demo_clock} UTC in the demo." in text
    assert ": have you met?" in after(text, "advance 14d")
