"""Slack checks an app's answer to a view_submission; one it refuses fails the test."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient

from fakeslack import AnswerRefused, FakeSlack, User, ViewRecord
from tests.fakeslack.helpers import form, modal, section, text_input


@pytest.fixture
def shown(fake: FakeSlack, client: WebClient, alice: User) -> ViewRecord:
    profile = form(text_input("bio"), section("Tell mentors about you"), text_input("languages"))
    profile["blocks"][1]["block_id"] = "intro"
    client.views_open(trigger_id=fake.state.new_trigger_id(alice.id), view=profile)
    (record,) = fake.state.views_for(alice.id)
    return record


def answer(**body: Any) -> str:
    return json.dumps(body)


def test_errors_for_input_blocks_keep_the_modal_open(
    fake: FakeSlack, alice: User, shown: ViewRecord
) -> None:
    fake.state.apply_submission_ack(
        shown.id, answer(response_action="errors", errors={"languages": "Too long"})
    )

    assert [v.id for v in fake.state.views_for(alice.id)] == [shown.id]


@pytest.mark.parametrize(
    ("errors", "why"),
    [
        ({"intro": "Not an input"}, "not input blocks"),
        ({"nowhere": "Unknown block"}, "not input blocks"),
        ({}, "needs an object"),
        ({"bio": ""}, "no message"),
    ],
)
def test_errors_not_keyed_by_the_views_input_blocks_are_refused(
    fake: FakeSlack, shown: ViewRecord, errors: dict[str, str], why: str
) -> None:
    with pytest.raises(AnswerRefused, match=why):
        fake.state.apply_submission_ack(shown.id, answer(response_action="errors", errors=errors))


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (answer(response_action="close"), "unknown response_action"),
        ("thanks!", "must be empty or JSON"),
        (answer(response_action="update", view={"type": "modal", "blocks": []}), "refuses"),
        (answer(response_action="push", view=modal("A title far too long to show")), "refuses"),
    ],
)
def test_other_answers_slack_refuses_fail_and_change_nothing(
    fake: FakeSlack, alice: User, shown: ViewRecord, body: str, why: str
) -> None:
    with pytest.raises(AnswerRefused, match=why):
        fake.state.apply_submission_ack(shown.id, body)

    assert [v.id for v in fake.state.views_for(alice.id)] == [shown.id]
    assert shown.definition["title"]["text"] == "Your profile"


def test_an_empty_answer_closes_the_submitted_view(
    fake: FakeSlack, alice: User, shown: ViewRecord
) -> None:
    fake.state.apply_submission_ack(shown.id, "")

    assert fake.state.views_for(alice.id) == []
    assert shown.closed
