"""Requests, offers and admin-routed submissions side by side on the admin side, in Slack.

A submission of ranked preferences is one thing for an admin to decide in the matching queue:
the dashboard, Home, the digest and escalations count it once and point into the queue, never
offering Remind now or Close on a preference; the program admins are told when one arrives.
"""

from __future__ import annotations

from typing import Any

from blocks.ids import Action, Field, View
from fakeslack import SlackError
from tests.scenario.admin_helpers import REFUSAL, dashboard_ids
from tests.scenario.harness import Harness, texts
from tests.scenario.test_admin_matching import (
    buttons,
    configure,
    enroll_priya,
    preference_ids,
    submit_preferences,
)
from tests.scenario.test_journey import enroll, enroll_cast, request_maya
from tests.scenario.test_offers import send_offer
from tests.scenario.test_reminders import tick

WISH = "I'd like to grow into a tech lead role and learn to run design reviews."


def erin_chooses_omar_then_priya(slack: Harness) -> None:
    """Erin (who has Maya's offer waiting) ranks Omar first and Priya second."""
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UERIN"))
    form = slack.modal("UERIN")
    answer = slack.submit("UERIN", form, {Field.PREFERENCE_2: "UPRIYA", Field.MESSAGE: WISH})
    assert answer["response_action"] == "update", answer


def mixed_program(slack: Harness) -> None:
    """Finn's request to Maya, Maya's offer to Erin, then Erin's preferences for the admins."""
    enroll_cast(slack)
    enroll_priya(slack)
    enroll(
        slack,
        "UFINN",
        {Field.ROLES: ["mentee"], Field.FUNCTIONAL_AREA: "Data", Field.INTERESTS: ["python"]},
    )
    request_maya(slack, mentee="UFINN")
    configure(slack, mentor_offers_enabled=True)
    send_offer(slack)
    configure(slack, matching_mode="admin_routed")
    erin_chooses_omar_then_priya(slack)


def message_with(slack: Harness, user: str, words: str) -> dict[str, Any]:
    found = [m for m in slack.dm(user) if words in texts(m)]
    assert len(found) == 1, [texts(m)[:80] for m in slack.dm(user)]
    return found[0]


def test_dashboard_home_and_digest_count_the_submission_once(slack: Harness) -> None:
    mixed_program(slack)
    preferences = set(preference_ids(slack).values())
    assert len(preferences) == 2

    slack.command("UADMIN", "/mentor-admin")
    dashboard = slack.modal("UADMIN")
    shown = texts(dashboard)
    assert "*2* pending · *0* accepted" in shown  # Finn's request and Maya's offer
    assert "Showing 1-2 of 2 pending requests" in shown
    assert "*Finn &lt;!channel&gt; Ito* → *Maya Chen*" in shown
    assert "*Maya Chen* → *Erin Walsh* · _offer from the mentor_" in shown  # mentor first
    assert ":inbox_tray: 1 submission waiting to be matched, for 1 minute: " in shown
    assert "`/mentor-admin queue`" in shown
    assert "Omar" not in shown and "Priya" not in shown and "preference" not in shown
    rows = dashboard_ids(dashboard)
    assert len(rows) == 2 and not preferences & set(rows)
    assert not preferences & {int(v) for _l, v in buttons(dashboard, Action.ADMIN_REMIND)}

    # Into the queue from the dashboard: it opens on top, with Erin's choices to assign.
    slack.click("UADMIN", Action.OPEN_QUEUE, view=dashboard)
    queue = slack.modal("UADMIN")
    assert queue["callback_id"] == View.QUEUE
    assert len(slack.state.views_for("UADMIN")) == 2  # pushed over the dashboard
    assert "1 mentee waiting to be matched" in texts(queue)
    assert {int(v) for _l, v in buttons(queue, Action.ASSIGN)} == preferences

    home = texts(slack.open_home("UADMIN"))
    assert "2 requests pending · 1 submission waiting to be matched · 0 active pairs" in home

    tick(slack, minutes=1)  # Monday 09:01: this week's digest
    digest = message_with(slack, "UADMIN", "Weekly mentoring digest")
    said = texts(digest)
    assert (
        digest["text"]
        == "Weekly mentoring digest: 2 requests pending, 1 submission waiting to be matched."
    )
    assert "*Matching queue*\n1 submission waiting to be matched, for 1 minute." in said
    assert "Assign or close them from `/mentor-admin queue`." in said
    assert "Omar Haddad" not in said  # the preferences are never listed as requests
    assert said.count("Finn &lt;!channel&gt; Ito → Maya Chen") == 1
    assert buttons(digest, Action.OPEN_QUEUE) == [("Open queue", "")]

    # Ten days on, nobody acted: one escalation names both requests and the waiting submission.
    tick(slack, days=10)
    escalation = message_with(slack, "UADMIN", "waited too long")
    said = texts(escalation)
    assert escalation["text"] == (
        "2 requests waited too long for an answer. "
        "1 submission waited too long in the matching queue."
    )
    assert "1 submission waiting to be matched, for 10 days" in said
    assert "Omar Haddad" not in said

    # The health report: two requests (the preferences are not requests), the queue apart.
    slack.command("UADMIN", "/mentor-admin", "health")
    report = texts(slack.modal("UADMIN"))
    assert "*Sent*\n2\n*Still pending*\n2" in report
    assert "Matching queue\n*Submitted*\n1\n*Still waiting*\n1\n*Matched by an admin*\n0" in report
    assert (
        "• Every submission waiting now: average 10 days, median 10 days (1 submission)" in report
    )
    # Maya answers Finn's request; her offer to Erin (Erin's to answer) is not hers to be slow on.
    assert "• Maya Chen: nothing answered yet, 1 waiting" in report
    assert "Omar Haddad" not in report and "Priya Nair" not in report


