"""Scenario fixtures: fake Slack with a small cast, and the real app served over HTTP.

Every listener that runs in a scenario is recorded for the session (``LISTENERS_RUN``);
``test_every_listener.py`` is moved to the end of the run and compares that record with what
the app registers, when the whole scenario directory ran (see :func:`whole_scenario_suite`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeslack import FakeSlack, SlackState
from handlers.listening import ListenerKey
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


SCENARIOS = Path(__file__).parent
LAST = "test_every_listener.py"
LISTENERS_RUN = pytest.StashKey[set[ListenerKey]]()
NOT_WHOLE = pytest.StashKey[list[str]]()  # why this run is not the whole scenario suite
DESELECTED = pytest.StashKey[list[pytest.Item]]()


def whole_scenario_suite(session: pytest.Session) -> list[str]:
    """Why this session did not run every scenario test (empty when it did).

    Deselecting one database's variant of a test (``-m "not postgres"``) is no reason: the
    other variant runs the same listeners.
    """
    why = list(session.config.stash.get(NOT_WHOLE, []))
    selected = {(i.path, getattr(i, "originalname", i.name)) for i in session.items}
    dropped = [
        i.nodeid
        for i in session.config.stash.get(DESELECTED, [])
        if (i.path, getattr(i, "originalname", i.name)) not in selected
    ]
    if dropped:
        why.append(f"{len(dropped)} scenario tests deselected, as {dropped[0]}")
    return why


def _not_whole(config: pytest.Config, why: str) -> None:
    config.stash.setdefault(NOT_WHOLE, []).append(why)


def _in_scenarios(item: pytest.Item) -> bool:
    return SCENARIOS in item.path.parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Not the whole scenario suite: collected from a single file or test, not the directory
    # (or a parent of it), or split between xdist workers.
    here = config.invocation_params.dir
    roots = [(here / a).resolve() for a in config.args if "::" not in a]
    if not any(r == SCENARIOS or r in SCENARIOS.parents for r in roots):
        _not_whole(config, f"collected from {config.args}, not the whole {SCENARIOS.name}/")
    if hasattr(config, "workerinput"):
        _not_whole(config, "split between pytest-xdist workers")
    last = [i for i in items if i.path.name == LAST and _in_scenarios(i)]
    items[:] = [i for i in items if i not in last] + last


def pytest_deselected(items: list[pytest.Item]) -> None:
    scenario = [i for i in items if _in_scenarios(i)]
    if scenario:
        scenario[0].config.stash.setdefault(DESELECTED, []).extend(scenario)


_CONFIG: list[pytest.Config] = []  # the session's config, for hooks that are not given it


def pytest_configure(config: pytest.Config) -> None:
    _CONFIG.append(config)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed and "tests/scenario/" in report.nodeid and LAST not in report.nodeid:
        # A scenario that failed may have stopped before its listeners ran.
        _not_whole(_CONFIG[0], f"{report.nodeid} failed")


@pytest.fixture(scope="session")
def listeners_run(pytestconfig: pytest.Config) -> set[ListenerKey]:
    """The keys of the listeners run so far by scenario tests this session."""
    return pytestconfig.stash.setdefault(LISTENERS_RUN, set())


@pytest.fixture
def slack(db: Database, fake: FakeSlack, listeners_run: set[ListenerKey]) -> Iterator[Harness]:
    harness = Harness(db, fake, admins=frozenset({"UADMIN"}), observe=listeners_run.add)
    yield harness
    harness.close()
    # Every view and message the app produced passed the fake's Block Kit validation (Slack's
    # limits), and no call failed, unless the test injected the failure.
    failed = [(c.method, c.error) for c in fake.state.calls() if not c.ok]
    assert failed == harness.expected_failures
