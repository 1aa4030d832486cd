"""The long-running modes (``serve``, ``run``, ``scheduler``) as services: they start without
Slack and keep trying, tell when a token is refused, and stop gracefully on SIGTERM/SIGINT.

Each mode: install the signal handlers, open the database, reach Slack (retrying with a
backoff; a refused token ends the process with one line), start its work, wait for a signal,
then stop taking new work, let what is in flight finish within SHUTDOWN_GRACE_SECONDS, log
what was drained and exit.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.config import AppConfig
from bot.health import Health
from bot.listeners import ListenerPool
from bot.runtime import Runtime, boot, open_database
from bot.shutdown import Drain, Shutdown, finish
from bot.slack_check import SlackRefused, reach_slack
from bot.web import HttpServer, wsgi_app
from mentoring.directory import index as directory_index
from scheduler.jobs import SchedulerService
from store.db import Database, normalise_url

log = logging.getLogger("bot.modes")
EXIT_REFUSED = 2


_QUIET = logging.getLogger("bot.modes.slack_probe")
_QUIET.propagate = False
_QUIET.addHandler(logging.NullHandler())


class Refused(Exception):
    """The process cannot start as configured; the message says what to fix."""


def open_db(config: AppConfig) -> Database:
    """The migrated database, or one line saying why not (exit status 1)."""
    try:
        return open_database(config)
    except ValueError as exc:  # settings that contradict each other
        log.error("%s", exc)
        raise SystemExit(EXIT_REFUSED) from None
    except (SQLAlchemyError, OSError) as exc:
        url = make_url(normalise_url(config.database_url)).render_as_string(hide_password=True)
        cause = getattr(exc, "orig", None) or exc
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        log.error("cannot open the database at %s: %s", url, reason)
        raise SystemExit(1) from None


def _health(config: AppConfig, db: Database) -> Health:
    return Health(
        db,
        sweep_interval=timedelta(seconds=config.sweep_interval_seconds),
        outbox_max_age=timedelta(seconds=config.outbox_max_age_seconds),
    )


def connect_app(
    config: AppConfig,
    db: Database,
    shutdown: Shutdown,
    health: Health | None = None,
    listeners: ListenerPool | None = None,
) -> Runtime | None:
    """The app, once Slack has accepted the bot token; ``None`` if asked to stop meanwhile."""
    if config.oauth_enabled:  # each workspace's token is checked when it is used
        if health is not None:
            health.slack = "ok"
        return boot(config, db=db, listener_executor=listeners)
    client = probe_client(config)

    def attempt() -> Runtime:
        client.auth_test()
        return boot(config, db=db, listener_executor=listeners)

    def status(ok: bool) -> None:
        if health is not None:
            health.slack = "ok" if ok else "unreachable"

    try:
        return reach_slack(
            attempt,
            url=config.slack_api_url,
            variable="SLACK_BOT_TOKEN",
            stop=shutdown.requested,
            on_status=status,
        )
    except SlackRefused as exc:
        raise Refused(str(exc)) from None


def probe_client(config: AppConfig) -> WebClient:
    """A client for start-up checks. Its failures are reported by reach_slack, in one line:
    slack_sdk's own logger would add an error and a retry notice for every attempt."""
    return WebClient(
        token=config.secret("slack_bot_token"),
        base_url=config.slack_api_url,
        logger=_QUIET,
        retry_handlers=[],
    )


