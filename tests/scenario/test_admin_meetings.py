"""Meeting requests on the /mentor-admin dashboard, through the real app and the fake Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from blocks.ids import Action, Field, View
from store.enums import OutboxStatus, RequestStatus
from store.models import Event, MeetingRequest, OutboxMessage
from tests.rows import add_failed_notice, add_request
from tests.scenario.admin_helpers import (
    MEETING_OUTCOMES,
    buttons,
    choose,
    dashboard_ids,
    meeting_ids,
    seed_meetings,
    settings,
)
from tests.scenario.harness import Harness, texts
from tests.scenario.test_meetings import TOPIC, card_of, cast, request_meeting, the_meeting
from tests.scenario.test_reminders import tick
from tests.snapshot import snapshot


def date_text(moment: datetime, fallback: str) -> str:
    """How a time reads in a dashboard row: in each admin's own timezone, UTC where Slack can't."""
    return f"<!date^{int(moment.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>"


def meetings_dashboard(slack: Harness, admin: str = "UADMIN") -> dict[str, Any]:
    """Open /mentor-admin and switch it to meeting requests."""
    slack.command(admin, "/mentor-admin")
    choose(slack, admin, Action.ADMIN_KIND, "meetings")
    return slack.modal(admin)


def kind_select(view: dict[str, Any]) -> dict[str, Any] | None:
    return next(
        (
            e
            for b in view["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == Action.ADMIN_KIND
        ),
        None,
    )


def test_five_hundred_pending_meeting_requests_page_within_slacks_limits(slack: Harness) -> None:
    pending = seed_meetings(slack, 500, others=True)
    with slack.db.write() as s:
        first = s.get_one(MeetingRequest, pending[0])
        request = add_request(
            s, first.mentee_id, first.mentor_id, slack.clock.now - timedelta(days=1)
        )
        add_failed_notice(s, slack.clock.now, meeting_id=pending[0])
        add_failed_notice(s, slack.clock.now, meeting_id=pending[0])
        add_failed_notice(s, slack.clock.now, request_id=request.id)

    # Flash mentoring is off, but there are meeting requests: the dashboard offers them.
    slack.command("UADMIN", "/mentor-admin")
    requests = slack.modal("UADMIN")
    select_ = kind_select(requests)
    assert select_ is not None
    assert [o["text"]["text"] for o in select_["options"]] == [
        "Mentoring requests (1 pending)",
        "Meeting requests (500 pending)",
    ]
    assert select_["initial_option"]["value"] == "requests"
    assert "1 notification about requests could not be delivered" in texts(requests)

    choose(slack, "UADMIN", Action.ADMIN_KIND, "meetings")
    view = slack.modal("UADMIN")
    assert view["id"] == requests["id"]  # redrawn in place
    shown = texts(view)
    chosen = kind_select(view)
    assert chosen is not None and chosen["initial_option"]["value"] == "meetings"
    assert (
        "*500* pending · *3* accepted · *2* declined · *1* expired · *1* closed by an admin · "
        "*2* withdrawn or cancelled" in shown
    )
    assert "2 notifications about meeting requests could not be delivered (flagged below)" in shown
    assert "Showing 1-20 of 500 pending meeting requests, oldest first · page 1 of 25" in shown
    now = slack.clock.now
    first_time, ahead = now - timedelta(hours=1), now + timedelta(days=2)
    assert (
        "*Mentee 000* → *Mentor 000* · _one-time meeting, 30 min_\n*Topic:* Topic 000\n"
        f"*Proposed:* {date_text(first_time, 'Mon 2 Mar 2026, 08:00 UTC')} _(passed)_ · "
        f"{date_text(ahead, 'Wed 4 Mar 2026, 09:00 UTC')}\n"
        "Waiting 25 days · 0 reminders\n>Could you help me grow as an engineer?\n"
        ":warning: 2 notifications about this meeting request could not be delivered"
    ) in shown
    # The second has no time left to accept: it can be closed, but there is nothing to remind.
    assert buttons(view, Action.ADMIN_MEETING_CLOSE)[:2] == [str(pending[0]), str(pending[1])]
    assert str(pending[1]) not in buttons(view, Action.ADMIN_MEETING_REMIND)
    assert len(buttons(view, Action.ADMIN_MEETING_REMIND)) == 19
    assert dashboard_ids(view) == []  # no mentoring request buttons on a meetings page

    seen: list[int] = []
    for number in range(1, 26):
        view = slack.modal("UADMIN")
        assert len(view["blocks"]) <= 100
        assert len(view["private_metadata"]) <= 3000
        assert json.loads(view["private_metadata"]) == {
            "kind": "meetings",
            "status": "pending",
            "order": "oldest",
            "page": number,
        }
        assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in view["blocks"])
        seen += meeting_ids(view)
        if number < 25:
            slack.click("UADMIN", Action.ADMIN_PAGE_NEXT, view=view)
    assert seen == pending  # every pending meeting request exactly once, oldest first
    last = slack.modal("UADMIN")
    assert buttons(last, Action.ADMIN_PAGE_NEXT) == []
    assert "Showing 481-500 of 500" in texts(last)

    choose(slack, "UADMIN", Action.ADMIN_ORDER, "newest")
    newest = slack.modal("UADMIN")
    assert "newest first · page 1 of 25" in texts(newest)
    assert meeting_ids(newest) == pending[::-1][:20]

    choose(slack, "UADMIN", Action.ADMIN_STATUS, "accepted")
    accepted = slack.modal("UADMIN")
    shown = texts(accepted)
    assert "Showing 1-3 of 3 accepted meeting requests, newest first · page 1 of 1" in shown
    assert shown.count("*Accepted* after 1 day") == 3
    assert shown.count("*Meeting:* <!date^") == 3 and "*Proposed:*" not in shown
    assert buttons(accepted, Action.ADMIN_MEETING_REMIND) == []
    assert buttons(accepted, Action.ADMIN_MEETING_CLOSE) == []

    choose(slack, "UADMIN", Action.ADMIN_STATUS, "expired")
    assert "*Expired (every proposed time passed)* after 1 day" in texts(slack.modal("UADMIN"))
    choose(slack, "UADMIN", Action.ADMIN_STATUS, "all")
    assert "Showing 1-20 of 509 meeting requests, newest first · page 1 of 26" in texts(
        slack.modal("UADMIN")
    )
    assert 500 + len(MEETING_OUTCOMES) == 509

    # Back to mentoring requests: the same filter and order, from the first page.
    choose(slack, "UADMIN", Action.ADMIN_KIND, "requests")
    back = slack.modal("UADMIN")
    assert "Showing 1-1 of 1 request, newest first · page 1 of 1" in texts(back)
    assert meeting_ids(back) == [] and dashboard_ids(back) == [request.id]


def test_no_kind_to_pick_until_the_program_has_meetings(slack: Harness) -> None:
    cast(slack, meetings=False)
    slack.command("UADMIN", "/mentor-admin")
    assert kind_select(slack.modal("UADMIN")) is None
    settings(slack, flash_mentoring_enabled=True)
    slack.command("UADMIN", "/mentor-admin")
    offered = kind_select(slack.modal("UADMIN"))
    assert offered is not None and offered["options"][1]["text"]["text"] == (
        "Meeting requests (0 pending)"
    )
    choose(slack, "UADMIN", Action.ADMIN_KIND, "meetings")
    assert "No pending meeting requests." in texts(slack.modal("UADMIN"))


def test_remind_now_reaches_the_mentor_at_once_even_at_night(slack: Harness) -> None:
    cast(slack)
    request_meeting(slack)  # Finn (Tokyo) asks Maya (London) on Monday 09:00 UTC
    meeting = the_meeting(slack)
    # 22:30 in London: a sweep's reminder would wait for Maya's working hours; an admin's
    # Remind now goes at once.
    slack.clock.now = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)
    dashboard = meetings_dashboard(slack)
    assert meeting_ids(dashboard) == [meeting.id]

    slack.click("UADMIN", Action.ADMIN_MEETING_REMIND, value=str(meeting.id), view=dashboard)

    assert len(slack.dm("UMAYA")) == 2
    reminder = slack.dm("UMAYA")[-1]
    assert "Reminder: Finn <!channel> Ito is waiting for your answer" in texts(reminder)
    accept_buttons = [
        b["accessory"]["value"]
        for b in reminder["blocks"]
        if b.get("accessory", {}).get("action_id") == Action.MEETING_ACCEPT
    ]
    assert accept_buttons == [f"{meeting.id}:0", f"{meeting.id}:1", f"{meeting.id}:2"]
    updated = slack.modal("UADMIN")
    assert updated["id"] == dashboard["id"]
    shown = texts(updated)
    assert (
        ":bell: Reminded *Maya Chen* about Finn &lt;!channel&gt; Ito's meeting request "
        "(reminder 1)."
    ) in shown
    assert "Waiting 13 hours · 1 reminder (last 1 minute ago)" in shown
    with slack.db.read() as s:
        stored = s.get_one(MeetingRequest, meeting.id)
        event = s.scalars(select(Event).where(Event.action == "meeting.reminded")).one()
        sent = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "meeting.reminder")
        ).one()
    assert (stored.reminder_count, stored.last_reminded_at) == (1, slack.clock.now)
    assert (event.actor, event.subject_id) == ("UADMIN", str(meeting.id))
    assert (sent.dedupe_key, sent.status) == (f"meeting-reminder:{meeting.id}:1", OutboxStatus.SENT)


def test_close_with_a_reason_tells_the_mentee_and_updates_the_mentor_card(
    slack: Harness,
) -> None:
    cast(slack)
    settings(slack, terminology={"mentor": "guide", "mentee": "learner"})
    request_meeting(slack)
    meeting = the_meeting(slack)
    card = card_of(slack)
    dashboard = meetings_dashboard(slack)

    slack.click("UADMIN", Action.ADMIN_MEETING_CLOSE, value=str(meeting.id), view=dashboard)
    form = slack.modal("UADMIN")
    assert form["callback_id"] == View.ADMIN_CLOSE_MEETING
    shown = texts(form)
    assert "Close the meeting request from *Finn &lt;!channel&gt; Ito* to *Maya Chen*?" in shown
    assert f"*Topic:* {TOPIC}" in shown and "Reason (the learner reads it)" in shown
    assert "the guide can no longer accept a time" in shown
    answer = slack.submit("UADMIN", form, {Field.REASON: "   "})
    assert answer == {
        "response_action": "errors",
        "errors": {Field.REASON: "Give a reason: the learner will see it."},
    }
    assert the_meeting(slack).status is RequestStatus.PENDING

    answer = slack.submit("UADMIN", form, {Field.REASON: "Maya is travelling that week <!here>"})

    assert answer == {}  # the reason modal closes; the dashboard below was redrawn
    back = slack.modal("UADMIN")
    assert back["id"] == dashboard["id"]
    shown = texts(back)
    assert (
        ":lock: Closed the meeting request from *Finn &lt;!channel&gt; Ito* to *Maya Chen*. "
        "Both were told; the learner sees your reason."
    ) in shown
    assert "*0* pending" in shown and "*1* closed by an admin" in shown
    stored = the_meeting(slack)
    assert (stored.status, stored.close_reason, stored.closed_by) == (
        RequestStatus.CLOSED_BY_ADMIN,
        "Maya is travelling that week <!here>",
        "UADMIN",
    )
    with slack.db.read() as s:
        event = s.scalars(select(Event).where(Event.action == "meeting.closed")).one()
    assert (event.actor, event.after["reason"]) == ("UADMIN", stored.close_reason)

    told = slack.dm("UFINN")[-1]
    assert (
        f"A program admin closed your meeting request to *Maya Chen* about _{TOPIC}_.\n"
        "*Reason:* Maya is travelling that week &lt;!here&gt;"
    ) in texts(told)
    assert "ask another guide for a meeting" in texts(told)
    assert told["text"] == "A program admin closed your meeting request to Maya Chen."
    # Maya's card changed in place: the reason, and no time left to accept.
    assert len(slack.dm("UMAYA")) == 1
    closed = card_of(slack)
    assert closed["ts"] == card["ts"]
    assert "Closed by a program admin: Maya is travelling that week &lt;!here&gt;" in texts(closed)
    assert not [b for b in closed["blocks"] if b["type"] == "actions"]
    assert Action.MEETING_ACCEPT not in json.dumps(closed["blocks"])
    # An Accept on the old copy is answered politely and changes nothing.
    before = snapshot(slack.db)
    slack.click(
        "UMAYA",
        Action.MEETING_ACCEPT,
        value=f"{meeting.id}:0",
        message=card,
        channel=slack.state.dm_channel("UMAYA"),
    )
    assert slack.told("UMAYA") == ["This meeting request was already closed by a program admin."]
    assert snapshot(slack.db) == before


def test_stale_clicks_are_answered_politely_and_the_rows_refreshed(slack: Harness) -> None:
    cast(slack)
    request_meeting(slack, mentee="UFINN")
    request_meeting(slack, mentee="UERIN")
    dashboard = meetings_dashboard(slack)
    finns, erins = meeting_ids(dashboard)
    maya_card = slack.dm("UMAYA")[0]
    slack.click(
        "UMAYA",
        Action.MEETING_ACCEPT,
        value=f"{finns}:1",
        message=maya_card,
        channel=slack.state.dm_channel("UMAYA"),
    )

    slack.click("UADMIN", Action.ADMIN_MEETING_CLOSE, value=str(finns), view=dashboard)
    assert len(slack.state.views_for("UADMIN")) == 1  # no reason form for an answered request
    refreshed = slack.modal("UADMIN")
    assert (
        ":information_source: This meeting request was already accepted. "
        "The list below is up to date."
    ) in texts(refreshed)
    assert meeting_ids(refreshed) == [erins] and "*1* accepted" in texts(refreshed)

    slack.click("UERIN", Action.MEETING_WITHDRAW, view=slack.open_home("UERIN"))
    before = len(slack.dm("UMAYA"))
    slack.click("UADMIN", Action.ADMIN_MEETING_REMIND, value=str(erins), view=refreshed)
    after = texts(slack.modal("UADMIN"))
    assert "This meeting request was already withdrawn. The list below is up to date." in after
    assert "No pending meeting requests." in after
    assert len(slack.dm("UMAYA")) == before  # no reminder
    with slack.db.read() as s:
        assert s.get_one(MeetingRequest, erins).reminder_count == 0


def test_a_meeting_request_answered_while_the_reason_is_typed_is_not_closed(
    slack: Harness,
) -> None:
    cast(slack)
    request_meeting(slack)
    meeting = the_meeting(slack)
    dashboard = meetings_dashboard(slack)
    slack.click("UADMIN", Action.ADMIN_MEETING_CLOSE, value=str(meeting.id), view=dashboard)
    form = slack.modal("UADMIN")
    # Every proposed time passes and the sweep closes the request meanwhile.
    slack.clock.now = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
    tick(slack, minutes=1)

    answer = slack.submit("UADMIN", form, {Field.REASON: "Maya asked me to"})

    assert answer == {}  # the form closes; the dashboard says why nothing was closed
    stale = "This meeting request was already closed because every proposed time has passed."
    [below] = [v.to_api() for v in slack.state.views_for("UADMIN")]
    assert below["id"] == dashboard["id"]
    assert stale in texts(below) and "*1* expired" in texts(below)
    stored = the_meeting(slack)
    assert (stored.status, stored.close_reason) == (RequestStatus.EXPIRED, None)
    assert "Maya asked me to" not in json.dumps(slack.dm("UFINN") + slack.dm("UMAYA"))
