"""``mentor-match import-profiles``: enroll or update members from a CSV file (read by
:mod:`bot.import_csv`).

One row per person, with a header row. Columns (any order; only ``display_name`` or a Slack
lookup, ``roles``, and one of ``slack_user_id``/``email`` matter for every row):

    slack_user_id, email, display_name, roles ("mentor", "mentee", "mentor;mentee"), title,
    functional_area, expertise, interests, languages (";"-separated), goals, location, gender,
    bio, mentor_capacity, tz

Rows go through the same validation as the profile form (``parse_profile`` + ``enroll``), a
thousand to a write transaction (new people in bulk); a bad row is reported with its line and
never blocks the good ones. The import is an
upsert keyed on the Slack user id: the file is the truth for every column it has, and a row
that would change nothing writes nothing (no event, no new ``updated_at``), so importing the
same file twice changes nothing the second time.

A row with an email and no user id is resolved with ``users.lookupByEmail`` (Slack's profile
also fills an empty name or timezone); that needs a bot token with ``users:read.email``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.import_csv import LIST_COLUMNS, CsvRow
from mentoring.core.errors import DomainError
from mentoring.core.members import find_member
from mentoring.profiles.bulk import enroll_new
from mentoring.profiles.editing import ProfileInput, enroll, parse_profile
from mentoring.program.workspaces import ensure_workspace
from store.db import Database
from store.models import Member

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
BATCH_SIZE = 1_000  # rows per write transaction
NEEDS_LOOKUP = "needs a Slack user id, or SLACK_BOT_TOKEN to look up the email"


@dataclass
class ImportReport:
    """What an import did; ``errors`` are ready-to-print lines ("line 7: ...")."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Rows that were not imported."""
        return len(self.errors)

    def summary(self, *, dry_run: bool = False) -> str:
        """One line: how many rows were created, updated, unchanged and failed."""
        verb = "would be " if dry_run else ""
        return (
            f"{self.created} {verb}created, {self.updated} {verb}updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )


class _RowError(Exception):
    pass


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _profile_data(cells: dict[str, str], slack: dict[str, Any]) -> dict[str, object]:
    """The row as ``parse_profile`` input, holding only what the file says.

    A column missing from the file is left out (the member keeps that field); a blank cell
    clears the field, except a blank name or timezone, which fall back on Slack's profile.
    """
    data: dict[str, object] = {}
    if "roles" in cells:
        roles = {r.lower() for r in _split(cells["roles"].replace(",", ";"))}
        unknown = roles - {"mentor", "mentee"}
        if unknown:
            raise _RowError(f"Roles: {sorted(unknown)[0]!r} is not mentor or mentee")
        data.update(as_mentor="mentor" in roles, as_mentee="mentee" in roles)
    for column in ("email", "title", "functional_area", "goals", "location", "gender", "bio"):
        if column in cells:
            data[column] = cells[column]
    for column in LIST_COLUMNS:
        if column in cells:
            data[column] = _split(cells[column])
    if cells.get("mentor_capacity"):
        data["mentor_capacity"] = cells["mentor_capacity"]
    for column, fallback in (("display_name", "name"), ("tz", "tz")):
        if value := cells.get(column) or slack.get(fallback):
            data[column] = value
    return data


def _lookup(client: WebClient | None, email: str) -> tuple[str, dict[str, Any]]:
    """The Slack user id for ``email``, and the name and timezone Slack has for them."""
    if client is None:
        raise _RowError(NEEDS_LOOKUP)
    try:
        user = client.users_lookupByEmail(email=email)["user"]
    except SlackApiError as exc:
        error = exc.response.get("error", "")
        if error == "users_not_found":
            raise _RowError(f"no Slack user has the email {email}") from exc
        if error == "missing_scope":
            raise _RowError(
                "looking up emails needs the users:read.email scope: add it to the app, "
                "reinstall it, and copy the new bot token"
            ) from exc
        raise _RowError(f"Slack could not look up {email}: {error}") from exc
    except OSError as exc:  # connection refused, DNS, timeout
        raise _RowError(f"could not reach Slack to look up {email}: {exc}") from exc
    profile = user.get("profile") or {}
    name = profile.get("real_name") or profile.get("display_name") or user.get("name", "")
    return str(user["id"]), {"name": name, "tz": user.get("tz")}


def _current(member: Member) -> dict[str, object]:
    """A member's profile as ``parse_profile`` input (capacity stays unless the file sets it)."""
    return {
        "display_name": member.display_name,
        "tz": member.tz,
        "email": member.email,
        "as_mentor": member.is_mentor,
        "as_mentee": member.is_mentee,
        "title": member.title,
        "functional_area": member.functional_area,
        "expertise": list(member.expertise),
        "interests": list(member.interests),
        "goals": member.goals,
        "location": member.location,
        "languages": list(member.languages),
        "gender": member.gender,
        "bio": member.bio,
    }


def _upsert(
    session: Session,
    team_id: str,
    user_id: str,
    data: dict[str, object],
    *,
    dry_run: bool,
    now: datetime,
) -> str:
    """Enroll or update one member in a savepoint; keep it only if it changed something."""
    existing = find_member(session, team_id, user_id)
    before = _current(existing) if existing else None
    capacity = existing.mentor_capacity if existing else None
    profile = parse_profile({**(before or {}), **data})
    savepoint = session.begin_nested()
    try:
        # Inside the savepoint: a dry run, or a file whose rows all fail, creates nothing.
        ensure_workspace(session=session, team_id=team_id, now=now)
        enroll(session=session, team_id=team_id, slack_user_id=user_id, profile=profile, now=now)
    except DomainError:
        savepoint.rollback()
        raise
    changed = existing is None or (
        _current(existing) != before or existing.mentor_capacity != capacity
    )
    if dry_run or not changed:
        savepoint.rollback()
    else:
        savepoint.commit()
    return "created" if existing is None else "updated" if changed else "unchanged"


@dataclass(frozen=True, slots=True)
class _Ready:
    """A row resolved to a Slack user id, with what the file says of their profile."""

    row: CsvRow
    user_id: str
    data: dict[str, object]


def import_profiles(
    db: Database,
    rows: Iterable[CsvRow],
    *,
    team_id: str,
    client: WebClient | None,
    now: datetime,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import ``rows`` into ``team_id`` (created with the first good row); see the module docs.

    Rows are written ``batch_size`` at a time, one transaction per batch: people new to the
    workspace in one multi-row insert per table (mentoring.profiles.bulk), people already
    there through ``enroll`` one by one. A bad row is reported with its line and writes
    nothing; a batch that fails as a whole in the database is done again row by row.

    Args:
        db: the database.
        rows: rows from :func:`read_rows`.
        team_id: the workspace.
        client: a Slack client for email lookups, or None when no bot token is configured.
        now: the time of the import (``enrolled_at``/``updated_at``).
        dry_run: validate and report, write nothing.
        progress: called once per row, after its batch is written.
        batch_size: rows per write transaction.
    """
    report = ImportReport()
    errors: list[tuple[int, str]] = []
    batch: list[_Ready] = []
    pending: list[CsvRow] = []  # rows of the batch, good or bad, for the progress bar

    def flush() -> None:
        if batch:
            try:
                _write_batch(db, batch, report, errors, team_id=team_id, now=now, dry_run=dry_run)
            except SQLAlchemyError:
                for ready in batch:  # e.g. someone enrolled meanwhile: one row at a time
                    _write_one(db, ready, report, errors, team_id=team_id, now=now, dry_run=dry_run)
            batch.clear()
        for _ in pending:
            if progress is not None:
                progress()
        pending.clear()

    for row in rows:
        pending.append(row)
        try:
            if row.extra:
                raise _RowError(f"{row.extra} cell(s) more than the header has columns")
            user_id, slack = _resolve(row.cells, client)
            batch.append(_Ready(row, user_id, _profile_data(row.cells, slack)))
        except (_RowError, DomainError) as exc:
            errors.append((row.line, str(exc)))
        if len(pending) >= batch_size:
            flush()
    flush()
    report.errors = [f"line {line}: {message}" for line, message in sorted(errors)]
    return report


def _write_batch(
    db: Database,
    batch: list[_Ready],
    report: ImportReport,
    errors: list[tuple[int, str]],
    *,
    team_id: str,
    now: datetime,
    dry_run: bool,
) -> None:
    """One transaction: new people in bulk, then everyone already a member, row by row."""
    counts: dict[str, int] = {}
    found: list[tuple[int, str]] = []
    with db.write() as session:
        work = session.begin_nested()  # rolled back for a dry run, or a batch of only errors
        ensure_workspace(session=session, team_id=team_id, now=now)
        ids = {ready.user_id for ready in batch}
        known = set(
            session.scalars(
                select(Member.slack_user_id).where(
                    Member.team_id == team_id, Member.slack_user_id.in_(ids)
                )
            )
        )
        new: list[tuple[_Ready, ProfileInput]] = []
        later: list[_Ready] = []
        for ready in batch:
            if ready.user_id in known:
                later.append(ready)  # an edit, or the same person twice in the file
                continue
            try:
                new.append((ready, parse_profile(ready.data)))
            except DomainError as exc:
                found.append((ready.row.line, str(exc)))
                continue
            known.add(ready.user_id)
        people = [(ready.user_id, profile) for ready, profile in new]
        outcomes = enroll_new(session=session, team_id=team_id, people=people, now=now)
        for (ready, _), refused in zip(new, outcomes, strict=True):
            if refused is None:
                counts["created"] = counts.get("created", 0) + 1
            else:
                found.append((ready.row.line, str(refused)))
        for ready in later:
            try:
                outcome = _upsert(
                    session, team_id, ready.user_id, ready.data, dry_run=False, now=now
                )
            except DomainError as exc:
                found.append((ready.row.line, str(exc)))
            else:
                counts[outcome] = counts.get(outcome, 0) + 1
        if dry_run or not (counts.get("created") or counts.get("updated")):
            work.rollback()
        else:
            work.commit()
    # Counted once the transaction committed: a batch done again row by row counts once.
    for outcome, count in counts.items():
        setattr(report, outcome, getattr(report, outcome) + count)
    errors.extend(found)


def _write_one(
    db: Database,
    ready: _Ready,
    report: ImportReport,
    errors: list[tuple[int, str]],
    *,
    team_id: str,
    now: datetime,
    dry_run: bool,
) -> None:
    try:
        with db.write() as session:
            done = _upsert(session, team_id, ready.user_id, ready.data, dry_run=dry_run, now=now)
        setattr(report, done, getattr(report, done) + 1)
    except DomainError as exc:
        errors.append((ready.row.line, str(exc)))


def lookup_client(token: str | None, api_url: str) -> WebClient | None:
    """A Slack client for email lookups (None without a token); it waits out rate limits."""
    if not token:
        return None
    client = WebClient(token=token, base_url=api_url)
    # users.lookupByEmail allows about 50 calls a minute: a long file waits, it does not fail.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=5))
    return client


def _resolve(cells: dict[str, str], client: WebClient | None) -> tuple[str, dict[str, Any]]:
    user_id = cells.get("slack_user_id", "")
    if user_id:
        if not SLACK_USER_ID.match(user_id):
            raise _RowError(f"{user_id!r} is not a Slack user id (they look like U012AB3CD)")
        return user_id, {}
    email = cells.get("email", "")
    if not email:
        raise _RowError("needs a slack_user_id or an email")
    return _lookup(client, email)
