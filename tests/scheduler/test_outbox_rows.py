"""The dispatcher's claim on both databases: which rows, in what order, and what it marks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from scheduler.outbox_rows import LEASE, claim_due
from scheduler.outcomes import BACKOFF_MAX
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM

OTHER = "T0OTHER"


def _row(team_id: str, **fields: object) -> OutboxMessage:
    values: dict[str, object] = {
        "team_id": team_id,
        "kind": "request.reminder",
        "created_at": NOW - timedelta(hours=1),
        "next_attempt_at": NOW - timedelta(minutes=1),
    }
    return OutboxMessage(**{**values, **fields})


def _queue(db: Database, rows: dict[str, OutboxMessage]) -> dict[str, int]:
    with db.write() as session:
        session.add_all(rows.values())
        session.flush()
        return {name: row.id for name, row in rows.items()}


def _state(db: Database, ids: list[int]) -> list[tuple[int, datetime | None]]:
    with db.read() as session:
        found = session.execute(
            select(OutboxMessage.attempts, OutboxMessage.claimed_until)
            .where(OutboxMessage.id.in_(ids))
            .order_by(OutboxMessage.id)
        )
        return [(attempts, until) for attempts, until in found]


def test_a_claim_takes_due_unleased_rows_of_unpaused_teams_oldest_first(db: Database) -> None:
    f.workspace(db)
    f.workspace(db, OTHER)
    ids = _queue(
        db,
        {
            "due": _row(TEAM),
            "other_team": _row(OTHER),
            "later": _row(TEAM, next_attempt_at=NOW + timedelta(hours=1)),
            "leased": _row(TEAM, attempts=1, claimed_until=NOW + timedelta(minutes=1)),
            "lease_over": _row(TEAM, attempts=1, claimed_until=NOW - timedelta(seconds=1)),
            "sent": _row(TEAM, status=OutboxStatus.SENT),
            "queued_at_once": _row(
                TEAM, created_at=NOW + timedelta(hours=2), next_attempt_at=NOW + timedelta(hours=2)
            ),
            "retry_from_a_clock_gone_back": _row(
                TEAM, attempts=2, next_attempt_at=NOW + BACKOFF_MAX + LEASE + timedelta(minutes=1)
            ),
            "due_too": _row(TEAM),
        },
    )

    paused = claim_due(db, NOW, limit=10, skip_teams=[OTHER])
    first_two = claim_due(db, NOW, limit=2)  # the other team's row, then nothing else left

    expected = ["due", "lease_over", "queued_at_once", "retry_from_a_clock_gone_back", "due_too"]
    assert paused == [ids[name] for name in expected]
    assert first_two == [ids["other_team"]]
    assert _state(db, [ids["due"], ids["lease_over"]]) == [(1, NOW + LEASE), (2, NOW + LEASE)]
    assert _state(db, [ids["later"]]) == [(0, None)]


def test_a_claim_stops_at_its_limit_and_leaves_the_rest(db: Database) -> None:
    f.workspace(db)
    ids = _queue(db, {str(n): _row(TEAM) for n in range(3)})

    first = claim_due(db, NOW, limit=2)
    second = claim_due(db, NOW, limit=2)

    assert first == [ids["0"], ids["1"]]
    assert second == [ids["2"]]
    assert claim_due(db, NOW, limit=2) == []
