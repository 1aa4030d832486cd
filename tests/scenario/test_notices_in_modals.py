"""A notice answering a click inside a modal is pushed over it or takes its place, never opened.

Slack does not support a new root modal (views.open) over an open one; the strict fake refuses
it, so each test here failed while ``tell()`` answered with views.open. Failures answered by
the guard never re-use a trigger the listener already spent.
"""

from __future__ import annotations

from typing import Any

from blocks.ids import Action
from fakeslack import ServerError
from tests.scenario.admin_helpers import settings
from tests.scenario.harness import Harness, texts, view_json
from tests.scenario.test_journey import enroll_cast

NOTICE = "notice"


def stack(slack: Harness, user: str) -> list[dict[str, Any]]:
    return [view_json(v) for v in slack.state.views_for(user)]


def pushed_over(slack: Harness, user: str, under: dict[str, Any]) -> str:
    """The text of a notice pushed over ``under``, which is still there beneath it."""
    shown = stack(slack, user)
    assert [v["id"] for v in shown[:-1]] == [under["id"]]
    assert shown[-1]["callback_id"] == NOTICE
    return texts(shown[-1])


def test_a_refused_offer_is_pushed_over_the_mentees_browser(slack: Harness) -> None:
    enroll_cast(slack)
    settings(slack, mentor_offers_enabled=True)
    slack.command("UMAYA", "/find-mentor", "mentees")
    browse = slack.modal("UMAYA")
    settings(slack, mentor_offers_enabled=False)
    opened = len(slack.calls("views.open"))

    slack.click("UMAYA", Action.OFFER_MENTEE, value="UERIN", view=browse)

    assert "Offers from mentors are turned off" in pushed_over(slack, "UMAYA", browse)
    assert len(slack.calls("views.open")) == opened


def test_a_refused_meeting_request_is_pushed_over_the_search(slack: Harness) -> None:
    enroll_cast(slack)
    settings(slack, flash_mentoring_enabled=True)
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    settings(slack, flash_mentoring_enabled=False)

    slack.click("UERIN", Action.REQUEST_MEETING, value="UMAYA", view=search)

    assert "One-time meetings are turned off" in pushed_over(slack, "UERIN", search)


def test_a_refused_choice_in_admin_routed_mode_is_pushed_over_the_search(slack: Harness) -> None:
    enroll_cast(slack)
    settings(slack, matching_mode="admin_routed")
    slack.command("UMAYA", "/find-mentor")  # Maya mentors; she is no mentee
    search = slack.modal("UMAYA")

    slack.click("UMAYA", Action.REQUEST_MENTOR, value="UOMAR", view=search)

    assert "Add the mentee role to your profile" in pushed_over(slack, "UMAYA", search)


def test_a_profile_that_cannot_be_shown_is_said_over_the_search(slack: Harness) -> None:
    enroll_cast(slack)
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    nobody = {"action_id": Action.VIEW_PROFILE, "value": "USTRANGER"}

    slack.send(slack.inbound.block_actions("UERIN", [nobody], view=search))

    assert "hasn't joined the mentoring program" in pushed_over(slack, "UERIN", search)


def test_a_notice_from_a_pushed_view_takes_its_place(slack: Harness) -> None:
    # Slack stacks three views at most: from a pushed view the notice replaces it.
    enroll_cast(slack)
    settings(slack, flash_mentoring_enabled=True)
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    slack.click("UERIN", Action.VIEW_PROFILE, value="UMAYA", view=search)
    profile = slack.modal("UERIN")
    assert profile["previous_view_id"] == search["id"]
    settings(slack, flash_mentoring_enabled=False)
    pushes = len(slack.calls("views.push"))

    slack.click("UERIN", Action.REQUEST_MEETING, value="UMAYA", view=profile)

    shown = stack(slack, "UERIN")
    assert [v["id"] for v in shown] == [search["id"], profile["id"]]
    assert shown[-1]["callback_id"] == NOTICE
    assert "One-time meetings are turned off" in texts(shown[-1])
    assert len(slack.calls("views.push")) == pushes
    update = slack.calls("views.update")[-1]
    assert update.params["hash"] == profile["hash"]  # a newer change to the view would win


def test_a_failure_after_the_trigger_was_spent_apologises_in_the_modal(slack: Harness) -> None:
    enroll_cast(slack)
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    slack.state.inject("views.push", ServerError(500))
    slack.expected_failures = [("views.push", "internal_error")]

    slack.click("UERIN", Action.VIEW_PROFILE, value="UMAYA", view=search)

    # The push used the click's trigger: the apology takes the search's place instead of
    # trying that trigger again.
    shown = stack(slack, "UERIN")
    assert [v["id"] for v in shown] == [search["id"]]
    apology = texts(shown[0])
    assert "Sorry, something went wrong on our side." in apology and "error id:" in apology
    assert len(slack.calls("views.push")) == 1
    assert [c.params["trigger_id"] for c in slack.calls("views.open")].count(
        slack.calls("views.push")[0].params["trigger_id"]
    ) == 0


def test_a_failure_after_the_home_buttons_trigger_was_spent_apologises_by_dm(
    slack: Harness,
) -> None:
    enroll_cast(slack)
    home = slack.open_home("UERIN")
    slack.state.inject("views.update", ServerError(500))
    slack.expected_failures = [("views.update", "internal_error")]
    opened = len(slack.calls("views.open"))

    slack.click("UERIN", Action.OPEN_SEARCH, view=home)

    assert len(slack.calls("views.open")) == opened + 1  # the search opened: trigger spent
    apology = texts(slack.dm("UERIN")[-1]) or slack.dm("UERIN")[-1]["text"]
    assert apology.startswith("Sorry, something went wrong on our side.")
    assert "error id:" in apology
