"""What a running process tells Prometheus (``GET /metrics``), measured where it happens.

- Slack Web API calls, by method and outcome, with latency and 429s (:class:`MeteredWebClient`);
- listeners: the time to Slack's acknowledgement and the whole run, by kind (command, action,
  view, event, options) (:func:`answering` around the transport, :func:`timed_listener`);
- notifications sent, retried, failed and dropped, by kind (:func:`record_delivery`);
- the sweep: how long it took and what it did (:func:`record_sweep`);
- the outbox, read at scrape time: rows waiting and the age of the oldest, rows failed
  (:class:`OutboxCollector`).

Everything goes into one :data:`REGISTRY` per process (the default registry would also carry
the metrics of whatever else imports prometheus_client).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_bolt import BoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import func, select

from bot.keepalive import KeepAliveWebClient
from store.db import Database
from store.enums import OutboxStatus
from store.models import OutboxMessage

REGISTRY = CollectorRegistry(auto_describe=True)
PREFIX = "mentor_match"
# Slack answers most calls in tens of milliseconds; a slow one is seconds.
API_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# The ack must come within 3 s; the buckets around it say how close the process runs to it.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)

SLACK_CALLS = Counter(
    f"{PREFIX}_slack_api_calls",
    "Slack Web API calls, by method and outcome (ok, the Slack error, or http_<status>).",
    ["method", "outcome"],
    registry=REGISTRY,
)
SLACK_SECONDS = Histogram(
    f"{PREFIX}_slack_api_call_seconds",
    "How long Slack Web API calls took, by method.",
    ["method"],
    buckets=API_BUCKETS,
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    f"{PREFIX}_slack_rate_limited",
    "Slack Web API calls answered 429, by method.",
    ["method"],
    registry=REGISTRY,
)
RETRY_AFTER = Histogram(
    f"{PREFIX}_slack_retry_after_seconds",
    "The Retry-After Slack sent with its 429s.",
    buckets=(1, 2, 5, 10, 30, 60, 120, 300),
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    f"{PREFIX}_ack_seconds",
    "From receiving a Slack request to acknowledging it, by kind.",
    ["kind"],
    buckets=ACK_BUCKETS,
    registry=REGISTRY,
)
LISTENER_SECONDS = Histogram(
    f"{PREFIX}_listener_seconds",
    "How long a listener ran in all (after its ack too), by kind.",
    ["kind"],
    buckets=ACK_BUCKETS,
    registry=REGISTRY,
)
NOTIFICATIONS = Counter(
    f"{PREFIX}_notifications",
    "Notifications the dispatcher handled, by kind and outcome (sent, retried, failed, dropped).",
    ["kind", "outcome"],
    registry=REGISTRY,
)
SWEEP_SECONDS = Histogram(
    f"{PREFIX}_sweep_seconds",
    "How long a sweep of every workspace took.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
    registry=REGISTRY,
)
SWEEP_MOVES = Counter(
    f"{PREFIX}_sweep_moves",
    "What sweeps did: reminded, expired, escalated, digests, meetings_reminded, ...",
    ["what"],
    registry=REGISTRY,
)


class MeteredWebClient(KeepAliveWebClient):
    """``slack_sdk.WebClient``, counting and timing every call it makes (files' steps too).

    Calls go over one kept-alive connection per thread (:class:`KeepAliveWebClient`).
    """

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        start = time.perf_counter()
        outcome = "exception"
        try:
            response = super().api_call(api_method, **kwargs)
            outcome = "ok"
            return response
        except SlackApiError as err:
            outcome = _failure(api_method, err.response)
            raise
        finally:
            SLACK_SECONDS.labels(api_method).observe(time.perf_counter() - start)
            SLACK_CALLS.labels(api_method, outcome).inc()


def _failure(method: str, response: SlackResponse) -> str:
    if response.status_code == 429:
        RATE_LIMITED.labels(method).inc()
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        if retry_after and str(retry_after).isdigit():
            RETRY_AFTER.observe(int(retry_after))
        return "ratelimited"
    error = response.get("error") if isinstance(response.data, dict) else None
    return str(error) if error else f"http_{response.status_code}"


_kind = threading.local()


def kind_of(body: Mapping[str, Any]) -> str:
    """What a Slack request is: command, action, view, event or options (else its own type)."""
    if body.get("command"):
        return "command"
    kind = str(body.get("type") or "")
    return {
        "block_actions": "action",
        "view_submission": "view",
        "view_closed": "view",
        "event_callback": "event",
        "block_suggestion": "options",
    }.get(kind, kind or "unknown")


def bolt_middleware(req: BoltRequest, next: Callable[[], Any]) -> Any:
    """Meter what a request sets off.

    Notes what kind of request this thread is answering, for :func:`answering` and
    :func:`timed_listener` (Bolt runs middleware, then hands the listener to its pool, in the
    thread that received the request), and gives the listener a :class:`MeteredWebClient`: Bolt
    makes a plain ``WebClient`` for each request from the app's own (authorisation, which ran
    before, has set its token).
    """
    _kind.value = kind_of(req.body)
    plain = req.context.client
    if plain is not None and not isinstance(plain, MeteredWebClient):
        req.context["client"] = MeteredWebClient(
            token=plain.token,
            base_url=plain.base_url,
            timeout=plain.timeout,
            ssl=plain.ssl,
            proxy=plain.proxy,
            headers=plain.headers,
            team_id=req.context.team_id,
            logger=plain.logger,
            retry_handlers=plain.retry_handlers,
        )
    return next()


@contextmanager
def answering() -> Iterator[None]:
    """Time one Slack request from its arrival to the answer Slack gets (the ack), by kind.

    Wraps the transport (the HTTP handler, the Socket Mode envelope handler): Bolt returns from
    dispatching once the listener has acked.
    """
    _kind.value = None
    start = time.perf_counter()
    try:
        yield
    finally:
        ACK_SECONDS.labels(getattr(_kind, "value", None) or "unknown").observe(
            time.perf_counter() - start
        )
        _kind.value = None


def timed_listener(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` (a listener run Bolt hands to its pool), timed by the kind of request it answers.

    Called in the request's own thread, where :func:`bolt_middleware` left the kind.
    """
    kind = getattr(_kind, "value", None) or "other"

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            LISTENER_SECONDS.labels(kind).observe(time.perf_counter() - start)

    return timed


