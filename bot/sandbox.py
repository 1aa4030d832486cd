"""The real app wired to an in-process fake Slack: for the console, benchmarks and tests.

Everything is the production code path (Bolt app, listeners, delivery, WSGI server) except the
Slack on the other end, which is ``fakeslack``. Listeners run on a pool that can be waited on,
so a caller knows when everything a request set off has finished.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from pydantic import SecretStr

from bot.app import build_app, build_services
from bot.clock import Clock
from bot.config import AppConfig
from bot.listeners import ListenerPool
from bot.metrics import MeteredWebClient
from bot.web import HttpServer, wsgi_app
from fakeslack import Delivery, FakeSlack, Inbound, LateAck, SignedRequest, deliver
from handlers.listening import Observer
from store.db import Database

BOT_TOKEN = "xoxb-test-sandbox"  # noqa: S105 - the fake accepts any xoxb-test token
SIGNING_SECRET = "sandbox-signing-secret"  # noqa: S105 - a local fake's secret
APP_ID = "A0SANDBOX"
HUMAN_PACE = 1.0  # seconds between two things one person does in Slack, at the very least


TrackingExecutor = ListenerPool  # the name scenario tests know it by


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
        observe: Observer | None = None,
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
        self.client = MeteredWebClient(token=BOT_TOKEN, base_url=fake.api_url)
        self.services = build_services(self.config, db, self.client)
        self.services.clock = self.clock
        self.executor = TrackingExecutor()
        self.app = build_app(
            self.config,
            self.services,
            client=self.client,
            token_verification=False,
            listener_executor=self.executor,
            observe=observe,
        )
        self.http = HttpServer(wsgi_app(self.app, db), "127.0.0.1", 0, threads=threads).start()
        self.url = f"http://127.0.0.1:{self.http.port}"
        self.inbound = Inbound(SIGNING_SECRET, team_id, APP_ID, state=fake.state)

    def close(self, grace: float = 10.0) -> int:
        """Stop taking requests, let those in flight and their listeners finish (for up to
        ``grace`` seconds), then stop the server; how many were cut off."""
        deadline = time.monotonic() + grace
        self.http.stop_accepting()
        self.http.in_flight.wait_idle(deadline)
        left = self.executor.wait_idle(max(0.0, deadline - time.monotonic()))
        left += self.http.drain(deadline)
        self.http.close()
        self.executor.shutdown(wait=left == 0)
        return left

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
        if self.executor.wait_idle():
            raise TimeoutError("listeners still running after 30 s")
        self._paced += HUMAN_PACE
        return got

    def advance(self, delta: timedelta) -> None:
        self.clock.now += delta
