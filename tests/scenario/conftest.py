"""Scenario fixtures: fake Slack with a small cast, and the real app served over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakeslack import FakeSlack, SlackState
from store.db import Database
from tests.conftest import TEAM
from tests.scenario.harness import Harness

CAST = {
    "UMAYA": ("maya", "Maya Chen", "Europe/London"),  # mentor
    "UOMAR": ("omar", "Omar Haddad", "Europe/Berlin"),  # mentor
    "UERIN": ("erin", "Erin Walsh", "America/New_York"),  # mentee
    "UFINN": ("finn", "Finn <!channel> Ito", "Asia/Tokyo"),  # mentee with a hostile name
    "USTRANGER": ("stranger", "Sam Stranger", "UTC"),
    "UADMIN": ("admin", "Ada Admin", "UTC"),
}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    # Slack's rules: the manifest's scopes, trigger expiry and origin, rate limits, the 3 s ack.
    state = SlackState.from_manifest(
        team_id=TEAM,
    )
    for user_id, (name, real_name, tz) in CAST.items():
        state.add_user(user_id, name=name, real_name=real_name, display_name=real_name, tz=tz)
    with FakeSlack(state) as server:
        yield server


@pytest.fixture
def slack(db: Database, fake: FakeSlack) -> Iterator[Harness]:
    harness = Harness(db, fake, admins=frozenset({"UADMIN"}))
    yield harness
    harness.close()
    # Every view and message the app produced passed the fake's Block Kit validation (Slack's
    # limits), and no call failed, unless the test injected the failure.
    failed = [(c.method, c.error) for c in fake.state.calls() if not c.ok]
    assert failed == harness.expected_failures
