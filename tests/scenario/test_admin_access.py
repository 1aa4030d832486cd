"""Who may use /mentor-admin: every command, click and submission checks again on the server.

A "demoted" admin is a Slack workspace admin who is a program admin only while
``admins_from_slack`` is on: their modals stay open after it is turned off, which is exactly
the case where a click must be checked again rather than trusted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from blocks.ids import Action, Field, View
from store.enums import RequestStatus
from store.models import Event, MeetingRequest, OutboxMessage, Request
from tests.scenario.admin_helpers import (
    REFUSAL,
    choose,
    dashboard_ids,
    meeting_ids,
    seed_meetings,
    seed_pending,
    settings,
)
from tests.scenario.harness import Harness, texts

OWNER = "UOWNER"  # a Slack workspace owner, not in ADMIN_USER_IDS


@pytest.fixture
def owner(slack: Harness) -> str:
    slack.state.add_user(
        OWNER, name="olga", real_name="Olga Owner", display_name="Olga Owner", is_owner=True
    )
    return OWNER


def nothing_changed(slack: Harness) -> None:
    with slack.db.read() as s:
        requests = s.scalars(select(Request)).all()
        events = s.scalars(select(Event).where(Event.subject_type == "request")).all()
    assert {r.status for r in requests} == {RequestStatus.PENDING}
    assert {r.reminder_count for r in requests} == {0}
    assert events == []
    assert slack.state.files() == []


def refused_in_modal(slack: Harness, user: str) -> None:
    """The modal now says only the refusal: no counts, no names."""
    view = slack.modal(user)
    shown = texts({key: view[key] for key in ("title", "close", "blocks")})
    assert shown.endswith("\nOK\n" + REFUSAL)  # a title, the OK button, the refusal: that's all
    assert not re.search(r"\d", shown) and "Mentee 0" not in shown and "Mentor 0" not in shown


def test_everyone_else_is_refused_every_subcommand(slack: Harness) -> None:
    seed_pending(slack, 3)
    for text in ("", "pending", "health", "health 90", "export", "help", "dance"):
        slack.command("USTRANGER", "/mentor-admin", text)

    assert slack.told("USTRANGER") == [REFUSAL] * 7
    assert slack.calls("views.open") == [] and slack.state.files() == []
    nothing_changed(slack)


def test_slack_workspace_admins_are_admins_only_when_the_setting_is_on(
    slack: Harness, owner: str
) -> None:
    seed_pending(slack, 3)
    slack.command(owner, "/mentor-admin")
    assert slack.told(owner) == [REFUSAL]
    assert "Program admin" not in texts(slack.open_home(owner))

    settings(slack, admins_from_slack=True)
    slack.command(owner, "/mentor-admin")
    assert "*3* pending" in texts(slack.modal(owner))
    assert "Program admin" in texts(slack.open_home(owner))
    slack.command("USTRANGER", "/mentor-admin")  # not a Slack admin: the setting changes nothing
    # Only Slack could tell, so it was asked after a modal opened: the refusal takes its place.
    refused_in_modal(slack, "USTRANGER")

    # Slack was asked once; the answer is cached (ADMIN_CACHE_SECONDS), the setting is not.
    asked = [c for c in slack.calls("users.info") if c.params.get("user") == owner]
    assert len(asked) == 1
    settings(slack, admins_from_slack=False)
    slack.command(owner, "/mentor-admin", "health")
    assert slack.told(owner) == [REFUSAL, REFUSAL]


def test_a_slack_admin_demoted_in_slack_loses_admin_tools_within_a_minute(
    slack: Harness, owner: str
) -> None:
    seed_pending(slack, 1)
    settings(slack, admins_from_slack=True)
    slack.command(owner, "/mentor-admin")
    assert "*1* pending" in texts(slack.modal(owner))

    user = slack.state.user(owner)
    assert user is not None
    user.is_owner = user.is_admin = False  # Slack takes the role away
    slack.advance(timedelta(seconds=30))
    slack.command(owner, "/mentor-admin", "health")  # the yes is still trusted for a minute
    assert slack.told(owner) == []
    slack.advance(timedelta(seconds=31))
    slack.command(owner, "/mentor-admin")
    refused_in_modal(slack, owner)  # Slack, asked again once the modal opened, said no


def test_no_admin_rights_when_slack_cannot_answer(slack: Harness, owner: str) -> None:
    from fakeslack import ServerError

    seed_pending(slack, 1)
    settings(slack, admins_from_slack=True)
    slack.state.inject("users.info", ServerError(503))
    slack.expected_failures = [("users.info", "service_unavailable")]
    slack.command(owner, "/mentor-admin")
    refused_in_modal(slack, owner)
    assert slack.told(owner) == []


def demoted_dashboard(slack: Harness, owner: str, command: str = "") -> dict[str, Any]:
    """The owner opens an admin modal as an admin, then the program stops trusting Slack."""
    settings(slack, admins_from_slack=True)
    slack.command(owner, "/mentor-admin", command)
    view = slack.modal(owner)
    settings(slack, admins_from_slack=False)
    return view


CLICKS: dict[str, Callable[[Harness, dict[str, Any]], None]] = {
    "status": lambda s, v: choose(s, OWNER, Action.ADMIN_STATUS, "accepted"),
    "order": lambda s, v: choose(s, OWNER, Action.ADMIN_ORDER, "newest"),
    "next page": lambda s, v: s.click(OWNER, Action.ADMIN_PAGE_NEXT, view=v),
    "remind": lambda s, v: s.click(
        OWNER, Action.ADMIN_REMIND, value=str(dashboard_ids(v)[0]), view=v
    ),
    "close": lambda s, v: s.click(
        OWNER, Action.ADMIN_CLOSE, value=str(dashboard_ids(v)[0]), view=v
    ),
}


@pytest.mark.parametrize("click", CLICKS)
def test_a_demoted_admin_is_refused_every_dashboard_click(
    slack: Harness, owner: str, click: str
) -> None:
    seed_pending(slack, 21)  # two pages, so there is a Next button
    view = demoted_dashboard(slack, owner)

    CLICKS[click](slack, view)

    assert len(slack.state.views_for(owner)) == 1  # nothing pushed
    refused_in_modal(slack, owner)
    nothing_changed(slack)


def test_a_demoted_admin_cannot_submit_a_close(slack: Harness, owner: str) -> None:
    seed_pending(slack, 2)
    settings(slack, admins_from_slack=True)
    slack.command(owner, "/mentor-admin")
    dashboard = slack.modal(owner)
    slack.click(owner, Action.ADMIN_CLOSE, value=str(dashboard_ids(dashboard)[0]), view=dashboard)
    form = slack.modal(owner)
    settings(slack, admins_from_slack=False)

    answer = slack.submit(owner, form, {Field.REASON: "Closing this"})

    assert answer["response_action"] == "update"
    assert REFUSAL in texts(answer["view"])
    nothing_changed(slack)


def test_a_demoted_admin_cannot_change_the_health_period(slack: Harness, owner: str) -> None:
    seed_pending(slack, 2)
    demoted_dashboard(slack, owner, "health")

    choose(slack, owner, Action.ADMIN_HEALTH_PERIOD, "90")

    refused_in_modal(slack, owner)


def test_a_demoted_admin_cannot_open_the_dashboard_from_home(slack: Harness, owner: str) -> None:
    seed_pending(slack, 2)
    settings(slack, admins_from_slack=True)
    home = slack.open_home(owner)
    settings(slack, admins_from_slack=False)

    slack.click(owner, Action.OPEN_ADMIN, view=home)

    refused_in_modal(slack, owner)  # the refusal opens in a small modal
    opened = [str(c.params.get("view")) for c in slack.calls("views.open")]
    assert opened and not [v for v in opened if View.ADMIN_DASHBOARD in v]


def meetings_unchanged(slack: Harness) -> None:
    with slack.db.read() as s:
        meetings = s.scalars(select(MeetingRequest)).all()
        events = s.scalars(select(Event).where(Event.subject_type == "meeting")).all()
        notices = s.scalars(select(OutboxMessage)).all()
    assert {(m.status, m.reminder_count, m.close_reason) for m in meetings} == {
        (RequestStatus.PENDING, 0, None)
    }
    assert events == [] and notices == []


def demoted_meetings_dashboard(slack: Harness, owner: str) -> dict[str, Any]:
    """The owner, an admin through Slack, opens the meeting requests; then that trust ends."""
    settings(slack, admins_from_slack=True)
    slack.command(owner, "/mentor-admin")
    choose(slack, owner, Action.ADMIN_KIND, "meetings")
    view = slack.modal(owner)
    settings(slack, admins_from_slack=False)
    return view


MEETING_CLICKS: dict[str, Callable[[Harness, dict[str, Any]], None]] = {
    "kind": lambda s, v: choose(s, OWNER, Action.ADMIN_KIND, "requests"),
    "remind": lambda s, v: s.click(
        OWNER, Action.ADMIN_MEETING_REMIND, value=str(meeting_ids(v)[0]), view=v
    ),
    "close": lambda s, v: s.click(
        OWNER, Action.ADMIN_MEETING_CLOSE, value=str(meeting_ids(v)[0]), view=v
    ),
}


@pytest.mark.parametrize("click", MEETING_CLICKS)
def test_a_demoted_admin_is_refused_every_meeting_click(
    slack: Harness, owner: str, click: str
) -> None:
    seed_meetings(slack, 3)
    view = demoted_meetings_dashboard(slack, owner)
    assert len(meeting_ids(view)) == 3

    MEETING_CLICKS[click](slack, view)

    assert len(slack.state.views_for(owner)) == 1  # nothing pushed
    refused_in_modal(slack, owner)
    meetings_unchanged(slack)


def test_a_demoted_admin_cannot_close_a_meeting_request(slack: Harness, owner: str) -> None:
    seed_meetings(slack, 2)
    settings(slack, admins_from_slack=True)
    slack.command(owner, "/mentor-admin")
    choose(slack, owner, Action.ADMIN_KIND, "meetings")
    dashboard = slack.modal(owner)
    slack.click(
        owner, Action.ADMIN_MEETING_CLOSE, value=str(meeting_ids(dashboard)[0]), view=dashboard
    )
    form = slack.modal(owner)
    assert form["callback_id"] == View.ADMIN_CLOSE_MEETING
    settings(slack, admins_from_slack=False)

    answer = slack.submit(owner, form, {Field.REASON: "Closing this"})

    assert answer["response_action"] == "update"
    assert REFUSAL in texts(answer["view"])
    meetings_unchanged(slack)
