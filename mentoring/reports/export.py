"""CSV exports of a workspace's requests and relationships, for admins' spreadsheets.

The functions return CSV text, so the same files can be written to disk (``mentor-match
export``) or uploaded to Slack (``/mentor-admin export``). Times are ISO 8601 in UTC. Cells that
a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) get a leading apostrophe: members write the messages and notes exported here.

The files are a data format: their column names (``mentee``, ``mentor_user_id``...) stay the same
whatever the program calls its roles (the terminology setting), so that spreadsheets and scripts
built on one export keep working on the next, and on another workspace's.

In ``requests.csv``, ``kind`` says what each row is: ``mentee_request`` (a mentee asked, the
mentor answers), ``mentor_offer`` (a mentor offered, the mentee answers) or ``admin_routed`` (one
of the ranked preferences of a submission an admin decides on; ``preference_rank`` is 1 to 3, and
the rows of one submission share their mentee and ``created_at``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mentoring.core.audit import record_event
from mentoring.relationships.records import (
    CHECKIN_COLUMNS,
    RelationshipRecord,
    checkin_rows,
    relationship_records,
)
from store.models import Member, Relationship, Request

REQUEST_COLUMNS = (
    "id",
    "kind",
    "preference_rank",
    "mentee",
    "mentee_user_id",
    "mentor",
    "mentor_user_id",
    "status",
    "created_at",
    "answered_at",
    "decline_reason",
    "decline_note",
    "close_reason",
    "reminder_count",
    "message",
)
RELATIONSHIP_COLUMNS = (
    "id",
    "mentor",
    "mentor_user_id",
    "mentee",
    "mentee_user_id",
    "status",
    "started_at",
    "ended_at",
    "end_reason",
    "request_id",
    # After the match (added at the end, so older spreadsheets keep their columns).
    "goals",
    "goals_done",
    "checkins_asked",
    "checkins_answered",
    "checkins_met",
    "last_checkin_at",
    "at_risk_reason",
    "end_cause",
    "mentor_outcome",
    "mentor_rating",
    "mentee_outcome",
    "mentee_rating",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | datetime | None


@dataclass(frozen=True, slots=True)
class CsvTable:
    """One exported file: its name, its CSV text, and how many data rows it has."""

    filename: str
    text: str
    rows: int


def safe_cell(value: Cell) -> str:
    """A cell as text a spreadsheet shows as is (never runs as a formula)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> tuple[str, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    return buffer.getvalue(), count


def _request_rows(session: Session, team_id: str) -> Iterable[Sequence[Cell]]:
    mentee, mentor = aliased(Member), aliased(Member)
    query = (
        select(
            Request.id,
            Request.kind,
            Request.preference_rank,
            mentee.display_name,
            mentee.slack_user_id,
            mentor.display_name,
            mentor.slack_user_id,
            Request.status,
            Request.created_at,
            Request.answered_at,
            Request.decline_reason,
            Request.decline_note,
            Request.close_reason,
            Request.reminder_count,
            Request.message,
        )
        .join(mentee, mentee.id == Request.mentee_id)
        .join(mentor, mentor.id == Request.mentor_id)
        .where(Request.team_id == team_id)
        .order_by(Request.id)
    )
    for row in session.execute(query.execution_options(yield_per=500)):
        yield (row[0], row[1].value, *row[2:7], row[7].value, *row[8:])


def _relationship_rows(session: Session, team_id: str) -> Iterable[Sequence[Cell]]:
    mentee, mentor = aliased(Member), aliased(Member)
    query = (
        select(
            Relationship.id,
            mentor.display_name,
            mentor.slack_user_id,
            mentee.display_name,
            mentee.slack_user_id,
            Relationship.status,
            Relationship.started_at,
            Relationship.ended_at,
            Relationship.end_reason,
            Relationship.request_id,
            Relationship.at_risk_reason,
            Relationship.end_cause,
        )
        .join(mentee, mentee.id == Relationship.mentee_id)
        .join(mentor, mentor.id == Relationship.mentor_id)
        .where(Relationship.team_id == team_id)
        .order_by(Relationship.id)
    )
    records = relationship_records(session, team_id)
    for row in session.execute(query.execution_options(yield_per=500)):
        r = records.get(row[0]) or RelationshipRecord()
        yield (
            *row[:5],
            row[5].value,
            *row[6:10],
            " | ".join(r.goals) or None,
            r.goals_done,
            r.checkins_asked,
            r.checkins_answered,
            r.checkins_met,
            r.last_checkin_at,
            *row[10:12],
            r.mentor_outcome,
            r.mentor_rating,
            r.mentee_outcome,
            r.mentee_rating,
        )


def requests_table(session: Session, team_id: str) -> CsvTable:
    """Every request of the workspace, oldest first, as ``requests.csv``."""
    text, rows = _csv(REQUEST_COLUMNS, _request_rows(session, team_id))
    return CsvTable("requests.csv", text, rows)


def relationships_table(session: Session, team_id: str) -> CsvTable:
    """Every relationship of the workspace, oldest first, as ``relationships.csv``."""
    text, rows = _csv(RELATIONSHIP_COLUMNS, _relationship_rows(session, team_id))
    return CsvTable("relationships.csv", text, rows)


def checkins_table(session: Session, team_id: str) -> CsvTable:
    """Every check-in of the workspace, oldest first, as ``checkins.csv``."""
    text, rows = _csv(CHECKIN_COLUMNS, checkin_rows(session, team_id))
    return CsvTable("checkins.csv", text, rows)


def export_tables(session: Session, team_id: str) -> tuple[CsvTable, CsvTable, CsvTable]:
    """Every export, read in one session (so they agree with each other)."""
    return (
        requests_table(session, team_id),
        relationships_table(session, team_id),
        checkins_table(session, team_id),
    )


def record_export(
    *, session: Session, team_id: str, actor: str, tables: Sequence[CsvTable], now: datetime
) -> None:
    """Note in the event log that an admin took the program's data out of Slack.

    The files hold members' own words (messages, notes), so who exported them, and when, is
    worth keeping even though nothing in the program changed.
    """
    record_event(
        session,
        team_id=team_id,
        actor=actor,
        action="program.exported",
        subject_type="workspace",
        subject_id=team_id,
        after={table.filename: table.rows for table in tables},
        at=now,
    )
