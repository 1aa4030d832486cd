"""``mentor-match run``: the bot over Socket Mode, started patiently and stopped gracefully.

Bolt's ``SocketModeHandler`` (slack_sdk's built-in Socket Mode client) receives envelopes and
acknowledges each over the WebSocket. On a stop the process takes no new envelope (one it does
not acknowledge is sent again by Slack to another connection, or after the restart), lets the
envelopes and listeners in flight finish, since their acknowledgements travel over the same
connection, and only then closes it.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot import inflight, metrics
from bot.config import AppConfig
from bot.listeners import ListenerPool
from bot.modes import EXIT_REFUSED, Refused, connect_app, open_db, probe_client
from bot.shutdown import Drain, Shutdown, finish
from bot.slack_check import SlackRefused, reach_slack
from mentoring.directory import index as directory_index
from scheduler.jobs import SchedulerService

log = logging.getLogger("bot.socket_mode")


class Envelopes(inflight.Counter):
    """Hands envelopes to Bolt while accepting, and counts those it is answering."""

    def __init__(self, handler: SocketModeHandler) -> None:
        super().__init__()
        self.handler = handler
        self.accepting = True

    def __call__(self, client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        if not self.accepting:
            log.info(
                "stopping: envelope %s (%s) left for Slack to resend",
                request.envelope_id,
                request.type,
            )
            return
        self.start()
        try:
            with metrics.answering():
                self.handler.handle(client, request)  # type: ignore[arg-type]
        finally:
            self.done()


def run(config: AppConfig, *, scheduler: bool) -> None:
    """Socket Mode; never returns (exits with the drain's code)."""
    shutdown = Shutdown().install()
    db = open_db(config)
    listeners = ListenerPool()
    app_token = config.secret("slack_app_token") or ""
    try:
        runtime = connect_app(config, db, shutdown, listeners=listeners)
        handler = None if runtime is None else SocketModeHandler(runtime.app, app_token)
        url = None
        if handler is not None:
            probe = probe_client(config)
            url = reach_slack(
                lambda: str(probe.apps_connections_open(app_token=app_token)["url"]),
                url=config.slack_api_url,
                variable="SLACK_APP_TOKEN",
                stop=shutdown.requested,
            )
    except (Refused, SlackRefused) as exc:
        log.error("%s", exc)
        raise SystemExit(EXIT_REFUSED) from None
    envelopes = None
    service: SchedulerService | None = None
    if runtime is not None and handler is not None and url is not None:
        envelopes = Envelopes(handler)
        handler.client.socket_mode_request_listeners[:] = [envelopes]
        handler.client.wss_uri = url
        handler.connect()  # type: ignore[no-untyped-call]
        if scheduler:
            service = runtime.start_scheduler()
        log.info("Mentor Match is connected over Socket Mode. Press Ctrl+C to stop.")
        directory_index.warm(db)  # the first search after a start need not load it
        shutdown.wait()
    drain = Drain(shutdown.reason, config.shutdown_grace_seconds)
    deadline = time.monotonic() + config.shutdown_grace_seconds
    jobs = service.runner.running() if service else []
    if service is not None:
        service.runner.stopping.set()
    in_flight = 0
    if envelopes is not None and handler is not None:
        handler.client.auto_reconnect_enabled = False
        envelopes.accepting = False
        in_flight = envelopes.count
        left = envelopes.wait_idle(deadline)
        drain.count("envelope", in_flight, left)
    pending = len(listeners.pending())
    drain.count("listener", pending, listeners.wait_idle(max(0.0, deadline - time.monotonic())))
    left_jobs = service.stop(max(0.0, deadline - time.monotonic())) if service else []
    drain.job(jobs, left_jobs)

    def close() -> None:
        if handler is not None:
            closing = threading.Thread(target=handler.close, daemon=True)
            closing.start()
            closing.join(timeout=5)

    finish(shutdown, drain, cleanup=close)