def test_admins_are_told_when_a_submission_arrives_and_can_open_the_queue(
    slack: Harness,
) -> None:
    slack.state.add_user("USOL", real_name="Sol Admin", display_name="Sol Admin", is_admin=True)
    slack.state.add_user("UOWNER", real_name="Olu Owner", display_name="Olu", is_owner=True)
    slack.state.add_user("UGONE", real_name="Gone Admin", is_admin=True, deleted=True)
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed", admins_from_slack=True)

    submit_preferences(slack)  # Erin ranks Maya, Omar and Priya

    notices = {user: slack.dm(user) for user in ("UADMIN", "USOL", "UOWNER")}
    for user, messages in notices.items():
        assert len(messages) == 1, user
        notice = messages[0]
        assert notice["text"] == "Erin Walsh is waiting to be matched with a mentor."
        said = texts(notice)
        assert "*Erin Walsh* chose 3 mentors and is waiting to be matched." in said
        assert "1. *Maya Chen*" in said and "3. *Priya Nair*" in said
        assert "engineering management" in said  # her message
        assert "In the queue now: 1 submission waiting to be matched, for 1 minute." in said
        assert [label for label, _ in buttons(notice, Action.OPEN_QUEUE)] == ["Open queue"]
    assert slack.dm("UGONE") == []  # a deactivated admin is not written to
    for mentor in ("UMAYA", "UOMAR", "UPRIYA"):
        assert slack.dm(mentor) == []  # still nobody asked them anything

    # A Slack admin opens the queue from the notice (rights checked again on the click).
    sol = notices["USOL"][0]
    slack.click("USOL", Action.OPEN_QUEUE, message=sol, channel=slack.state.dm_channel("USOL"))
    queue = slack.modal("USOL")
    assert queue["callback_id"] == View.QUEUE
    assert "Erin Walsh" in texts(queue) and "1 mentee waiting to be matched" in texts(queue)

    # The same button in anyone else's hands shows no queue: Slack, asked once the click's
    # trigger was used for a "one moment" modal, says no, and the refusal takes its place.
    slack.click("USTRANGER", Action.OPEN_QUEUE, message=sol, channel=slack.state.dm_channel("USOL"))
    refused = slack.modal("USTRANGER")
    assert refused["callback_id"] != View.QUEUE and texts(refused["blocks"]) == REFUSAL

    # Decided before anyone reads it: the notice stays, and nobody is told again.
    slack.command("UADMIN", "/mentor-admin", "queue")
    ids = preference_ids(slack)
    slack.click("UADMIN", Action.ASSIGN, value=str(ids["UOMAR"]), view=slack.modal("UADMIN"))
    assert "Nobody is waiting to be matched" in texts(slack.modal("UADMIN"))
    assert [len(slack.dm(user)) for user in notices] == [1, 1, 1]


def test_when_slack_admins_cannot_be_listed_the_configured_admins_are_still_told(
    slack: Harness,
) -> None:
    slack.state.add_user("USOL", real_name="Sol Admin", display_name="Sol Admin", is_admin=True)
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed", admins_from_slack=True)
    slack.state.inject("users.list", SlackError("missing_scope"))
    slack.expected_failures = [("users.list", "missing_scope")]

    submit_preferences(slack)  # the mentee is told her preferences are with the admins

    assert [m["text"] for m in slack.dm("UADMIN")] == [
        "Erin Walsh is waiting to be matched with a mentor."
    ]
    assert slack.dm("USOL") == []
    assert "waiting for a program admin" in texts(slack.home("UERIN"))
