"""The /mentor-admin requests dashboard, through the real app and the fake Slack."""

from __future__ import annotations

import json

from sqlalchemy import select

from blocks.ids import Action, Field, View
from store.enums import RequestStatus
from store.models import Event, Request
from tests.scenario.admin_helpers import buttons, choose, dashboard_ids, seed_pending, settings
from tests.scenario.harness import Harness, texts
from tests.scenario.test_journey import MESSAGE, enroll, enroll_cast, request_maya


def test_five_hundred_pending_requests_page_within_slacks_limits(slack: Harness) -> None:
    pending = seed_pending(slack, 500, others=True)

    slack.command("UADMIN", "/mentor-admin")
    view = slack.modal("UADMIN")
    shown = texts(view)
    assert view["callback_id"] == View.ADMIN_DASHBOARD
    assert (
        "*500* pending · *7* accepted · *5* declined · *3* expired · *2* closed by an admin · "
        "*4* withdrawn or cancelled" in shown
    )
    assert "Showing 1-20 of 500 pending requests, oldest first · page 1 of 25" in shown
    assert "*Mentee 000* → *Mentor 000*\nWaiting 25 days · 0 reminders" in shown

    seen: list[int] = []
    for number in range(1, 26):
        view = slack.modal("UADMIN")
        assert len(view["blocks"]) <= 100
        assert len(view["private_metadata"]) <= 3000
        assert json.loads(view["private_metadata"])["page"] == number
        seen += dashboard_ids(view)
        if number < 25:
            slack.click("UADMIN", Action.ADMIN_PAGE_NEXT, view=view)
    assert seen == pending  # every pending request exactly once, oldest first
    last = slack.modal("UADMIN")
    assert buttons(last, Action.ADMIN_PAGE_NEXT) == []
    assert "Showing 481-500 of 500" in texts(last)
    slack.click("UADMIN", Action.ADMIN_PAGE_BACK, view=last)
    assert "Showing 461-480 of 500" in texts(slack.modal("UADMIN"))

    choose(slack, "UADMIN", Action.ADMIN_ORDER, "newest")
    newest = slack.modal("UADMIN")
    assert newest["id"] == view["id"]  # updated in place
    assert "newest first · page 1 of 25" in texts(newest)  # a new order starts at page 1
    assert dashboard_ids(newest) == pending[::-1][:20]

    choose(slack, "UADMIN", Action.ADMIN_STATUS, "accepted")
    accepted = slack.modal("UADMIN")
    assert "Showing 1-7 of 7 accepted requests, newest first · page 1 of 1" in texts(accepted)
    assert texts(accepted).count("*Accepted* after 1 day") == 7
    assert buttons(accepted, Action.ADMIN_REMIND) == buttons(accepted, Action.ADMIN_CLOSE) == []

    choose(slack, "UADMIN", Action.ADMIN_STATUS, "withdrawn")
    taken_back = texts(slack.modal("UADMIN"))
    assert "*Withdrawn*" in taken_back and "*Cancelled*" in taken_back
    choose(slack, "UADMIN", Action.ADMIN_STATUS, "all")
    assert "Showing 1-20 of 521 requests, newest first · page 1 of 27" in texts(
        slack.modal("UADMIN")
    )


