"""Slack waits 3 seconds for an app's answer: a later one fails the test and is lost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App

from fakeslack import FakeSlack, Inbound, LateAck, SlackState, User, deliver, post
from tests.fakeslack.conftest import ManualClock
from tests.fakeslack.helpers import BoltOverHttp, form, plain, section, text_input

SECRET = "ack-signing-secret"


class SlowApp:
    """A Bolt app whose listeners take ``work`` seconds (on the test's clock) before ack()."""

    def __init__(self, fake: FakeSlack, clock: ManualClock) -> None:
        self.work = 0.0
        app = App(client=fake.client(), signing_secret=SECRET, token_verification_enabled=False)

        @app.command("/find-mentor")
        def command(ack: Any) -> None:
            clock.advance(self.work)
            ack()

        @app.view("profile")
        def submitted(ack: Any) -> None:
            clock.advance(self.work)
            thanks = {"type": "modal", "title": plain("Thanks"), "blocks": [section("Saved")]}
            ack(response_action="update", view=thanks)

        self.http = BoltOverHttp(app)


@pytest.fixture
def app(fake: FakeSlack, clock: ManualClock) -> Iterator[SlowApp]:
    slow = SlowApp(fake, clock)
    yield slow
    slow.http.close()


def test_an_answer_within_three_seconds_passes_and_a_later_one_fails(
    fake: FakeSlack, clock: ManualClock, alice: User, app: SlowApp
) -> None:
    inbound = Inbound(SECRET, state=fake.state)
    app.work = 2.9
    status, _, _ = post(app.http.url, inbound.command(alice.id, "/find-mentor"), clock=clock)
    app.work = 3.1

    with pytest.raises(LateAck, match=r"after 3\.100 s"):
        post(app.http.url, inbound.command(alice.id, "/find-mentor"), clock=clock)
    assert status == 200


def test_a_submission_answered_late_is_lost(
    fake: FakeSlack, clock: ManualClock, alice: User, app: SlowApp
) -> None:
    inbound = Inbound(SECRET, state=fake.state)
    fake.client().views_open(
        trigger_id=fake.state.new_trigger_id(alice.id),
        view={**form(text_input("goal")), "callback_id": "profile"},
    )
    (shown,) = fake.state.views_for(alice.id)
    app.work = 3.5

    late = deliver(
        app.http.url, inbound.view_submission(alice.id, shown, {"goal": "x"}), clock=clock
    )
    with pytest.raises(LateAck):
        fake.state.apply_submission_ack(shown.id, late.body, elapsed=late.elapsed)

    assert late.late
    assert late.body  # the app did answer "update", only too late
    (still,) = fake.state.views_for(alice.id)
    assert still.definition["title"]["text"] == "Your profile"


def test_a_submission_answered_in_time_is_applied(
    fake: FakeSlack, clock: ManualClock, alice: User, app: SlowApp
) -> None:
    inbound = Inbound(SECRET, state=fake.state)
    fake.client().views_open(
        trigger_id=fake.state.new_trigger_id(alice.id),
        view={**form(text_input("goal")), "callback_id": "profile"},
    )
    (shown,) = fake.state.views_for(alice.id)
    app.work = 2.5

    got = deliver(
        app.http.url, inbound.view_submission(alice.id, shown, {"goal": "x"}), clock=clock
    )
    fake.state.apply_submission_ack(shown.id, got.body, elapsed=got.elapsed)

    (now,) = fake.state.views_for(alice.id)
    assert now.definition["title"]["text"] == "Thanks"


def test_the_time_limit_is_the_states_and_can_be_set(clock: ManualClock) -> None:
    state = SlackState(clock=clock, ack_timeout=0.5)

    with pytest.raises(LateAck):
        state.apply_submission_ack("V0ANY", "", elapsed=0.6)
