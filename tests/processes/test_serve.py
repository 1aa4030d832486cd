"""``mentor-match serve`` as a process: health, graceful shutdown, a second signal, the grace."""

from __future__ import annotations

import signal
import socket
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from fakeslack import FakeSlack, Inbound, post
from tests.conftest import TEAM
from tests.processes.conftest import ProcessDb, Start
from tests.processes.harness import (
    SIGNING_SECRET,
    health,
    hold,
    listening_port,
    slack_shows,
    wait_until,
)

SERVE = ("serve", "--host", "127.0.0.1", "--port", "0", "--threads", "4", "--no-scheduler")


def events_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/slack/events"


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


def test_healthz_answers_200_then_503_when_the_database_dies(
    start: Start, process_db: ProcessDb
) -> None:
    app = start(*SERVE)
    port = listening_port(app)
    app.wait_for("is ready")
    status, body = health(port)
    assert (status, body["status"], body["database"], body["slack"]) == (200, "ok", "ok", "ok")
    process_db.db.dispose()
    kill_database(process_db)
    status, body = health(port)
    assert status == 503, body
    assert body["database"] == "unreachable"
    app.signal(signal.SIGTERM)
    assert app.wait() == 0
    assert "Traceback" not in app.output


def kill_database(process_db: ProcessDb) -> None:
    """The database stops answering: PostgreSQL's is dropped, SQLite's file is overwritten."""
    if process_db.kind == "postgres":
        from sqlalchemy import create_engine, text

        from tests.conftest import POSTGRES_ADMIN_URL

        name = process_db.db.engine.url.database
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
        return
    path = process_db.db.engine.url.database
    assert path
    for suffix in ("", "-wal", "-shm"):
        try:
            with open(path + suffix, "r+b") as file:  # same inode: open connections see it too
                size = file.seek(0, 2)
                file.seek(0)
                file.write(b"\x00not a database any more" * (size // 24 + 1))
        except FileNotFoundError:
            pass


def test_sigterm_lets_the_request_in_flight_finish_then_exits_0(
    start: Start, fake: FakeSlack
) -> None:
    app = start(*SERVE, SHUTDOWN_GRACE_SECONDS="60")
    port = listening_port(app)
    app.wait_for("is ready")
    held = hold(fake, "views.open")
    inbound = Inbound(SIGNING_SECRET, TEAM, state=fake.state)
    status, _headers, _body = post(events_url(port), inbound.command("UERIN", "/find-mentor"))
    assert status == 200  # acknowledged; the listener goes on to open the modal
    held.wait_arrived(60)

    app.signal(signal.SIGTERM)
    app.wait_for(r"no longer accepting requests")
    assert refused(port)  # new work is turned away
    assert app.proc.poll() is None  # the modal is still being opened
    held.release()

    assert app.wait() == 0
    assert "drained 1 listener" in app.output
    assert fake.state.views_for("UERIN"), "the modal the person asked for never opened"
    assert [c.ok for c in fake.state.calls("views.open")] == [True]
    assert "Traceback" not in app.output


def test_a_second_signal_exits_at_once(start: Start, fake: FakeSlack) -> None:
    app = start(*SERVE, SHUTDOWN_GRACE_SECONDS="60")
    port = listening_port(app)
    app.wait_for("is ready")
    held = hold(fake, "views.open")
    inbound = Inbound(SIGNING_SECRET, TEAM, state=fake.state)
    post(events_url(port), inbound.command("UERIN", "/find-mentor"))
    held.wait_arrived(60)
    app.signal(signal.SIGTERM)
    app.wait_for(r"no longer accepting requests")
    app.signal(signal.SIGINT)
    try:
        assert app.wait() == 128 + signal.SIGINT
        assert "second SIGINT while stopping: exiting at once" in app.output
    finally:
        held.release()


def test_the_grace_period_bounds_the_wait(start: Start, fake: FakeSlack) -> None:
    app = start(*SERVE, SHUTDOWN_GRACE_SECONDS="1")
    port = listening_port(app)
    app.wait_for("is ready")
    held = hold(fake, "views.open")
    inbound = Inbound(SIGNING_SECRET, TEAM, state=fake.state)
    post(events_url(port), inbound.command("UERIN", "/find-mentor"))
    held.wait_arrived(60)
    app.signal(signal.SIGTERM)
    try:
        assert app.wait() == 1
        assert "SHUTDOWN_GRACE_SECONDS (1 s) ran out with 1 listener still running" in app.output
    finally:
        held.release()


def test_sigterm_answers_a_request_already_being_received(start: Start, fake: FakeSlack) -> None:
    """Slack's request arrived before the signal, its body after: it is still answered."""
    app = start(*SERVE, SHUTDOWN_GRACE_SECONDS="60")
    port = listening_port(app)
    app.wait_for("is ready")
    request = Inbound(SIGNING_SECRET, TEAM, state=fake.state).url_verification("drain-check")
    body = request.body.encode()
    head = "".join(f"{name}: {value}\r\n" for name, value in request.headers.items())
    with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
        conn.sendall(
            (
                "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"{head}Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n"
            ).encode()
        )
        reader = conn.makefile("rb")
        assert reader.readline().startswith(b"HTTP/1.1 100")  # the server is reading it
        reader.readline()
        app.signal(signal.SIGTERM)
        app.wait_for("no longer accepting requests")
        conn.sendall(body)
        status_line = reader.readline()
        answer = reader.read()
    assert status_line.startswith(b"HTTP/1.1 200"), status_line
    assert b"drain-check" in answer
    assert app.wait() == 0
    assert "drained 1 request" in app.output


def test_metrics_count_what_the_process_did(start: Start, fake: FakeSlack) -> None:
    app = start(*SERVE)
    port = listening_port(app)
    app.wait_for("is ready")
    inbound = Inbound(SIGNING_SECRET, TEAM, state=fake.state)
    status, _headers, _body = post(events_url(port), inbound.command("UERIN", "/find-mentor"))
    assert status == 200
    slack_shows(fake, lambda: fake.state.views_for("UERIN"), "the modal /find-mentor opens")

    def scraped() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            assert answer.headers["Content-Type"].startswith("text/plain")
            text = answer.read().decode()
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }

    # The listener's run ends after its modal opened: wait for its count, then read the rest.
    listener = ("mentor_match_listener_seconds_count", (("kind", "command"),))
    metrics = wait_until(lambda: (m := scraped()).get(listener) and m, "the listener counted")
    assert metrics[("mentor_match_ack_seconds_count", (("kind", "command"),))] == 1
    views_open = (("method", "views.open"), ("outcome", "ok"))
    assert metrics[("mentor_match_slack_api_calls_total", views_open)] >= 1
    assert metrics[("mentor_match_outbox_pending", ())] == 0
    app.signal(signal.SIGTERM)
    assert app.wait() == 0