def test_the_home_button_opens_the_same_dashboard(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    home = slack.open_home("UADMIN")
    slack.click("UADMIN", Action.OPEN_ADMIN, view=home)
    view = slack.modal("UADMIN")
    assert view["callback_id"] == View.ADMIN_DASHBOARD
    assert "*Erin Walsh* → *Maya Chen*" in texts(view)
    assert "Showing 1-1 of 1 pending request, oldest first" in texts(view)


def test_remind_now_reaches_the_mentor_and_is_logged(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    slack.command("UADMIN", "/mentor-admin")
    dashboard = slack.modal("UADMIN")
    [rid] = dashboard_ids(dashboard)

    slack.click("UADMIN", Action.ADMIN_REMIND, value=str(rid), view=dashboard)

    reminder = slack.dm("UMAYA")[-1]
    assert len(slack.dm("UMAYA")) == 2
    assert "Reminder: Erin Walsh is waiting for your answer" in texts(reminder)
    assert buttons(reminder, Action.ACCEPT) == [str(rid)]
    updated = slack.modal("UADMIN")
    assert updated["id"] == dashboard["id"]
    assert ":bell: Reminded *Maya Chen* about Erin Walsh's request (reminder 1)." in texts(updated)
    assert "Waiting 1 minute · 1 reminder (last 1 minute ago)" in texts(updated)
    with slack.db.read() as s:
        request = s.get_one(Request, rid)
        event = s.scalars(select(Event).where(Event.action == "request.reminded")).one()
    assert (request.reminder_count, request.status) == (1, RequestStatus.PENDING)
    assert (event.actor, event.subject_id) == ("UADMIN", str(rid))


def test_close_with_a_reason_tells_the_mentee_and_updates_the_mentor_card(
    slack: Harness,
) -> None:
    enroll_cast(slack)
    settings(slack, terminology={"mentor": "guide", "mentee": "learner"})
    request_maya(slack)
    slack.command("UADMIN", "/mentor-admin")
    dashboard = slack.modal("UADMIN")
    [rid] = dashboard_ids(dashboard)

    slack.click("UADMIN", Action.ADMIN_CLOSE, value=str(rid), view=dashboard)
    form = slack.modal("UADMIN")
    assert form["callback_id"] == View.ADMIN_CLOSE
    assert "*Erin Walsh* to *Maya Chen*" in texts(form)
    assert "Reason (the learner reads it)" in texts(form)
    answer = slack.submit("UADMIN", form, {Field.REASON: "   "})
    assert answer == {
        "response_action": "errors",
        "errors": {Field.REASON: "Give a reason: the learner will see it."},
    }
    answer = slack.submit("UADMIN", form, {Field.REASON: "Maya is on leave until June <!here>"})

    assert answer == {}  # the reason modal closes; the dashboard below was redrawn
    back = slack.modal("UADMIN")
    assert back["id"] == dashboard["id"]
    assert ":lock: Closed the request from *Erin Walsh* to *Maya Chen*." in texts(back)
    assert "the learner sees your reason" in texts(back)
    assert "*0* pending" in texts(back) and "*1* closed by an admin" in texts(back)
    with slack.db.read() as s:
        request = s.get_one(Request, rid)
        event = s.scalars(select(Event).where(Event.action == "request.closed")).one()
    assert (request.status, request.close_reason, request.closed_by) == (
        RequestStatus.CLOSED_BY_ADMIN,
        "Maya is on leave until June <!here>",
        "UADMIN",
    )
    assert event.actor == "UADMIN"
    notice = texts(slack.dm("UERIN")[-1])
    assert "A program admin closed your request to *Maya Chen*." in notice
    assert "*Reason:* Maya is on leave until June &lt;!here&gt;" in notice
    card = slack.dm("UMAYA")[0]  # the request card, updated in place
    assert len(slack.dm("UMAYA")) == 1
    assert "Closed by a program admin: Maya is on leave until June &lt;!here&gt;" in texts(card)
    assert not [b for b in card["blocks"] if b["type"] == "actions"]


def test_stale_clicks_are_answered_politely_and_the_row_refreshed(slack: Harness) -> None:
    enroll_cast(slack)
    enroll(slack, "UFINN", {Field.ROLES: ["mentee"], Field.INTERESTS: ["data"]})
    request_maya(slack)
    slack.command("UFINN", "/find-mentor")
    slack.click("UFINN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UFINN"))
    slack.submit("UFINN", slack.modal("UFINN"), {Field.MESSAGE: MESSAGE})
    slack.command("UADMIN", "/mentor-admin")
    dashboard = slack.modal("UADMIN")
    to_maya, to_omar = dashboard_ids(dashboard)
    assert "*Finn &lt;!channel&gt; Ito* → *Omar Haddad*" in texts(dashboard)
    maya_card = slack.dm("UMAYA")[-1]
    slack.click("UMAYA", Action.ACCEPT, message=maya_card, channel=slack.state.dm_channel("UMAYA"))

    # The admin's dashboard still shows Maya's request as pending.
    slack.click("UADMIN", Action.ADMIN_CLOSE, value=str(to_maya), view=dashboard)
    assert len(slack.state.views_for("UADMIN")) == 1  # no reason modal for an answered request
    refreshed = slack.modal("UADMIN")
    assert (
        ":information_source: This request was already accepted. The list below is up to date."
        in texts(refreshed)
    )
    assert dashboard_ids(refreshed) == [to_omar] and "*1* accepted" in texts(refreshed)

    omar_card = slack.dm("UOMAR")[-1]
    slack.click("UOMAR", Action.DECLINE, message=omar_card, channel=slack.state.dm_channel("UOMAR"))
    slack.submit("UOMAR", slack.modal("UOMAR"), {Field.REASON: "I don't have time right now"})
    slack.click("UADMIN", Action.ADMIN_REMIND, value=str(to_omar), view=refreshed)
    after_remind = texts(slack.modal("UADMIN"))
    assert "This request was already declined. The list below is up to date." in after_remind
    assert "No pending requests." in after_remind and "*1* declined" in after_remind
    assert len(slack.dm("UOMAR")) == 1  # no reminder
    with slack.db.read() as s:
        assert s.get_one(Request, to_omar).reminder_count == 0


def test_a_request_answered_while_the_reason_is_typed_is_not_closed(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    slack.command("UADMIN", "/mentor-admin")
    dashboard = slack.modal("UADMIN")
    [rid] = dashboard_ids(dashboard)
    slack.click("UADMIN", Action.ADMIN_CLOSE, value=str(rid), view=dashboard)
    form = slack.modal("UADMIN")
    slack.click("UERIN", Action.WITHDRAW, view=slack.open_home("UERIN"))

    answer = slack.submit("UADMIN", form, {Field.REASON: "Maya asked me to"})

    # The form closes (rights are confirmed after the answer); the dashboard says why nothing
    # was closed.
    assert answer == {}
    [below] = [v.to_api() for v in slack.state.views_for("UADMIN")]
    assert below["id"] == dashboard["id"]
    assert "This request was already withdrawn." in texts(below)
    assert "*1* withdrawn or cancelled" in texts(below)
    with slack.db.read() as s:
        request = s.get_one(Request, rid)
    assert (request.status, request.close_reason) == (RequestStatus.WITHDRAWN, None)
    assert "Maya asked me to" not in json.dumps(slack.dm("UERIN") + slack.dm("UMAYA"))
