"""The outbox dispatcher against the fake Slack: retries without sleeping, nothing lost."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import event, select

import scheduler.delivery as delivery
from fakeslack import FakeSlack, RateLimited, ServerError, SlackError, SlackState
from mentoring.home.app_home import admin_summary
from mentoring.requests.sending import send_request
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage
from tests import factories as f
from tests.conftest import NOW, TEAM

MESSAGE = "I'd like advice on growing into a tech lead role, please."


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    state = SlackState(team_id=TEAM)
    for user in ("UMENTOR", "UMENTEE"):
        state.add_user(user, name=user.lower(), real_name=user.title(), display_name=user.title())
    with FakeSlack(state) as server:
        yield server


@pytest.fixture
def queued(db: Database) -> Database:
    """One request sent, so one 'request.received' notice waits in the outbox."""
    f.workspace(db)
    f.mentor(db, "UMENTOR")
    f.mentee(db, "UMENTEE")
    with db.write() as s:
        send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UMENTEE",
            mentor_user_id="UMENTOR",
            message=MESSAGE,
            now=NOW,
        )
    return db


def deliver(db: Database, fake: FakeSlack, at: delivery.datetime) -> delivery.DeliveryReport:
    client = WebClient(token="xoxb-test-delivery", base_url=fake.api_url)
    return delivery.deliver_due(
        db=db, client_for=lambda _team: client, now=at, rng=random.Random(7)
    )


def ask_the_mentor(db: Database, mentees: int) -> None:
    """``mentees`` new mentees (UE0, UE1, ...) each send UMENTOR a request."""
    for i in range(mentees):
        f.mentee(db, f"UE{i}")
        with db.write() as s:
            send_request(
                session=s,
                team_id=TEAM,
                mentee_user_id=f"UE{i}",
                mentor_user_id="UMENTOR",
                message=MESSAGE,
                now=NOW,
            )


def row(db: Database) -> OutboxMessage:
    with db.read() as s:
        return s.scalars(select(OutboxMessage)).one()


def mentor_dm(fake: FakeSlack) -> list:
    return fake.state.messages(fake.state.dm_channel("UMENTOR"))


def test_429_then_500_then_ok_is_delivered_once_at_the_right_time(
    queued: Database, fake: FakeSlack
) -> None:
    fake.state.inject("chat.postMessage", RateLimited(retry_after=30), ServerError(500))
    assert deliver(queued, fake, NOW).retrying == 1
    assert row(queued).next_attempt_at == NOW + timedelta(seconds=30)
    assert deliver(queued, fake, NOW + timedelta(seconds=29)).sent == 0  # honours Retry-After
    report = deliver(queued, fake, NOW + timedelta(seconds=30))
    assert (report.retrying, row(queued).last_error) == (1, "HTTP 500")
    retry_at = row(queued).next_attempt_at
    assert NOW + timedelta(seconds=30) < retry_at <= NOW + timedelta(seconds=40)  # backoff
    assert deliver(queued, fake, retry_at).sent == 1
    assert deliver(queued, fake, retry_at + timedelta(hours=1)).sent == 0
    assert len(mentor_dm(fake)) == 1
    sent = row(queued)
    assert (sent.status, sent.attempts, sent.slack_ts) == (
        OutboxStatus.SENT,
        3,
        mentor_dm(fake)[0].ts,
    )


def test_permanent_error_is_recorded_and_visible_to_admins(
    queued: Database, fake: FakeSlack
) -> None:
    fake.state.inject("chat.postMessage", SlackError("account_inactive"))
    report = deliver(queued, fake, NOW)
    assert (report.failed, report.errors) == (1, ["account_inactive"])
    failed = row(queued)
    assert (failed.status, failed.last_error) == (OutboxStatus.FAILED, "account_inactive")
    assert deliver(queued, fake, NOW + timedelta(days=1)).sent == 0
    with queued.read() as s:
        assert admin_summary(s, TEAM).failed_notifications == 1


def test_transient_errors_give_up_after_max_attempts(queued: Database, fake: FakeSlack) -> None:
    fake.state.inject("chat.postMessage", *[ServerError(503)] * delivery.MAX_ATTEMPTS)
    at = NOW
    for _ in range(delivery.MAX_ATTEMPTS):
        deliver(queued, fake, at)
        at = row(queued).next_attempt_at
    assert (row(queued).status, row(queued).attempts) == (
        OutboxStatus.FAILED,
        delivery.MAX_ATTEMPTS,
    )


def test_crash_after_sending_before_recording_sends_at_most_twice(
    queued: Database, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_finish = delivery.finish

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("process killed between chat.postMessage and commit")

    monkeypatch.setattr(delivery, "finish", crash)
    with pytest.raises(RuntimeError):
        deliver(queued, fake, NOW)
    monkeypatch.setattr(delivery, "finish", real_finish)
    assert len(mentor_dm(fake)) == 1
    # Another dispatcher (or the restarted one) leaves the row alone while the lease lasts...
    assert deliver(queued, fake, NOW + timedelta(seconds=30)).sent == 0
    # ...and sends it again once the lease runs out: one duplicate, nothing lost.
    assert deliver(queued, fake, NOW + delivery.LEASE).sent == 1
    assert len(mentor_dm(fake)) == 2
    assert row(queued).status is OutboxStatus.SENT


def test_restart_loses_nothing(queued: Database, fake: FakeSlack) -> None:
    url = queued.engine.url.render_as_string(hide_password=False)
    queued.dispose()
    restarted = Database.from_url(url)
    try:
        assert deliver(restarted, fake, NOW).sent == 1
    finally:
        restarted.dispose()
    assert len(mentor_dm(fake)) == 1


def test_rate_limit_pauses_the_workspace_until_retry_after(db: Database, fake: FakeSlack) -> None:
    f.workspace(db)
    f.mentor(db, "UMENTOR", mentor_capacity=5)
    ask_the_mentor(db, 3)
    fake.state.inject("chat.postMessage", RateLimited(retry_after=5))
    limits = delivery.RateLimits()
    client = WebClient(token="xoxb-test-delivery", base_url=fake.api_url)

    def run(at: delivery.datetime) -> delivery.DeliveryReport:
        return delivery.deliver_due(db=db, client_for=lambda _t: client, now=at, rate_limits=limits)

    report = run(NOW)
    assert (report.sent, report.retrying) == (0, 3)
    assert len(fake.state.calls("chat.postMessage")) == 1  # stopped at the first 429
    with db.read() as s:
        waits = sorted(r.next_attempt_at for r in s.scalars(select(OutboxMessage)))
    resume = NOW + timedelta(seconds=5) + delivery.RateLimits.MARGIN
    assert limits.until(TEAM, NOW) == resume
    # The 429'd row waits Retry-After; the two handed back wait for the workspace's pause.
    assert waits == [NOW + timedelta(seconds=5), resume, resume]
    assert run(NOW + timedelta(seconds=5)).sent == 0  # still inside Retry-After plus a margin
    assert run(resume - timedelta(microseconds=1)).sent == 0
    assert len(fake.state.calls("chat.postMessage")) == 1
    assert run(resume).sent == 3
    assert len(fake.state.calls("chat.postMessage")) == 4


def test_one_run_drains_more_than_a_batch(db: Database, fake: FakeSlack) -> None:
    # Batches are the point here, not Slack's per-channel burst: 30 notices for one mentor at
    # once would be 429'd after a few (the Retry-After tests above cover that).
    fake.state.set_rate_limit("chat.postMessage", None)
    f.workspace(db)
    f.mentor(db, "UMENTOR", mentor_capacity=10)
    total = delivery.BATCH + 5
    ask_the_mentor(db, total)
    assert deliver(db, fake, NOW).sent == total
    assert len(mentor_dm(fake)) == total


def test_a_429_hands_back_that_workspaces_rows_while_the_batch_goes_on_for_others(
    db: Database, fake: FakeSlack
) -> None:
    other = "T0OTHER"
    other_state = SlackState(team_id=other)
    other_state.add_user("UMENTOR", name="umentor", real_name="Umentor", display_name="Umentor")
    fake.state.add_user("UMENTEE2", name="umentee2", real_name="Two", display_name="Two")
    f.workspace(db)
    f.workspace(db, other)
    f.mentor(db, "UMENTOR", mentor_capacity=5)
    f.mentor(db, "UMENTOR", team_id=other)
    f.mentee(db, "UMENTEE")
    f.mentee(db, "UMENTEE2")
    f.mentee(db, "UMENTEE", team_id=other)
    for team, mentee in ((TEAM, "UMENTEE"), (TEAM, "UMENTEE2"), (other, "UMENTEE")):
        with db.write() as s:
            send_request(
                session=s,
                team_id=team,
                mentee_user_id=mentee,
                mentor_user_id="UMENTOR",
                message=MESSAGE,
                now=NOW,
            )
    fake.state.inject("chat.postMessage", RateLimited(retry_after=5))
    with FakeSlack(other_state) as other_fake:
        clients = {
            TEAM: WebClient(token="xoxb-test-delivery", base_url=fake.api_url),
            other: WebClient(token="xoxb-test-other", base_url=other_fake.api_url),
        }
        report = delivery.deliver_due(
            db=db, client_for=clients.__getitem__, now=NOW, rng=random.Random(7)
        )
        assert len(other_fake.state.messages(other_fake.state.dm_channel("UMENTOR"))) == 1
    assert (report.sent, report.retrying) == (1, 2)
    assert len(fake.state.calls("chat.postMessage")) == 1  # the workspace's second row waits
    with db.read() as s:
        rows = list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(r.team_id, r.status) for r in rows] == [
        (TEAM, OutboxStatus.PENDING),
        (TEAM, OutboxStatus.PENDING),
        (other, OutboxStatus.SENT),
    ]
    held = rows[:2]
    assert [r.attempts for r in held] == [1, 0]  # tried and 429'd; handed back untried
    assert all(r.claimed_until is None for r in held)
    assert all(r.next_attempt_at >= NOW + timedelta(seconds=5) for r in held)


def test_a_batch_reads_the_workspaces_words_once_and_uses_them_for_every_notice(
    db: Database, fake: FakeSlack
) -> None:
    fake.state.set_rate_limit("chat.postMessage", None)
    f.workspace(db)
    f.settings(db, terminology={"mentor": "guide", "mentee": "learner"})
    f.mentor(db, "UMENTOR", mentor_capacity=10)
    ask_the_mentor(db, 3)
    settings_reads: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "workspaces.settings" in statement:
            settings_reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = deliver(db, fake, NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert report.sent == 3
    assert len(settings_reads) == 1
    assert all("as their guide" in json.dumps(message.blocks) for message in mentor_dm(fake))