def serve(config: AppConfig, *, host: str, port: int, threads: int, scheduler: bool) -> None:
    """HTTP mode; never returns (exits with the drain's code)."""
    shutdown = Shutdown().install()
    db = open_db(config)
    metrics.watch_outbox(db)
    health = _health(config, db)
    application = wsgi_app(None, health)
    server = _listen(application, host, port, threads)
    log.info("Mentor Match listening on http://%s:%s/slack/events", host, server.port)
    listeners = ListenerPool()
    service: SchedulerService | None = None

    def stop() -> None:
        drain = Drain(shutdown.reason, config.shutdown_grace_seconds)
        deadline = time.monotonic() + config.shutdown_grace_seconds
        server.stop_accepting()
        requests, jobs = server.busy(), service.runner.running() if service else []
        log.info(
            "no longer accepting requests; waiting up to %g s for %s request(s), %s listener(s)"
            " and %s",
            config.shutdown_grace_seconds,
            requests,
            len(listeners.pending()),
            " and ".join(f"the {j} job" for j in jobs) or "no scheduler job",
        )
        if service is not None:
            service.runner.stopping.set()  # no new run; the running one goes on
        server.in_flight.wait_idle(deadline)  # requests first: they hand work to listeners
        pending = len(listeners.pending())
        left_listeners = listeners.wait_idle(_left(deadline))
        left_jobs = service.stop(_left(deadline)) if service else []
        left_requests = server.drain(deadline)
        drain.count("request", requests, left_requests)
        drain.count("listener", pending, left_listeners)
        drain.job(jobs, left_jobs)
        finish(shutdown, drain, cleanup=server.close)

    try:
        runtime = connect_app(config, db, shutdown, health, listeners)
    except Refused as exc:
        log.error("%s", exc)
        server.stop(0)
        raise SystemExit(EXIT_REFUSED) from None
    if runtime is None:
        stop()
        return
    application.holder.set(runtime.app)  # type: ignore[attr-defined]
    if scheduler:
        service = health.scheduler = runtime.start_scheduler()
    log.info("Mentor Match is ready: Slack answered, requests are served")
    directory_index.warm(db)  # the first search after a start need not load it
    shutdown.wait()
    stop()


def run_scheduler(
    config: AppConfig, *, health_port: int | None, metrics_port: int | None, host: str
) -> None:
    """Only the scheduler (with optional health and metrics endpoints); never returns."""
    shutdown = Shutdown().install()
    db = open_db(config)
    metrics.watch_outbox(db)
    health = _health(config, db)
    servers: dict[int, HttpServer] = {}  # by the port asked for: one may serve both paths
    for port, what, path in (
        (health_port, "health check", "healthz"),
        (metrics_port, "metrics", "metrics"),
    ):
        if port is None:
            continue
        if port == 0 or port not in servers:
            servers[port or -len(servers) - 1] = server = _listen(
                wsgi_app(None, health), host, port, threads=2
            )
        else:
            server = servers[port]
        log.info("%s at http://%s:%s/%s", what, host, server.port, path)

    def close_servers() -> None:
        for server in servers.values():
            server.close()

    try:
        runtime = connect_app(config, db, shutdown, health)
    except Refused as exc:
        log.error("%s", exc)
        raise SystemExit(EXIT_REFUSED) from None
    service = None if runtime is None else runtime.start_scheduler()
    health.scheduler = service
    if service is not None:
        # Notices with alternatives rank from the index: the first after a start need not
        # load it (seconds at 100,000 mentors).
        directory_index.warm(db, words=False)
        log.info(
            "Scheduler running: sweep every %ss, delivery every %ss",
            config.sweep_interval_seconds,
            config.delivery_interval_seconds,
        )
        shutdown.wait()
    drain = Drain(shutdown.reason, config.shutdown_grace_seconds)
    jobs = service.runner.running() if service else []
    left = service.stop(config.shutdown_grace_seconds) if service else []
    drain.job(jobs, left)
    finish(shutdown, drain, cleanup=close_servers)


def _listen(application: Any, host: str, port: int, threads: int) -> HttpServer:
    """The HTTP server, listening; one line and exit status 1 when the port cannot be had."""
    try:
        return HttpServer(application, host, port, threads).start()
    except OSError as exc:
        log.error("cannot listen on %s:%s: %s", host, port, exc.strerror or exc)
        raise SystemExit(1) from None


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())
