"""``mentor-match scheduler`` as a process: delivers the outbox, reports its liveness, drains."""

from __future__ import annotations

import signal
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, text

from fakeslack import FakeSlack, ServerError
from mentoring.requests.sending import send_request
from store.enums import OutboxStatus
from store.models import JobRun, OutboxMessage
from tests import factories as f
from tests.conftest import TEAM
from tests.processes.conftest import ProcessDb, Start
from tests.processes.harness import health, hold, listening_port, slack_shows, wait_until

MESSAGE = "I'd like advice on growing into a tech lead role, please."
SCHEDULER = ("scheduler", "--health-port", "0")


def queue_request(process_db: ProcessDb, now: datetime | None = None) -> None:
    """Erin asks Maya: the request card for Maya waits in the outbox."""
    f.workspace(process_db.db)
    f.mentor(process_db.db, "UMAYA", display_name="Maya Chen")
    f.mentee(process_db.db, "UERIN", display_name="Erin Walsh")
    with process_db.db.write() as session:
        send_request(
            session=session,
            team_id=TEAM,
            mentee_user_id="UERIN",
            mentor_user_id="UMAYA",
            message=MESSAGE,
            now=now or datetime.now(UTC),
        )


def outbox(process_db: ProcessDb) -> list[OutboxStatus]:
    with process_db.db.read() as session:
        return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def settled(process_db: ProcessDb) -> bool:
    """Both jobs ran, and every row is sent: the card, and what the sweep queued (the admins'
    digest), which is committed before the sweep's run is recorded. Waiting for "every row
    sent" alone could see the card sent before the sweep queued the digest (seen in CI)."""
    with process_db.db.read() as session:
        runs = {r.job: r for r in session.scalars(select(JobRun))}
    ran = all(name in runs and runs[name].last_success_at for name in ("sweep", "delivery"))
    return ran and set(outbox(process_db)) == {OutboxStatus.SENT}


def test_the_scheduler_delivers_what_waits_and_stops_cleanly(
    start: Start, fake: FakeSlack, process_db: ProcessDb
) -> None:
    queue_request(process_db)
    queued = len(outbox(process_db))
    assert queued and set(outbox(process_db)) == {OutboxStatus.PENDING}
    app = start(*SCHEDULER)
    port = listening_port(app)
    card = slack_shows(
        fake, lambda: fake.state.messages(fake.state.dm_channel("UMAYA")), "the card in Maya's DM"
    )
    assert MESSAGE.split(",")[0] in str(card[-1].to_api())
    wait_until(lambda: settled(process_db), "both jobs' runs recorded and every row sent")
    status, body = health(port)
    assert status == 200, body
    assert body["scheduler"] == "in this process"
    assert body["sweep"]["last_success"] and body["delivery"]["last_success"]
    assert body["outbox"]["pending"] == 0

    app.signal(signal.SIGINT)
    assert app.wait() == 0
    assert "stopped after SIGINT" in app.output
    assert "Traceback" not in app.output
    # Notices with alternatives rank from the directory index: loaded at start, no word lists.
    assert "directory index loaded ahead for 1 workspace(s) (no word lists)" in app.output
    # Each notification (the card, and the admins' digest the sweep queued) went out once.
    assert len(fake.state.calls("chat.postMessage")) == len(outbox(process_db)) > queued


def test_sigterm_lets_the_running_delivery_finish(
    start: Start, fake: FakeSlack, process_db: ProcessDb
) -> None:
    held = hold(fake, "chat.postMessage")
    queue_request(process_db)
    app = start(*SCHEDULER, SHUTDOWN_GRACE_SECONDS="60")
    held.wait_arrived(60)
    app.signal(signal.SIGTERM)
    app.wait_for("SIGTERM received")
    assert app.proc.poll() is None
    held.release()
    assert app.wait() == 0
    assert "drained the delivery job" in app.output
    with process_db.db.read() as session:
        rows = {r.kind: r.status for r in session.scalars(select(OutboxMessage))}
    assert rows["request.received"] is OutboxStatus.SENT  # the card that was being sent
    # Whatever the sweep queued meanwhile waits in the outbox for the next run: nothing lost.
    sent = [kind for kind, status in rows.items() if status is OutboxStatus.SENT]
    assert [c.ok for c in fake.state.calls("chat.postMessage")] == [True] * len(sent)


@contextmanager
def sweep_blocked(process_db: ProcessDb) -> Iterator[None]:
    """Hold the database's write lock (SQLite) or lock the requests table (PostgreSQL)."""
    with process_db.db.write() as session:  # BEGIN IMMEDIATE on SQLite: the write lock
        if process_db.kind == "postgres":
            session.execute(text("LOCK TABLE requests IN ACCESS EXCLUSIVE MODE"))
        else:
            session.execute(text("SELECT 1"))
        yield


def test_healthz_turns_503_when_the_sweep_stops_completing_and_recovers(
    start: Start, process_db: ProcessDb
) -> None:
    f.workspace(process_db.db)
    app = start(*SCHEDULER, SWEEP_INTERVAL_SECONDS="1", DELIVERY_INTERVAL_SECONDS="1")
    port = listening_port(app)
    wait_until(lambda: health(port)[1].get("sweep", {}).get("last_success"), "a first sweep")
    assert health(port)[0] == 200
    with sweep_blocked(process_db):
        _status, body = wait_until(
            lambda: (answer := health(port))[0] == 503 and answer, "a 503 while the sweep is stuck"
        )
    assert any("the sweep has not completed" in p for p in body["problems"]), body
    wait_until(lambda: health(port)[0] == 200, "health back to 200 once the sweep completes")
    app.signal(signal.SIGTERM)
    assert app.wait() == 0


def test_healthz_turns_503_when_a_notification_waits_too_long(
    start: Start, fake: FakeSlack, process_db: ProcessDb
) -> None:
    fake.state.inject("chat.postMessage", *[ServerError(503)] * 50)
    queue_request(process_db, now=datetime.now(UTC) - timedelta(hours=2))
    app = start(*SCHEDULER, OUTBOX_MAX_AGE_SECONDS="3600")
    port = listening_port(app)
    slack_shows(fake, lambda: fake.state.calls("chat.postMessage"), "a first delivery attempt")
    _status, body = wait_until(lambda: (a := health(port))[0] == 503 and a, "a 503")
    assert any("a notification has waited 2 h" in p for p in body["problems"]), body
    assert body["outbox"]["pending"] >= 1
    assert body["outbox"]["oldest_pending_age_seconds"] >= 7200
    app.signal(signal.SIGTERM)
    assert app.wait() == 0


def test_the_scheduler_serves_its_metrics(
    start: Start, fake: FakeSlack, process_db: ProcessDb
) -> None:
    queue_request(process_db)
    app = start("scheduler", "--metrics-port", "0")
    port = int(app.wait_for(r"metrics at http://[\d.]+:(\d+)/metrics").group(1))
    wait_until(lambda: settled(process_db), "both jobs' runs recorded and every row sent")

    def scraped() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            text = answer.read().decode()
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }

    sent = ("mentor_match_notifications_total", (("kind", "request.received"), ("outcome", "sent")))
    metrics = wait_until(lambda: (m := scraped()).get(sent) and m, "the card counted as sent")
    assert metrics[sent] == 1
    assert metrics[("mentor_match_sweep_seconds_count", ())] >= 1
    assert metrics[("mentor_match_outbox_pending", ())] == 0
    posted = (("method", "chat.postMessage"), ("outcome", "ok"))
    assert metrics[("mentor_match_slack_api_calls_total", posted)] >= 1
    app.signal(signal.SIGTERM)
    assert app.wait() == 0