def record_job(name: str, seconds: float, result: object) -> None:
    """A scheduler job's run (scheduler.jobs.Jobs.observe): sweeps and deliveries counted."""
    if name == "sweep":
        record_sweep(seconds, _moves(result))
    elif hasattr(result, "by_kind"):
        record_delivery(result.by_kind)


def _moves(report: object, prefix: str = "") -> dict[str, int]:
    """A sweep report's counts, flattened: ``{"expired": 2, "meetings_reminded": 1, ...}``."""
    if not dataclasses.is_dataclass(report):
        return {}
    moves: dict[str, int] = {}
    for item in dataclasses.fields(report):
        value = getattr(report, item.name)
        if isinstance(value, int):
            moves[prefix + item.name] = value
        else:
            moves.update(_moves(value, f"{prefix}{item.name}_"))
    return moves


def record_delivery(outcomes: Mapping[tuple[str, str], int]) -> None:
    """Count a dispatcher run's notifications: ``{(kind, outcome): n}``."""
    for (kind, outcome), n in outcomes.items():
        if n:
            NOTIFICATIONS.labels(kind, outcome).inc(n)


def record_sweep(seconds: float, moves: Mapping[str, int]) -> None:
    """Count one sweep: its duration and how many of each move it made."""
    SWEEP_SECONDS.observe(seconds)
    for what, n in moves.items():
        if n:
            SWEEP_MOVES.labels(what).inc(n)


class OutboxCollector(Collector):
    """The outbox as it stands when Prometheus scrapes: waiting, oldest waiting, failed."""

    def __init__(self, db: Database, clock: Callable[[], datetime] | None = None) -> None:
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))

    def collect(self) -> Iterator[Metric]:
        with self.db.read() as session:
            pending, oldest = session.execute(
                select(func.count(), func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.status == OutboxStatus.PENDING
                )
            ).one()
            failed = session.scalar(
                select(func.count()).where(OutboxMessage.status == OutboxStatus.FAILED)
            )
        age = (self.clock() - oldest).total_seconds() if oldest is not None else 0.0
        yield _gauge("outbox_pending", "Notifications waiting to be delivered.", pending)
        yield _gauge(
            "outbox_oldest_pending_age_seconds",
            "Age of the oldest notification waiting (0 when none waits).",
            max(0.0, age),
        )
        yield _gauge("outbox_failed", "Notifications Slack refused for good.", failed or 0)


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{PREFIX}_{name}", doc, value=value)


_watching: list[OutboxCollector] = []


def watch_outbox(db: Database, clock: Callable[[], datetime] | None = None) -> OutboxCollector:
    """Read ``db``'s outbox at every scrape (replacing the database watched before, if any)."""
    while _watching:
        REGISTRY.unregister(_watching.pop())
    collector = OutboxCollector(db, clock)
    REGISTRY.register(collector)
    _watching.append(collector)
    return collector


def exposition() -> tuple[bytes, str]:
    """The registry in the Prometheus text format, with its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def samples(name: str) -> Iterable[tuple[dict[str, str], float]]:
    """Every sample of ``name`` in the registry (labels, value): for tests and ``doctor``."""
    for metric in REGISTRY.collect():
        for sample in metric.samples:
            if sample.name == name:
                yield dict(sample.labels), sample.value
