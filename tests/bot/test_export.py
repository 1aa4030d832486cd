"""CSV exports: headers, rows, and cells a spreadsheet will not run as formulas."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from mentoring.offers.sending import send_offer
from mentoring.program.settings_changes import update_settings
from mentoring.relationships.lifecycle import finish
from mentoring.reports.export import (
    RELATIONSHIP_COLUMNS,
    REQUEST_COLUMNS,
    relationships_table,
    requests_table,
    safe_cell,
)
from mentoring.requests.answers import accept, decline
from mentoring.requests.sending import send_request
from mentoring.routing.preferences import submit_preferences
from store.db import Database
from store.migrate import upgrade
from tests import factories
from tests.conftest import NOW, TEAM

EVIL = '=HYPERLINK("http://evil.example","click") please mentor me on python'
LATER = NOW + timedelta(hours=5)


def _program(db: Database) -> None:
    """Two requests from one mentee: the first declined, the second accepted then finished."""
    factories.workspace(db)
    factories.mentor(db, "U0MENTOR1", display_name="Ada Obi")
    factories.mentor(db, "U0MENTOR2", display_name="@Grace Hopper")
    factories.mentee(db, "U0MENTEE1", display_name="Ben Ng")
    with db.write() as s:
        first = send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="U0MENTEE1",
            mentor_user_id="U0MENTOR1",
            message=EVIL,
            now=NOW,
        )
        decline(
            session=s,
            team_id=TEAM,
            request_id=first.id,
            actor_user_id="U0MENTOR1",
            reason="Other",
            note="-1 from me, sorry: we're on the same team",
            now=LATER,
        )
        second = send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="U0MENTEE1",
            mentor_user_id="U0MENTOR2",
            message='Hi Grace, could you help me, with "quotes",\nand a new line?',
            now=LATER,
        )
        result = accept(
            session=s,
            team_id=TEAM,
            request_id=second.id,
            actor_user_id="U0MENTOR2",
            now=LATER + timedelta(days=1),
        )
        finish(
            session=s,
            team_id=TEAM,
            relationship_id=result.relationship.id,
            actor_user_id="U0MENTEE1",
            note="+1, thank you!",
            now=LATER + timedelta(days=30),
        )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_requests_csv_has_one_row_per_request(db: Database) -> None:
    _program(db)
    with db.read() as session:
        text = requests_table(session, TEAM).text

    assert next(csv.reader(io.StringIO(text))) == list(REQUEST_COLUMNS)
    first, second = _rows(text)
    assert first == {
        "id": "1",
        "kind": "mentee_request",
        "preference_rank": "",
        "mentee": "Ben Ng",
        "mentee_user_id": "U0MENTEE1",
        "mentor": "Ada Obi",
        "mentor_user_id": "U0MENTOR1",
        "status": "declined",
        "created_at": "2026-03-02T09:00:00+00:00",
        "answered_at": "2026-03-02T14:00:00+00:00",
        "decline_reason": "Other",
        "decline_note": "'-1 from me, sorry: we're on the same team",
        "close_reason": "",
        "reminder_count": "0",
        "message": "'" + EVIL,
    }
    assert second["mentor"] == "'@Grace Hopper"
    assert second["status"] == "accepted"
    assert second["message"] == 'Hi Grace, could you help me, with "quotes",\nand a new line?'


def test_each_row_says_its_kind_and_preferences_their_rank(db: Database) -> None:
    _program(db)
    factories.mentee(db, "U0MENTEE2", display_name="Cy Lee")
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"matching_mode": "admin_routed", "mentor_offers_enabled": True},
            now=NOW,
        )
        send_offer(
            session=s,
            team_id=TEAM,
            mentor_user_id="U0MENTOR1",
            mentee_user_id="U0MENTEE2",
            message="I'd be glad to help you with your first year here.",
            now=LATER,
        )
    with db.write() as s:
        submit_preferences(
            session=s,
            team_id=TEAM,
            mentee_user_id="U0MENTEE1",
            mentor_user_ids=["U0MENTOR1"],
            message="A second mentor for public speaking, please.",
            now=LATER + timedelta(days=31),
        )
    with db.read() as session:
        rows = _rows(requests_table(session, TEAM).text)

    assert [(r["id"], r["kind"], r["preference_rank"], r["status"]) for r in rows] == [
        ("1", "mentee_request", "", "declined"),
        ("2", "mentee_request", "", "accepted"),
        ("3", "mentor_offer", "", "pending"),
        ("4", "admin_routed", "1", "pending"),
    ]
    assert (rows[2]["mentor"], rows[2]["mentee"]) == ("Ada Obi", "Cy Lee")


def test_relationships_csv_has_one_row_per_relationship(db: Database) -> None:
    _program(db)
    with db.read() as session:
        text = relationships_table(session, TEAM).text

    assert next(csv.reader(io.StringIO(text))) == list(RELATIONSHIP_COLUMNS)
    assert _rows(text) == [
        {
            "id": "1",
            "mentor": "'@Grace Hopper",
            "mentor_user_id": "U0MENTOR2",
            "mentee": "Ben Ng",
            "mentee_user_id": "U0MENTEE1",
            "status": "finished",
            "started_at": "2026-03-03T14:00:00+00:00",
            "ended_at": "2026-04-01T14:00:00+00:00",
            "end_reason": "'+1, thank you!",
            "request_id": "2",
            "goals": "",
            "goals_done": "0",
            "checkins_asked": "0",
            "checkins_answered": "0",
            "checkins_met": "0",
            "last_checkin_at": "",
            "at_risk_reason": "",
            "end_cause": "member",
            "mentor_outcome": "",
            "mentor_rating": "",
            "mentee_outcome": "",
            "mentee_rating": "",
        }
    ]


def test_other_workspaces_are_not_exported(db: Database) -> None:
    _program(db)
    with db.read() as session:
        assert _rows(requests_table(session, "T0OTHER").text) == []
        assert _rows(relationships_table(session, "T0OTHER").text) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("plain = fine", "plain = fine"),
        (3, "3"),
        (None, ""),
    ],
)
def test_safe_cell_neutralises_formulas(value: str | int | None, shown: str) -> None:
    assert safe_cell(value) == shown


def test_cli_writes_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'mm.sqlite3'}"
    db = Database.from_url(url)
    upgrade(db.engine)
    _program(db)
    db.dispose()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)

    result = CliRunner().invoke(app, ["export", "--out", "out"])

    assert result.exit_code == 0, result.output
    assert "out/requests.csv: 2 rows" in result.output
    assert "out/relationships.csv: 1 row" in result.output
    text = (tmp_path / "out" / "requests.csv").read_text(encoding="utf-8-sig")
    assert len(_rows(text)) == 2
    missing = CliRunner().invoke(app, ["export", "--team", "T0NOPE"])
    assert missing.exit_code == 1
    assert "no workspace T0NOPE" in missing.output
