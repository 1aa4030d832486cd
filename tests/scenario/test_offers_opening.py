"""``/find-mentor mentees`` opens its modal at once, then fills in the mentees still looking."""

from __future__ import annotations

import threading

from blocks.ids import Action, Field
from fakeslack import Hold, post
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
    # The first browse's mentees are held by Slack until the test lets them go; meanwhile Maya
    # picks the Sales area, whose result Slack applies first (held only to know it landed).
    first_mentees = Hold()
    slack.state.inject("views.update", first_mentees)
    slack.expected_failures = [("views.update", "hash_conflict")]
    command = slack.inbound.command("UMAYA", "/find-mentor", "mentees")
    sender = threading.Thread(target=post, args=(slack.url + "/slack/events", command))
    sender.start()
    first_mentees.wait_arrived()  # the browse is open, its mentees on their way
    assert FINDING in texts(view_json(slack.state.views_for("UMAYA")[-1]))

    picked_area = Hold(applied=True)
    slack.state.inject("views.update", picked_area)
    area_change = slack.inbound.block_actions(
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
    post(slack.url + "/slack/events", area_change)  # acked in time, listener still running
    picked_area.wait_arrived()  # the Sales result is on screen
    picked_area.release()
    first_mentees.release()  # now the stale mentees reach Slack
    sender.join()
    assert not slack.executor.wait_idle()

    shown = view_json(slack.state.views_for("UMAYA")[-1])
    assert "No mentees are looking" in texts(shown) and "Erin Walsh" not in texts(shown)
    # The Sales result was applied, the stale first mentees refused (in whichever order the two
    # answers were recorded).
    updates = {c.error: texts(c.params["view"]) for c in slack.calls("views.update")}
    assert updates.keys() == {None, "hash_conflict"}
    assert "No mentees are looking" in updates[None]
    assert "Erin Walsh" in updates["hash_conflict"]


def test_someone_who_cannot_offer_is_told_before_anything_opens(slack: Harness) -> None:
    enroll_cast(slack)
    slack.command("UMAYA", "/find-mentor", "mentees")
    configure(slack, mentor_offers_enabled=True)
    slack.command("UERIN", "/find-mentor", "mentees")
    assert slack.told("UMAYA") == ["Offers from mentors are turned off in this program."]
    assert slack.told("UERIN") == ["Add the mentor role to your profile to offer mentoring."]
    opened = [c.params["view"]["callback_id"] for c in slack.calls("views.open")]
    assert "offers" not in opened


def test_paging_forward_and_back_through_the_mentees_still_looking(slack: Harness) -> None:
    from tests import factories as f

    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    for n in range(11):  # 12 mentees in all: pages of 8
        f.mentee(slack.db, f"UE{n:02d}", display_name=f"Mentee {n:02d}")
    slack.command("UMAYA", "/find-mentor", "mentees")
    first = slack.modal("UMAYA")
    assert "Showing 1-8 of 12 mentees still looking" in texts(first)
    assert "Mentee 06" in texts(first) and "Mentee 07" not in texts(first)

    slack.click("UMAYA", Action.OFFERS_PAGE, value="2", view=first)
    second = slack.modal("UMAYA")
    assert second["id"] == first["id"]  # the same modal, updated in place
    assert "Showing 9-12 of 12 mentees still looking" in texts(second)
    assert "Mentee 07" in texts(second) and "Mentee 06" not in texts(second)
    pager = [b for b in second["blocks"] if b["type"] == "actions"][-1]
    assert [(e["action_id"], e["value"]) for e in pager["elements"]] == [(Action.OFFERS_PAGE, "1")]

    slack.click("UMAYA", Action.OFFERS_PAGE, value="1", view=second)
    assert "Showing 1-8 of 12 mentees still looking" in texts(slack.modal("UMAYA"))
