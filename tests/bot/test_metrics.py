"""The process's own metrics: Slack calls, listeners, deliveries, sweeps and the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from freezegun import freeze_time
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.errors import SlackApiError

from bot import metrics
from fakeslack import FakeSlack, RateLimited, SlackError, SlackState
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage, Workspace
from tests.conftest import NOW, TEAM


def value(name: str, **labels: str) -> float:
    """The current value of one sample (0 when it has never been recorded)."""
    for found, sample in metrics.samples(name):
        if found == labels:
            return sample
    return 0.0


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(SlackState(team_id=TEAM)) as server:
        server.state.add_user("UMAYA", name="maya", real_name="Maya Chen")
        yield server


def test_slack_calls_are_counted_by_method_and_outcome(fake: FakeSlack) -> None:
    client = metrics.MeteredWebClient(token="xoxb-test-metrics", base_url=fake.api_url)
    ok_before = value("mentor_match_slack_api_calls_total", method="users.info", outcome="ok")
    client.users_info(user="UMAYA")
    fake.state.inject("users.info", SlackError("user_not_found"))
    with pytest.raises(SlackApiError):
        client.users_info(user="UNOBODY")
    after = value("mentor_match_slack_api_calls_total", method="users.info", outcome="ok")
    assert after == ok_before + 1
    assert (
        value("mentor_match_slack_api_calls_total", method="users.info", outcome="user_not_found")
        >= 1
    )
    assert value("mentor_match_slack_api_call_seconds_count", method="users.info") >= 2


def test_a_429_is_counted_with_its_retry_after(fake: FakeSlack) -> None:
    client = metrics.MeteredWebClient(token="xoxb-test-metrics", base_url=fake.api_url)
    limited = value("mentor_match_slack_rate_limited_total", method="chat.postMessage")
    waits = value("mentor_match_slack_retry_after_seconds_sum")
    fake.state.inject("chat.postMessage", RateLimited(retry_after=7))
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="UMAYA", text="hello")
    assert value("mentor_match_slack_rate_limited_total", method="chat.postMessage") == limited + 1
    assert value("mentor_match_slack_retry_after_seconds_sum") == waits + 7


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"command": "/find-mentor"}, "command"),
        ({"type": "block_actions"}, "action"),
        ({"type": "view_submission"}, "view"),
        ({"type": "event_callback"}, "event"),
        ({"type": "block_suggestion"}, "options"),
        ({}, "unknown"),
    ],
)
def test_requests_are_told_apart_by_kind(body: dict[str, str], kind: str) -> None:
    assert metrics.kind_of(body) == kind


def test_deliveries_and_sweeps_are_counted() -> None:
    sent = value("mentor_match_notifications_total", kind="request.received", outcome="sent")
    metrics.record_delivery({("request.received", "sent"): 3, ("request.reminder", "failed"): 0})
    assert (
        value("mentor_match_notifications_total", kind="request.received", outcome="sent")
        == sent + 3
    )
    sweeps = value("mentor_match_sweep_seconds_count")
    expired = value("mentor_match_sweep_moves_total", what="expired")
    metrics.record_sweep(0.2, {"expired": 2, "reminded": 0})
    assert value("mentor_match_sweep_seconds_count") == sweeps + 1
    assert value("mentor_match_sweep_moves_total", what="expired") == expired + 2


def _queue(db: Database, age: timedelta, status: OutboxStatus) -> None:
    with db.write() as s:
        if s.get(Workspace, TEAM) is None:
            s.add(Workspace(team_id=TEAM, name="Test", created_at=NOW))
        s.add(
            OutboxMessage(
                team_id=TEAM,
                kind="request.received",
                payload={},
                status=status,
                created_at=NOW - age,
                next_attempt_at=NOW - age,
            )
        )


def test_the_outbox_is_read_when_scraped(db: Database) -> None:
    collector = metrics.OutboxCollector(db)
    with freeze_time(NOW):
        assert {m.name: m.samples[0].value for m in collector.collect()} == {
            "mentor_match_outbox_pending": 0,
            "mentor_match_outbox_oldest_pending_age_seconds": 0,
            "mentor_match_outbox_failed": 0,
        }
        _queue(db, timedelta(minutes=10), OutboxStatus.PENDING)
        _queue(db, timedelta(minutes=2), OutboxStatus.PENDING)
        _queue(db, timedelta(hours=5), OutboxStatus.FAILED)
        _queue(db, timedelta(hours=6), OutboxStatus.SENT)
        assert {m.name: m.samples[0].value for m in collector.collect()} == {
            "mentor_match_outbox_pending": 2,
            "mentor_match_outbox_oldest_pending_age_seconds": 600,
            "mentor_match_outbox_failed": 1,
        }


def test_the_exposition_is_prometheus_text() -> None:
    payload, content_type = metrics.exposition()
    assert content_type.startswith("text/plain")
    names = {family.name for family in text_string_to_metric_families(payload.decode())}
    assert {
        "mentor_match_slack_api_calls",
        "mentor_match_ack_seconds",
        "mentor_match_listener_seconds",
        "mentor_match_notifications",
        "mentor_match_sweep_seconds",
    } <= names
