"""The real app wired to an in-process fake Slack: for the console, benchmarks and tests.

Everything is the production code path (Bolt app, listeners, delivery, WSGI server) except the
Slack on the other end, which is ``fakeslack``. Listeners run on a pool that can be waited on,
so a caller knows when everything a request set off has finished.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from pydantic import SecretStr
from slack_sdk import WebClient

from bot.app import build_app, build_services
from bot.clock import Clock
from bot.config import AppConfig
from bot.web import make_server, wsgi_app
from fakeslack import Delivery, FakeSlack, Inbound, LateAck, SignedRequest, deliver
from store.db import Database

BOT_TOKEN = "xoxb-test-sandbox"  # noqa: S105 - the fake accepts any xoxb-test token
SIGNING_SECRET = "sandbox-signing-secret"  # noqa: S105 - a local fake's secret
APP_ID = "A0SANDBOX"
HUMAN_PACE = 1.0  # seconds between two things one person does in Slack, at the very least


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, plus a way to wait until every listener has finished."""

    def __init__(self, workers: int = 8) -> None:
        super().__init__(max_workers=workers, thread_name_prefix="listener")
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def wait_idle(self, timeout: float = 30.0) -> None:
        while True:
            with self._lock:
                self._futures = [f for f in self._futures if not f.done()]
                pending = list(self._futures)
            if not pending:
                return
            for future in pending:
                future.result(timeout=timeout)


class Sandbox:
    """One workspace in a fake Slack, the real app serving it over loopback HTTP."""

    def __init__(
        self,
        db: Database,
        fake: FakeSlack,
        *,
        team_id: str,
        admins: frozenset[str] = frozenset(),
        start: datetime | None = None,
        threads: int = 4,
    ) -> None:
        self.db = db
        self.fake = fake
        self.state = fake.state
        self.clock = Clock(start)
        self.bind_slack_clock()
        self.config = AppConfig(
            _env_file=None,
            slack_bot_token=SecretStr(BOT_TOKEN),
            slack_signing_secret=SecretStr(SIGNING_SECRET),
            slack_api_url=fake.api_url,
            admin_user_ids=admins,
        )
        self.client = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
        self.services = build_services(self.config, db, self.client)
        self.services.clock = self.clock
        self.executor = TrackingExecutor()
        self.app = build_app(
            self.config,
            self.services,
            client=self.client,
            token_verification=False,
            listener_executor=self.executor,
        )
        self.server = make_server(wsgi_app(self.app, db), "127.0.0.1", 0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._closing = False
        self._thread = threading.Thread(target=self._serve, daemon=True, name="sandbox-http")
        self._thread.start()
        self.inbound = Inbound(SIGNING_SECRET, team_id, APP_ID, state=fake.state)

    def _serve(self) -> None:
        try:
            self.server.run()
        except OSError:
            if not self._closing:  # closing the listening socket ends run() with EBADF
                raise

    def close(self) -> None:
        self._closing = True
        self.server.close()
        self._thread.join(timeout=5)
        self.executor.shutdown(wait=True)

    def bind_slack_clock(self) -> None:
        """Make the fake's clock :meth:`slack_clock` (from the app's ``clock`` as it is now).

        Slack's own clock (trigger expiry, response_urls, rate limits) runs in real seconds and
        jumps with the app's: a test or the console moving time on moves it for Slack too.
        """
        self._started = self.clock.now
        self._paced = 0.0
        self.state.clock = self.slack_clock

    def slack_clock(self) -> float:
        """Monotonic seconds, plus however far the app's clock was moved since the start, plus
        a person's pace between the requests sent (see :meth:`deliver`)."""
        moved = (self.clock.now - self._started).total_seconds()
        return time.monotonic() + moved + self._paced

    def send(self, request: SignedRequest) -> tuple[int, str]:
        """Post a signed request the way Slack does; return once its listeners have finished.

        Raises:
            LateAck: the app's HTTP answer took longer than Slack waits (``ack_timeout``).
        """
        got = self.deliver(request)
        if got.late:
            payload = request.payload()
            what = payload.get("type") or payload.get("command") or "request"
            raise LateAck(got.elapsed, got.ack_within, str(what))
        return got.status, got.body

    def deliver(self, request: SignedRequest) -> Delivery:
        """Post a signed request; its answer and how long it took, once listeners finished.

        A script sends one person's clicks and commands milliseconds apart; a person is at
        least ``HUMAN_PACE`` apart. Slack's clock moves on by that much after each request, so
        that rate limits judge the bursts the app makes, not the script's speed.
        """
        got = deliver(self.url + "/slack/events", request, ack_within=self.state.ack_timeout)
        self.executor.wait_idle()
        self._paced += HUMAN_PACE
        return got

    def advance(self, delta: timedelta) -> None:
        self.clock.now += delta
