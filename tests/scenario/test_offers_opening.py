"""``/find-mentor mentees`` opens its modal at once, then fills in the mentees still looking."""

from __future__ import annotations

import threading
import time

from blocks.ids import Action, Field
from fakeslack import Delay, post
from tests.scenario.harness import Harness, texts, view_json
from tests.scenario.test_admin_matching import configure
from tests.scenario.test_journey import enroll_cast

FINDING = "Finding the mentees still looking for a mentor"


def test_the_browse_opens_with_the_filter_then_the_mentees_replace_the_finding_line(
    slack: Harness,
) -> None:
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    for open_browse in (
        lambda: slack.command("UMAYA", "/find-mentor", "mentees"),
        lambda: slack.click("UMAYA", Action.OPEN_OFFERS, view=slack.open_home("UMAYA")),
    ):
        open_browse()
        first = slack.calls("views.open")[-1].params["view"]
        assert FINDING in texts(first) and "Erin Walsh" not in texts(first)
        assert first["blocks"][0]["block_id"] == Field.FUNCTIONAL_AREA

        update = slack.calls("views.update")[-1]
        assert update.params["hash"]  # guarded: an area picked meanwhile would win
        shown = slack.modal("UMAYA")
        assert shown["id"] == update.params["view_id"]
        assert FINDING not in texts(shown)
        assert "Erin Walsh" in texts(shown) and "% match" in texts(shown)


def test_an_area_picked_before_the_mentees_arrive_wins(slack: Harness) -> None:
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    # The first browse reaches Slack late; meanwhile Maya picks the Sales area.
    slack.state.inject("views.update", Delay(0.6))
    slack.expected_failures = [("views.update", "hash_conflict")]
    opened_before = len(slack.calls("views.open"))
    command = slack.inbound.command("UMAYA", "/find-mentor", "mentees")
    sender = threading.Thread(target=post, args=(slack.url + "/slack/events", command))
    sender.start()
    deadline = time.monotonic() + 5
    while len(slack.calls("views.open")) == opened_before:
        assert time.monotonic() < deadline, "the browse never opened"
        time.sleep(0.01)
    assert FINDING in texts(view_json(slack.state.views_for("UMAYA")[-1]))
    slack.send(
        slack.inbound.block_actions(
            "UMAYA",
            [
                {
                    "action_id": Action.OFFERS_FILTER,
                    "block_id": Field.FUNCTIONAL_AREA,
                    "selected": "Sales",
                }
            ],
            view=slack.state.views_for("UMAYA")[-1],
        )
    )
    sender.join()
    slack.executor.wait_idle()

    shown = view_json(slack.state.views_for("UMAYA")[-1])
    assert "No mentees are looking" in texts(shown) and "Erin Walsh" not in texts(shown)
    assert [c.error for c in slack.calls("views.update")] == [None, "hash_conflict"]


def test_someone_who_cannot_offer_is_told_before_anything_opens(slack: Harness) -> None:
    enroll_cast(slack)
    slack.command("UMAYA", "/find-mentor", "mentees")
    configure(slack, mentor_offers_enabled=True)
    slack.command("UERIN", "/find-mentor", "mentees")
    assert slack.told("UMAYA") == ["Offers from mentors are turned off in this program."]
    assert slack.told("UERIN") == ["Add the mentor role to your profile to offer mentoring."]
    opened = [c.params["view"]["callback_id"] for c in slack.calls("views.open")]
    assert "offers" not in opened
