"""Browsing from one profile to the next never runs into Slack's limit of stacked modals."""

from __future__ import annotations

from blocks.ids import Action, Field
from tests.scenario.harness import Harness, texts
from tests.scenario.test_meetings import MESSAGE, cast


def test_a_profile_opened_from_a_profile_replaces_it(slack: Harness) -> None:
    cast(slack)
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))
    slack.submit("UERIN", slack.modal("UERIN"), {Field.MESSAGE: MESSAGE})
    card = slack.dm("UMAYA")[-1]
    slack.click("UMAYA", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UMAYA"))

    slack.command("UFINN", "/find-mentor")
    search = slack.modal("UFINN")
    slack.click("UFINN", Action.VIEW_PROFILE, value="UMAYA", view=search)
    for person, name in [("UERIN", "Erin Walsh"), ("UMAYA", "Maya Chen")] * 2:
        slack.click("UFINN", Action.VIEW_PROFILE, value=person, view=slack.modal("UFINN"))
        stack = slack.state.views_for("UFINN")
        assert len(stack) == 2 and stack[0].id == search["id"]
        assert name in texts(slack.modal("UFINN")["blocks"][0])  # the profile's header
