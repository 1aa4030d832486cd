"""The Home tab of a very busy member still fits Slack's 100 blocks, tools included."""

from __future__ import annotations

from datetime import timedelta

from blocks.home import LIST_LIMIT, home_view
from blocks.ids import Action
from blocks.kit import MAX_VIEW_BLOCKS
from mentoring.core.wording import Words
from mentoring.home.app_home import home_for
from store.db import Database
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.rows import add_relationship, add_request
from tests.scenario.harness import texts


def test_a_busy_mentor_and_admin_sees_the_first_items_the_counts_and_every_tool(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    f.workspace(db)
    mentor = f.mentor(db, "UBUSY", display_name="Busy Mentor", mentor_capacity=10)
    mentees = [f.mentee(db, f"UE{n:02d}", display_name=f"Mentee {n:02d}") for n in range(40)]
    with db.write() as s:
        for mentee in mentees[:10]:
            add_relationship(s, mentor.id, mentee.id, NOW - timedelta(days=30))
        for mentee in mentees[10:]:
            add_request(s, mentee.id, mentor.id, NOW - timedelta(days=1))
    with db.read() as s:
        data = home_for(session=s, team_id=TEAM, slack_user_id="UBUSY", is_admin=True, now=NOW)

    view = home_view(data, now=NOW, words=Words()).to_dict()  # to_dict checks Slack's limits
    shown = texts(view)
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    assert f"…and {30 - LIST_LIMIT} more waiting" in shown
    assert f"…and {10 - LIST_LIMIT} more mentees" in shown
    elements = [e for b in view["blocks"] for e in b.get("elements", [])]
    elements += [b["accessory"] for b in view["blocks"] if b.get("accessory")]
    assert {Action.PAUSE, Action.OPEN_ADMIN} <= {e.get("action_id") for e in elements}
    assert "Mentees: *10 of 10*" in shown
