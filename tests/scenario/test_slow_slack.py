"""Nothing remote between a trigger's arrival and its use, and nothing remote before an ack.

Each test holds a Slack answer the app waits for (``users.info``) with the fake's ``Hold``, and
checks what Slack has already seen while it is held: the modal opened with the trigger, or the
submission answered. The old order (ask Slack, then open or ack) fails every one of them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from fakeslack import Hold, deliver
from handlers.access import LOADING
from mentoring.core.members import get_member
from tests.conftest import TEAM
from tests.scenario.admin_helpers import dashboard_ids, seed_pending, settings
from tests.scenario.harness import Harness, texts, view_json

ANSWERED = 10.0  # seconds to wait for what must already be under way (never reached when right)


@contextmanager
def in_background(held: Hold, action: Callable[[], object]) -> Iterator[threading.Event]:
    """Run ``action`` (a command, click or submission) in a thread while ``held`` holds a call;
    the event is set when it has returned (its ack received and its listeners finished). The
    hold is released on the way out, whatever the test found."""
    done = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield done
    finally:
        held.release()
        thread.join(30)
    if failures:
        raise failures[0]


def hold(slack: Harness, method: str = "users.info") -> Hold:
    held = Hold()
    slack.state.inject(method, held)
    return held


def test_a_newcomers_profile_form_opens_before_slack_says_who_they_are(slack: Harness) -> None:
    held = hold(slack)
    with in_background(held, lambda: slack.command("UERIN", "/find-mentor")):
        held.wait_arrived()
        # users.info is still unanswered: the form is open already, with the command's trigger.
        opened = slack.state.views_for("UERIN")
        assert [view_json(v)["callback_id"] for v in opened] == ["profile"]
        slack.advance(timedelta(seconds=5))  # Slack answers late: a trigger would be dead now
        held.release()

    form = slack.modal("UERIN")
    assert form["id"] == opened[0].id
    assert "Hi Erin Walsh!" in texts(form)
    assert json.loads(form["private_metadata"]) == {"name": "Erin Walsh", "tz": "America/New_York"}
    assert [c.ok for c in slack.calls("views.open")] == [True]


def test_a_profile_submitted_before_slack_answered_is_saved_and_stays_saved(
    slack: Harness,
) -> None:
    held = hold(slack)
    with in_background(held, lambda: slack.command("UERIN", "/find-mentor")):
        held.wait_arrived()
        form = slack.modal("UERIN")
        values = {
            Field.ROLES: ["mentee"],
            Field.FUNCTIONAL_AREA: "Engineering",
            Field.GOALS: "Grow into a tech lead role this year.",
        }
        # Submitted while users.info is unanswered (sent directly: the harness would wait for
        # the held listener to finish).
        got = deliver(
            slack.url + "/slack/events",
            slack.inbound.view_submission("UERIN", form, values),
            ack_within=slack.state.ack_timeout,
        )
        slack.state.apply_submission_ack(form["id"], got.body, elapsed=got.elapsed)
        held.release()
    # The late name does not overwrite the confirmation the person is reading.
    slack.expected_failures = [("views.update", "hash_conflict")]

    assert "Profile saved" in texts(slack.modal("UERIN"))
    with slack.db.read() as s:
        assert get_member(session=s, team_id=TEAM, slack_user_id="UERIN") is not None


OWNER = "UOWNER"  # a Slack workspace owner: an admin only on Slack's word


def slack_owner(slack: Harness) -> str:
    slack.state.add_user(
        OWNER, name="olga", real_name="Olga Owner", display_name="Olga Owner", is_owner=True
    )
    settings(slack, admins_from_slack=True)
    return OWNER


def test_the_dashboard_opens_before_slack_confirms_an_admin(slack: Harness) -> None:
    seed_pending(slack, 2)
    owner = slack_owner(slack)
    held = hold(slack)
    with in_background(held, lambda: slack.command(owner, "/mentor-admin")):
        held.wait_arrived()
        opened = [view_json(v) for v in slack.state.views_for(owner)]
        assert [texts(v["blocks"]) for v in opened] == [LOADING]
        slack.advance(timedelta(seconds=5))
        held.release()

    dashboard = slack.modal(owner)
    assert dashboard["id"] == opened[0]["id"] and "*2* pending" in texts(dashboard)


def test_a_close_click_pushes_before_slack_confirms_an_admin(slack: Harness) -> None:
    seed_pending(slack, 2)
    owner = slack_owner(slack)
    slack.command(owner, "/mentor-admin")
    dashboard = slack.modal(owner)
    slack.advance(timedelta(seconds=61))  # Slack's yes is trusted for a minute only
    held = hold(slack)
    close = Action.ADMIN_CLOSE
    with in_background(
        held,
        lambda: slack.click(owner, close, value=str(dashboard_ids(dashboard)[0]), view=dashboard),
    ):
        held.wait_arrived()
        shown = [view_json(v) for v in slack.state.views_for(owner)]
        assert [v["id"] for v in shown[:1]] == [dashboard["id"]]
        assert texts(shown[-1]["blocks"]) == LOADING  # pushed with the click's own trigger
        slack.advance(timedelta(seconds=5))
        held.release()

    form = slack.modal(owner)
    assert form["id"] == shown[-1]["id"] and form["callback_id"] == ViewId.ADMIN_CLOSE


def test_the_health_report_fills_a_modal_opened_at_once(slack: Harness) -> None:
    seed_pending(slack, 2)
    slack.command("UADMIN", "/mentor-admin", "health")

    opened = slack.calls("views.open")[-1]
    assert texts(opened.params["view"]["blocks"]) == LOADING
    report = slack.modal("UADMIN")
    assert slack.calls("views.update")[-1].params["view_id"] == report["id"]
    assert report["title"]["text"] == "Program health" and "pending" in texts(report)
