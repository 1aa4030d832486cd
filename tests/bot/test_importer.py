"""Importing profiles from CSV: a report by line, good rows imported, idempotent upsert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from bot.import_csv import CsvFormatError, read_rows
from bot.importer import NEEDS_LOOKUP, _profile_data, import_profiles, lookup_client
from fakeslack import FakeSlack
from mentoring.core.members import get_member
from mentoring.profiles.editing import enroll, parse_profile
from mentoring.program.workspaces import ensure_workspace
from store.db import Database
from store.models import Event, Member, MemberTag, Workspace
from tests.conftest import NOW

TEAM = "T0IMPORT"
HEADER = (
    "slack_user_id,email,display_name,roles,title,functional_area,expertise,interests,"
    "languages,mentor_capacity,tz,bio"
)
ROWS = [
    "U0IMP001,,Ada Obi,mentor,Staff Engineer,Engineering,python;Architecture,,English;Igbo,4,"
    "Europe/London,Twenty years of backends.",
    "U0IMP002,,Ben Ng,mentee,Engineer,Engineering,,python,,,Asia/Singapore,",
    "U0IMP003,,Cy Doe,mentor,Chef,Engineering,cooking,,,,UTC,",  # line 4
    ",,Nobody Known,mentee,,,,,,,,",  # line 5
    "U0IMP005,,Dee Cap,mentor,Lead,Engineering,python,,,lots,UTC,",  # line 6
    ",erin@example.com,,mentee,Analyst,Data,,data,,,,",  # line 7: found in Slack
    "U0IMP007,,Fay Role,boss,,,,,,,,",  # line 8
]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        slack.state.add_user(
            "U0ERIN", real_name="Erin Park", email="erin@example.com", tz="Asia/Seoul"
        )
        yield slack


def _csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _members(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Member)) or 0


def _events(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


def test_report_names_bad_lines_and_good_rows_are_imported(
    db: Database, fake: FakeSlack, tmp_path: Path
) -> None:
    rows = read_rows(_csv(tmp_path, *ROWS))
    client = lookup_client(fake.state.bot_token, fake.api_url)
    report = import_profiles(db, rows, team_id=TEAM, client=client, now=NOW)

    assert report.errors == [
        "line 4: Expertise: 'cooking' is not one of the program's options.",
        "line 5: needs a slack_user_id or an email",
        "line 6: Mentee capacity: Input should be a valid integer, unable to parse string as an "
        "integer",
        "line 8: Roles: 'boss' is not mentor or mentee",
    ]
    assert (report.created, report.updated, report.failed) == (3, 0, 4)
    with db.read() as session:
        ada = get_member(session=session, team_id=TEAM, slack_user_id="U0IMP001")
        erin = get_member(session=session, team_id=TEAM, slack_user_id="U0ERIN")
    assert ada is not None and erin is not None
    assert ada.expertise == ("python", "architecture")
    assert ada.languages == ("English", "Igbo")
    assert ada.mentor_capacity == 4
    assert (erin.display_name, erin.tz, erin.is_mentee) == ("Erin Park", "Asia/Seoul", True)
    assert [c.params["email"] for c in fake.state.calls("users.lookupByEmail")] == [
        "erin@example.com"
    ]


def test_second_import_of_the_same_file_changes_nothing(
    db: Database, fake: FakeSlack, tmp_path: Path
) -> None:
    rows = read_rows(_csv(tmp_path, *ROWS))
    client = lookup_client(fake.state.bot_token, fake.api_url)
    import_profiles(db, rows, team_id=TEAM, client=client, now=NOW)
    members, events = _members(db), _events(db)

    again = import_profiles(db, rows, team_id=TEAM, client=client, now=NOW)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (_members(db), _events(db)) == (members, events)


def test_update_changes_only_the_columns_in_the_file(db: Database, tmp_path: Path) -> None:
    first = read_rows(_csv(tmp_path, ROWS[0]))
    import_profiles(db, first, team_id=TEAM, client=None, now=NOW)
    rows = read_rows(_csv(tmp_path, "U0IMP001,Principal Engineer", header="slack_user_id,title"))

    report = import_profiles(db, rows, team_id=TEAM, client=None, now=NOW)

    assert (report.updated, report.failed) == (1, 0)
    with db.read() as session:
        ada = get_member(session=session, team_id=TEAM, slack_user_id="U0IMP001")
    assert ada is not None
    assert (ada.title, ada.bio, ada.mentor_capacity) == (
        "Principal Engineer",
        "Twenty years of backends.",
        4,
    )


def test_email_rows_need_a_token(db: Database, tmp_path: Path) -> None:
    rows = read_rows(_csv(tmp_path, ROWS[5]))
    report = import_profiles(db, rows, team_id=TEAM, client=None, now=NOW)
    assert report.errors == [f"line 2: {NEEDS_LOOKUP}"]


def test_unknown_email_is_reported(db: Database, fake: FakeSlack, tmp_path: Path) -> None:
    rows = read_rows(_csv(tmp_path, ",zed@example.com,Zed,mentee,,,,,,,,"))
    client = lookup_client(fake.state.bot_token, fake.api_url)
    report = import_profiles(db, rows, team_id=TEAM, client=client, now=NOW)
    assert report.errors == ["line 2: no Slack user has the email zed@example.com"]


def test_dry_run_saves_nothing(db: Database, tmp_path: Path) -> None:
    rows = read_rows(_csv(tmp_path, *ROWS[:2]))
    report = import_profiles(db, rows, team_id=TEAM, client=None, now=NOW, dry_run=True)
    assert (report.created, report.failed) == (2, 0)
    assert _members(db) == 0


def test_stray_cells_are_reported(db: Database, tmp_path: Path) -> None:
    rows = read_rows(
        _csv(tmp_path, "U0X1,Ann,mentee,extra", header="slack_user_id,display_name,roles")
    )
    report = import_profiles(db, rows, team_id=TEAM, client=None, now=NOW)
    assert report.errors == ["line 2: 1 cell(s) more than the header has columns"]


def test_unknown_column_stops_the_import(tmp_path: Path) -> None:
    with pytest.raises(CsvFormatError, match=r"unknown column.*'expertize'"):
        read_rows(_csv(tmp_path, "U0X,Ann", header="slack_user_id,expertize"))


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeSlack) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'mm.sqlite3'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake.state.bot_token)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    return tmp_path


def test_cli_reports_lines_and_exits_1_when_a_row_failed(cli_env: Path) -> None:
    path = _csv(cli_env, *ROWS)
    runner = CliRunner()

    result = runner.invoke(app, ["import-profiles", str(path), "--team", TEAM])

    assert result.exit_code == 1, result.output
    assert f"Importing 7 rows into {TEAM}" in result.output
    assert "line 4: Expertise: 'cooking' is not one of the program's options." in result.output
    assert "3 created, 0 updated, 0 unchanged, 4 failed." in result.output

    good = _csv(cli_env, *ROWS[:2], ROWS[5])
    again = runner.invoke(app, ["import-profiles", str(good)])  # the only workspace
    assert again.exit_code == 0, again.output
    assert "the only workspace in the database" in again.output
    assert "0 created, 0 updated, 3 unchanged, 0 failed." in again.output


def test_cli_rejects_a_bad_header(cli_env: Path) -> None:
    path = _csv(cli_env, "U0X,Ann", header="slack_user_id,name")
    result = CliRunner().invoke(app, ["import-profiles", str(path), "--team", TEAM])
    assert result.exit_code == 1
    assert "unknown column(s) 'name'" in result.output


def _snapshot(db: Database, team_id: str) -> list[Any]:
    """Every member of the team as the import left them: columns, tags and events."""
    with db.read() as session:
        members = session.scalars(
            select(Member).where(Member.team_id == team_id).order_by(Member.slack_user_id)
        ).all()
        tags = {
            m.slack_user_id: sorted(
                session.scalars(select(MemberTag.tag).where(MemberTag.member_id == m.id))
            )
            for m in members
        }
        events = {
            m.slack_user_id: [
                (e.action, e.actor, e.before, e.after, e.at)
                for e in session.scalars(
                    select(Event).where(Event.subject_id == str(m.id)).order_by(Event.id)
                )
            ]
            for m in members
        }
        skip = {"id", "team_id"}
        return [
            (
                {c.key: getattr(m, c.key) for c in Member.__table__.columns if c.key not in skip},
                tags[m.slack_user_id],
                events[m.slack_user_id],
            )
            for m in members
        ]


def test_new_people_imported_in_bulk_are_stored_as_enroll_stores_them(
    db: Database, tmp_path: Path
) -> None:
    rows = read_rows(_csv(tmp_path, ROWS[0], ROWS[1], ROWS[2].replace("cooking", "python")))
    import_profiles(db, rows, team_id=TEAM, client=None, now=NOW)
    for row in rows:  # the same people, one enroll each, in another workspace
        with db.write() as session:
            ensure_workspace(session=session, team_id="T0ONEBYONE", now=NOW)
            enroll(
                session=session,
                team_id="T0ONEBYONE",
                slack_user_id=row.cells["slack_user_id"],
                profile=parse_profile(_profile_data(row.cells, {})),
                now=NOW,
            )
    assert _snapshot(db, TEAM) == _snapshot(db, "T0ONEBYONE")
    assert len(_snapshot(db, TEAM)) == 3


@pytest.mark.parametrize("batch_size", [1, 2, 3, 1000])
def test_every_batch_size_gives_the_same_report_and_the_same_rows(
    db: Database, fake: FakeSlack, tmp_path: Path, batch_size: int
) -> None:
    again = "U0IMP001,,Ada Obi,mentor;mentee,Principal,Engineering,python,,,4,Europe/London,"
    rows = read_rows(_csv(tmp_path, *ROWS, again))
    client = lookup_client(fake.state.bot_token, fake.api_url)
    ticks: list[int] = []

    report = import_profiles(
        db,
        rows,
        team_id=TEAM,
        client=client,
        now=NOW,
        batch_size=batch_size,
        progress=lambda: ticks.append(1),
    )

    assert report.errors == [
        "line 4: Expertise: 'cooking' is not one of the program's options.",
        "line 5: needs a slack_user_id or an email",
        "line 6: Mentee capacity: Input should be a valid integer, unable to parse string as an "
        "integer",
        "line 8: Roles: 'boss' is not mentor or mentee",
    ]
    assert (report.created, report.updated, report.unchanged) == (3, 1, 0)
    assert len(ticks) == len(rows)
    with db.read() as session:
        ada = get_member(session=session, team_id=TEAM, slack_user_id="U0IMP001")
    assert ada is not None and ada.title == "Principal" and ada.is_mentee
    assert _members(db) == 3


def test_a_file_of_bad_rows_writes_nothing_at_all(db: Database, tmp_path: Path) -> None:
    rows = read_rows(_csv(tmp_path, ROWS[2], ROWS[4], ROWS[6]))
    report = import_profiles(db, rows, team_id=TEAM, client=None, now=NOW, batch_size=2)
    assert (report.created, report.failed) == (0, 3)
    assert (_members(db), _events(db)) == (0, 0)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 0
