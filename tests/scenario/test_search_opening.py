"""``/find-mentor`` opens its modal at once, then fills in the results."""

from __future__ import annotations

import threading

import pytest

from blocks.ids import Action, Field
from fakeslack import Hold, post
from tests.scenario.harness import Harness, find_action, texts, view_json
from tests.scenario.test_journey import enroll_cast

FINDING = "Finding the best mentors for you"


def test_modal_opens_with_filters_then_the_results_replace_the_finding_line(
    slack: Harness,
) -> None:
    enroll_cast(slack)
    slack.command("UERIN", "/find-mentor", "leadership")

    opened = slack.calls("views.open")[-1]
    first = opened.params["view"]
    assert FINDING in texts(first)
    assert "Maya Chen" not in texts(first)
    keywords = next(b for b in first["blocks"] if b.get("block_id") == Field.KEYWORDS)
    assert keywords["element"]["initial_value"] == "leadership"

    update = slack.calls("views.update")[-1]
    assert update.params["hash"]  # guarded: a newer filter change would win
    shown = slack.modal("UERIN")
    assert shown["id"] == update.params["view_id"]
    assert FINDING not in texts(shown)
    assert "Maya Chen" in texts(shown) and "% match" in texts(shown)


def test_a_filter_changed_before_the_results_arrive_wins(slack: Harness) -> None:
    enroll_cast(slack)
    # The first search's results are held by Slack until the test lets them go; meanwhile Erin
    # picks the Data area, whose results Slack applies first (held only to know they landed).
    first_results = Hold()
    slack.state.inject("views.update", first_results)
    slack.expected_failures = [("views.update", "hash_conflict")]
    command = slack.inbound.command("UERIN", "/find-mentor", "")
    sender = threading.Thread(target=post, args=(slack.url + "/slack/events", command))
    sender.start()
    first_results.wait_arrived()  # the modal is open, its results on their way
    assert FINDING in texts(view_json(slack.state.views_for("UERIN")[-1]))

    filtered_results = Hold(applied=True)
    slack.state.inject("views.update", filtered_results)
    filter_change = slack.inbound.block_actions(
        "UERIN",
        [{"action_id": Action.SEARCH_FILTER, "block_id": Field.FUNCTIONAL_AREA}],
        view=slack.state.views_for("UERIN")[-1],
        values={Field.FUNCTIONAL_AREA: {Action.SEARCH_FILTER: "Data"}},
    )
    post(slack.url + "/slack/events", filter_change)  # acked in time, listener still running
    filtered_results.wait_arrived()  # the Data results are on screen
    filtered_results.release()
    first_results.release()  # now the stale results reach Slack
    sender.join()
    assert not slack.executor.wait_idle()

    shown = view_json(slack.state.views_for("UERIN")[-1])
    assert "Omar Haddad" in texts(shown) and "Maya Chen" not in texts(shown)
    # The Data results were applied, the stale first results refused (in whichever order the
    # two answers were recorded).
    updates = {c.error: texts(c.params["view"]) for c in slack.calls("views.update")}
    assert updates.keys() == {None, "hash_conflict"}
    assert "Omar Haddad" in updates[None] and "Maya Chen" not in updates[None]
    assert "Maya Chen" in updates["hash_conflict"]


def test_paging_forward_and_back_through_the_directory(slack: Harness) -> None:
    from tests import factories as f

    enroll_cast(slack)
    for n in range(20):  # 22 mentors in all: three pages of 8
        f.mentor(slack.db, f"UM{n:02d}", display_name=f"Mentor {n:02d}")
    slack.command("UERIN", "/find-mentor")
    assert "Showing 1-8 of 22 mentors" in texts(slack.modal("UERIN"))

    slack.click("UERIN", Action.SEARCH_PAGE_NEXT, view=slack.modal("UERIN"))
    middle = slack.modal("UERIN")
    assert "Showing 9-16 of 22 mentors" in texts(middle)
    pager = [b for b in middle["blocks"] if b["type"] == "actions"][-1]
    assert [e["action_id"] for e in pager["elements"]] == [
        Action.SEARCH_PAGE_BACK,
        Action.SEARCH_PAGE_NEXT,
    ]

    slack.click("UERIN", Action.SEARCH_PAGE_NEXT, view=middle)
    last = slack.modal("UERIN")
    assert "Showing 17-22 of 22 mentors" in texts(last)
    slack.click("UERIN", Action.SEARCH_PAGE_BACK, view=last)
    assert "Showing 9-16 of 22 mentors" in texts(slack.modal("UERIN"))


def test_a_search_that_fails_says_so_in_the_modal_instead_of_finding_for_ever(
    slack: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import handlers.directory

    enroll_cast(slack)

    def broken(**_kw: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(handlers.directory, "search_mentors", broken)
    slack.command("UERIN", "/find-mentor")

    shown = texts(slack.modal("UERIN"))
    assert FINDING not in shown
    assert "Sorry, something went wrong on our side" in shown and "error id:" in shown
    error_id = shown.split("error id: ")[1][:8]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_the_search_button_applies_every_filter_at_once_and_keeps_the_modal_open(
    slack: Harness,
) -> None:
    enroll_cast(slack)
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    assert "Maya Chen" in texts(search) and "Omar Haddad" in texts(search)

    answer = slack.submit("UERIN", search, {Field.KEYWORDS: {Action.SEARCH_FILTER: "python"}})
    assert answer["response_action"] == "update"
    shown = slack.modal("UERIN")
    assert shown["id"] == search["id"]  # still open, the same modal
    assert "Omar Haddad" in texts(shown) and "Maya Chen" not in texts(shown)
    keywords = next(b for b in shown["blocks"] if b.get("block_id") == Field.KEYWORDS)
    assert keywords["element"]["initial_value"] == "python"


def test_message_is_a_link_into_the_dm_that_the_app_only_acknowledges(slack: Harness) -> None:
    enroll_cast(slack)
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    message = find_action(search, Action.MESSAGE_MENTOR, "UMAYA")
    assert message["url"] == "slack://user?team=T0TEST&id=UMAYA"  # Slack opens the DM itself
    before = len(slack.state.calls())

    assert slack.click("UERIN", Action.MESSAGE_MENTOR, value="UMAYA", view=search) == (200, "")
    assert slack.state.calls()[before:] == []  # acknowledged, nothing else done
    assert slack.told("UERIN") == []
    after = slack.modal("UERIN")
    assert (after["id"], after["hash"], after["blocks"]) == (
        search["id"],
        search["hash"],
        search["blocks"],
    )
