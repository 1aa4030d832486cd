"""Every listener the app registers is run by some scenario test (ordered last: conftest.py).

Only judged when the whole scenario directory ran in this session, without ``-k``/``-m``
deselection, xdist splitting or failures; otherwise the test is skipped and says why.
"""

from __future__ import annotations

import pytest
from slack_bolt import App

from bot.app import register_all
from handlers.listening import ListenerKey
from tests.scenario.conftest import whole_scenario_suite


def registered() -> set[ListenerKey]:
    """What the product registers on a Bolt app (commands, actions, views, events)."""
    app = App(signing_secret="unused", token="xoxb-test-registry", token_verification_enabled=False)
    return set(register_all(app).keys)


def test_the_registry_lists_every_kind_of_listener() -> None:
    kinds = {key.kind for key in registered()}
    assert {"command", "action", "view", "event"} <= kinds
    assert ListenerKey("command", "/find-mentor") in registered()


def test_every_registered_listener_is_run_by_some_scenario_test(
    request: pytest.FixtureRequest, listeners_run: set[ListenerKey]
) -> None:
    if why := whole_scenario_suite(request.session):
        pytest.skip("not the whole scenario suite: " + "; ".join(why[:3]))
    never_run = sorted(registered() - listeners_run)
    assert never_run == [], "listeners no scenario test triggers:\n" + "\n".join(
        f"  {key.kind} {key.id}" for key in never_run
    )
