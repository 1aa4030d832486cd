"""What the /mentor-admin scenario tests share: choosing in selects, settings, many requests
and meeting requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from blocks.ids import Action
from mentoring.program.settings_changes import update_settings
from store.enums import RequestStatus
from tests import factories
from tests.conftest import TEAM
from tests.rows import add_meeting, add_request
from tests.scenario.harness import Harness

REFUSAL = "Sorry, `/mentor-admin` is only for the mentoring program's admins."


def choose(slack: Harness, user: str, action_id: str, value: str) -> None:
    """Pick ``value`` in the select ``action_id`` of the user's top modal (it acts at once)."""
    view = slack.state.views_for(user)[-1]
    slack.send(
        slack.inbound.block_actions(user, [{"action_id": action_id, "selected": value}], view=view)
    )


def settings(slack: Harness, **changes: Any) -> None:
    """Change program settings as an admin would, at the harness's time."""
    with slack.db.write() as session:
        update_settings(
            session=session, team_id=TEAM, actor="UADMIN", changes=changes, now=slack.clock.now
        )


def buttons(view: dict[str, Any], action_id: str) -> list[str]:
    """The values of every button with ``action_id`` in a view, top to bottom."""
    return [
        str(e.get("value"))
        for b in view["blocks"]
        for e in (b.get("elements") or []) + ([b["accessory"]] if b.get("accessory") else [])
        if e.get("action_id") == action_id
    ]


def dashboard_ids(view: dict[str, Any]) -> list[int]:
    """The requests on a dashboard page with a Close button (every pending row has one)."""
    return [int(v) for v in buttons(view, Action.ADMIN_CLOSE)]


def meeting_ids(view: dict[str, Any]) -> list[int]:
    """The meeting requests on a dashboard page with a Close button (every pending one)."""
    return [int(v) for v in buttons(view, Action.ADMIN_MEETING_CLOSE)]


def many_members(slack: Harness, pairs: int, mentors: int) -> tuple[list[int], list[int]]:
    """``mentors`` mentors and enough mentees for ``pairs`` distinct pairs (not in Slack)."""
    factories.workspace(slack.db)
    mentor_ids = [
        factories.mentor(slack.db, f"UMT{n:03d}", display_name=f"Mentor {n:03d}").id
        for n in range(mentors)
    ]
    mentee_ids = [
        factories.mentee(slack.db, f"UME{n:03d}", display_name=f"Mentee {n:03d}").id
        for n in range(-(-pairs // mentors))
    ]
    return mentor_ids, mentee_ids


def seed_pending(
    slack: Harness, count: int, *, mentors: int = 20, others: bool = False
) -> list[int]:
    """``count`` pending requests between members who are not in the fake Slack, oldest first.

    Rows are written through the store, not sent one by one over HTTP: the first is 600 hours
    old, each next one an hour younger. With ``others``, closed outcomes are added too: 7
    accepted, 5 declined, 3 expired, 2 closed by an admin, 3 withdrawn and 1 cancelled.
    """
    mentor_ids, mentee_ids = many_members(slack, count, mentors)
    now = slack.clock.now
    ids = []
    with slack.db.write() as session:
        for n in range(count):
            mentee, mentor = mentee_ids[n // mentors], mentor_ids[n % mentors]
            created = now - timedelta(hours=600 - n)
            ids.append(add_request(session, mentee, mentor, created).id)
        if others:
            outcomes = (
                [RequestStatus.ACCEPTED] * 7
                + [RequestStatus.DECLINED] * 5
                + [RequestStatus.EXPIRED] * 3
                + [RequestStatus.CLOSED_BY_ADMIN] * 2
                + [RequestStatus.WITHDRAWN] * 3
                + [RequestStatus.CANCELLED]
            )
            for n, status in enumerate(outcomes):
                created = now - timedelta(days=40 - n)
                add_request(
                    session,
                    mentee_ids[0],
                    mentor_ids[n % mentors],
                    created,
                    status,
                    created + timedelta(hours=30),
                    reason="Other",
                )
    return ids


MEETING_OUTCOMES = (
    [RequestStatus.ACCEPTED] * 3
    + [RequestStatus.DECLINED] * 2
    + [RequestStatus.EXPIRED]
    + [RequestStatus.CLOSED_BY_ADMIN]
    + [RequestStatus.WITHDRAWN] * 2
)


def seed_meetings(
    slack: Harness, count: int, *, mentors: int = 20, others: bool = False
) -> list[int]:
    """``count`` pending meeting requests, oldest first, written through the store.

    The first is 600 hours old, each next one an hour younger; each proposes two times, two
    and three days ahead, except the first (whose first time passed an hour ago) and the
    second (whose only time passed two hours ago: nothing is left to accept). Members are as
    in ``seed_pending`` and not in the fake Slack. With ``others``, MEETING_OUTCOMES are added,
    created 40 days ago and onwards, each answered 30 hours after it was sent.
    """
    mentor_ids, mentee_ids = many_members(slack, count, mentors)
    now = slack.clock.now
    ahead = [now + timedelta(days=2), now + timedelta(days=3)]
    ids = []
    with slack.db.write() as session:
        for n in range(count):
            times = {0: [now - timedelta(hours=1), ahead[0]], 1: [now - timedelta(hours=2)]}
            ids.append(
                add_meeting(
                    session,
                    mentee_ids[n // mentors],
                    mentor_ids[n % mentors],
                    now - timedelta(hours=600 - n),
                    times=times.get(n, ahead),
                    topic=f"Topic {n:03d}",
                ).id
            )
        if others:
            for n, status in enumerate(MEETING_OUTCOMES):
                created = now - timedelta(days=40 - n)
                answered = created + timedelta(hours=30)
                add_meeting(
                    session,
                    mentee_ids[0],
                    mentor_ids[n % mentors],
                    created,
                    status,
                    answered,
                    times=[created + timedelta(days=3)],
                    meeting_at=created + timedelta(days=3)
                    if status is RequestStatus.ACCEPTED
                    else None,
                    reason="Other",
                )
    return ids
