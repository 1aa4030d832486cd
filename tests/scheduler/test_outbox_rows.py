"""The dispatcher's claim on both databases: which rows, in what order, and what it marks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from mentoring.asks.cards import Role
from mentoring.core.audit import Notice
from scheduler.outbox_rows import LEASE, claim_due, finish
from scheduler.outcomes import BACKOFF_MAX
from scheduler.render.cards import remember
from scheduler.render.outgoing import Outgoing
from store.db import Database
from store.enums import OutboxStatus, RequestStatus
from store.models import AskMessage, OutboxMessage, Request
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


def test_finishing_a_card_of_an_ask_that_ended_meanwhile_remembers_it_and_queues_its_redraw(
    db: Database,
) -> None:
    f.workspace(db)
    f.mentor(db, "UMENTOR")
    f.mentee(db, "UMENTEE")
    asked = f.ask(db, "UMENTEE", "UMENTOR")
    with db.write() as session:
        card = session.scalars(select(OutboxMessage.id)).one()
        # Withdrawn while the card was on its way to Slack.
        session.execute(
            update(Request).where(Request.id == asked.id).values(status=RequestStatus.WITHDRAWN)
        )
    sent = Outgoing(
        "UMENTOR", "New request", [], after_send=remember(TEAM, Request, asked.id, Role.CARD, NOW)
    )

    finish(db, card, OutboxStatus.SENT, NOW, channel="D0MENTOR", ts="1.000100", outgoing=sent)

    with db.read() as session:
        row = session.get(OutboxMessage, card)
        message = session.scalars(select(AskMessage)).one()
        redraw = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == Notice.ASK_REDRAWN)
        ).one()
    assert row is not None
    assert (row.status, row.sent_at, row.slack_channel, row.slack_ts) == (
        OutboxStatus.SENT,
        NOW,
        "D0MENTOR",
        "1.000100",
    )
    assert row.claimed_until is None
    assert (message.request_id, message.channel, message.ts) == (asked.id, "D0MENTOR", "1.000100")
    assert redraw.payload["message"] == message.id


def test_finishing_a_row_that_is_gone_does_nothing(db: Database) -> None:
    f.workspace(db)
    calls: list[str] = []
    sent = Outgoing("U1", "hi", [], after_send=lambda _s, channel, _ts: calls.append(channel))

    finish(db, 12345, OutboxStatus.SENT, NOW, channel="D1", ts="1.1", outgoing=sent)

    assert calls == []
