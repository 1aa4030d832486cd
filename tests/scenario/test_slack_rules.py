"""Scenario tests meet a fake Slack with Slack's rules on, and fail when the app breaks one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakeslack import LateAck
from fakeslack.policy import manifest_scopes
from tests.scenario.harness import Harness
from tests.scenario.test_journey import enroll_cast


def test_the_scenario_slack_holds_the_manifests_scopes_and_slacks_limits(slack: Harness) -> None:
    state = slack.state

    assert state.scopes == list(manifest_scopes())
    assert state.expire_triggers and state.trigger_ttl == 3.0
    assert state.ack_timeout == 3.0
    assert state.traffic.rate_limit("chat.postMessage") is not None
    assert state.traffic.rate_limit("views.open") is not None
    assert not state.allow_push_from_elsewhere
    assert not state.allow_open_over_modal


def test_an_acknowledgement_later_than_slack_waits_fails_the_test(slack: Harness) -> None:
    enroll_cast(slack)
    slack.state.ack_timeout = 0.0  # any real answer takes longer than no time at all

    with pytest.raises(LateAck):
        slack.command("UERIN", "/find-mentor")


def test_moving_the_apps_clock_moves_slacks_too(slack: Harness) -> None:
    before = slack.state.clock()

    slack.advance(timedelta(days=4))

    assert slack.state.clock() - before >= 4 * 86400
