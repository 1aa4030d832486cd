"""Fixtures for the fake's own tests: a fake on a clock that moves only when told."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient

from fakeslack import FakeSlack, SlackState, User

SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC).timestamp()


class ManualClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> Iterator[FakeSlack]:
    with FakeSlack(SlackState(clock=clock, wall_clock=lambda: SUMMER)) as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test-bot", base_url=fake.api_url)


@pytest.fixture
def alice(fake: FakeSlack) -> User:
    return fake.state.add_user(name="alice", email="alice@example.test", tz="Europe/London")
