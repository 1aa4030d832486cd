"""A request left alone: reminded with live buttons, then closed, everyone told, in Slack."""

from __future__ import annotations

from datetime import timedelta

from blocks.ids import Action
from handlers.home import publish_home
from scheduler.jobs import Jobs
from tests.scenario.admin_helpers import settings
from tests.scenario.harness import Harness, texts
from tests.scenario.test_journey import enroll_cast, request_maya
from tests.snapshot import snapshot


def jobs(slack: Harness) -> Jobs:
    """The scheduler's jobs as ``bot.runtime`` wires them, Home tabs redrawn after delivery."""
    svc = slack.services

    def refresh(team_id: str, user_id: str) -> None:
        publish_home(svc, svc.client_for(team_id), team_id, user_id)

    return Jobs(
        db=slack.db,
        client_for=svc.client_for,
        admins=svc.admins_to_tell,  # as in production: UADMIN, maybe Slack's
        refresh_home=refresh,
        clock=slack.clock,
    )


def tick(slack: Harness, **delta: float) -> None:
    slack.clock.now += timedelta(**delta)
    j = jobs(slack)
    j.sweep()
    j.deliver()


def test_reminder_then_auto_close_reach_everyone(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    assert len(slack.dm("UMAYA")) == 1

    tick(slack, days=3)  # Thursday 09:00 UTC = 09:00 in London: inside Maya's working hours
    reminder = slack.dm("UMAYA")[-1]
    assert "Reminder: Erin Walsh is waiting for your answer" in texts(reminder)
    actions = [
        e["action_id"] for b in reminder["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert Action.ACCEPT in actions and Action.DECLINE in actions
    first_card_as_sent = slack.dm("UMAYA")[0]

    tick(slack, days=11)  # 14 days after the request
    mentee_notice = texts(slack.dm("UERIN")[-1])
    assert "waiting a long time" in mentee_notice and "Omar Haddad" in mentee_notice
    for card in slack.dm("UMAYA"):  # the first card and the reminder, both redrawn in place
        assert "Closed automatically" in texts(card)
        assert not [b for b in card["blocks"] if b["type"] == "actions"]
    digest = texts(slack.dm("UADMIN")[0])
    assert "Weekly mentoring digest" in digest

    # A late click from a client still showing the first card as sent is answered politely
    # and changes nothing.
    before = snapshot(slack.db)
    slack.click(
        "UMAYA", Action.ACCEPT, message=first_card_as_sent, channel=slack.state.dm_channel("UMAYA")
    )
    assert slack.told("UMAYA") == [
        "This request was already closed automatically after waiting too long."
    ]
    assert snapshot(slack.db) == before


def test_the_weekly_digest_reaches_slack_workspace_admins_when_they_count_as_admins(
    slack: Harness,
) -> None:
    slack.state.add_user("UOLGA", name="olga", display_name="Olga Owner", is_owner=True)
    enroll_cast(slack)
    request_maya(slack)
    tick(slack, minutes=1)  # Monday 09:01: the digest, to ADMIN_USER_IDS only
    assert digests(slack, "UADMIN") == 1 and digests(slack, "UOLGA") == 0

    settings(slack, admins_from_slack=True)
    tick(slack, days=7)  # next Monday: Slack's owner counts as an admin now
    assert digests(slack, "UADMIN") == 2 and digests(slack, "UOLGA") == 1


def digests(slack: Harness, user: str) -> int:
    return sum(m["text"].startswith("Weekly mentoring digest") for m in slack.dm(user))
