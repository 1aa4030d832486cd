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
from typing import Any

from sqlalchemy import select

from blocks.ids import Action, Field, Setting
from blocks.ids import View as ViewId
from fakeslack import Delivery, Hold, deliver
from handlers.access import LOADING, REFUSAL
from handlers.settings import NOT_ADMIN
from mentoring.core.members import get_member
from mentoring.program.settings import get_settings
from store.enums import RequestKind, RequestStatus
from store.models import Recommendation, Request
from tests import factories
from tests.conftest import TEAM
from tests.scenario.admin_helpers import dashboard_ids, seed_pending, settings
from tests.scenario.harness import Harness, texts, view_json
from tests.scenario.test_admin_matching import buttons, enroll_priya, submit_preferences
from tests.scenario.test_journey import enroll_cast, request_maya

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
        member = get_member(session=s, team_id=TEAM, slack_user_id="UERIN")
    assert member is not None and member.display_name == "erin"  # her handle, not her id


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


def submit_while_held(
    slack: Harness, user: str, form: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """Submit ``form`` while users.info is held: it must be answered meanwhile. What Slack did
    with the answer is applied as it arrives, before the listener goes on."""
    held = hold(slack)
    request = slack.inbound.view_submission(user, form, values)
    got: list[Delivery] = []
    answered = threading.Event()

    def send() -> None:
        got.append(deliver(slack.url + "/slack/events", request, ack_within=ANSWERED))
        slack.state.apply_submission_ack(form["id"], got[0].body, elapsed=got[0].elapsed)
        answered.set()

    sender = threading.Thread(target=send)
    sender.start()
    try:
        held.wait_arrived()
        assert answered.wait(ANSWERED), "no answer while Slack was being asked"
    finally:
        held.release()
        sender.join(30)
    slack.executor.wait_idle()
    assert got[0].elapsed < slack.state.ack_timeout
    return json.loads(got[0].body) if got[0].body else {}


def demote(slack: Harness, user: str) -> None:
    record = slack.state.user(user)
    assert record is not None
    record.is_owner = record.is_admin = False


def test_settings_are_answered_before_slack_confirms_the_admin(slack: Harness) -> None:
    factories.workspace(slack.db)
    owner = slack_owner(slack)
    slack.command(owner, "/mentor-admin", "settings")
    form = slack.modal(owner)
    slack.advance(timedelta(seconds=61))  # the cached yes is too old: Slack must be asked

    answer = submit_while_held(slack, owner, form, {Setting.MAX_PENDING_REQUESTS: "2"})

    assert answer["response_action"] == "update"
    shown = texts(slack.modal(owner))
    assert "Settings saved" in shown and "3 → 2" in shown
    with slack.db.read() as s:
        assert get_settings(session=s, team_id=TEAM).max_pending_requests_per_mentee == 2


def test_settings_refused_by_slack_after_the_answer_change_nothing(slack: Harness) -> None:
    factories.workspace(slack.db)
    owner = slack_owner(slack)
    slack.command(owner, "/mentor-admin", "settings")
    form = slack.modal(owner)
    demote(slack, owner)
    slack.advance(timedelta(seconds=61))

    submit_while_held(slack, owner, form, {Setting.MAX_PENDING_REQUESTS: "2"})

    assert texts(slack.modal(owner)["blocks"]) == NOT_ADMIN
    with slack.db.read() as s:
        assert get_settings(session=s, team_id=TEAM).max_pending_requests_per_mentee == 3


def close_form(slack: Harness, owner: str) -> tuple[dict[str, Any], int]:
    slack.command(owner, "/mentor-admin")
    dashboard = slack.modal(owner)
    [rid] = dashboard_ids(dashboard)
    slack.click(owner, Action.ADMIN_CLOSE, value=str(rid), view=dashboard)
    return slack.modal(owner), rid


def request_status(slack: Harness, rid: int) -> RequestStatus:
    with slack.db.read() as s:
        return s.get_one(Request, rid).status


def test_a_close_is_answered_before_slack_confirms_the_admin(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)  # people Slack knows, so the closing notices reach them
    owner = slack_owner(slack)
    form, rid = close_form(slack, owner)
    slack.advance(timedelta(seconds=61))

    answer = submit_while_held(slack, owner, form, {Field.REASON: "Maya asked me to"})

    assert answer == {}  # back on the dashboard
    assert "Closed" in texts(slack.modal(owner))
    assert request_status(slack, rid) is RequestStatus.CLOSED_BY_ADMIN


def test_a_close_refused_by_slack_after_the_answer_changes_nothing(slack: Harness) -> None:
    seed_pending(slack, 1)
    owner = slack_owner(slack)
    form, rid = close_form(slack, owner)
    demote(slack, owner)
    slack.advance(timedelta(seconds=61))

    submit_while_held(slack, owner, form, {Field.REASON: "Maya asked me to"})

    [shown] = slack.state.views_for(owner)  # the dashboard, now only the refusal
    assert texts(view_json(shown)["blocks"]) == REFUSAL
    assert request_status(slack, rid) is RequestStatus.PENDING


def test_recommendations_refused_by_slack_after_the_answer_push_nothing(slack: Harness) -> None:
    seed_pending(slack, 1)
    owner = slack_owner(slack)
    slack.command(owner, "/mentor-admin", "recommend")
    form = slack.modal(owner)
    demote(slack, owner)
    slack.advance(timedelta(seconds=61))

    answer = submit_while_held(slack, owner, form, {Field.PER_MENTEE: "2"})

    assert answer["response_action"] == "update"
    assert texts(slack.modal(owner)["blocks"]) == REFUSAL
    with slack.db.read() as s:
        assert s.scalars(select(Recommendation)).all() == []


def test_a_queue_close_refused_by_slack_after_the_answer_changes_nothing(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    settings(slack, matching_mode="admin_routed")
    submit_preferences(slack)
    owner = slack_owner(slack)
    slack.command(owner, "/mentor-admin", "queue")
    queue = slack.modal(owner)
    [(_label, first)] = buttons(queue, Action.CLOSE_SUBMISSION)
    slack.click(owner, Action.CLOSE_SUBMISSION, value=first, view=queue)
    form = slack.modal(owner)
    demote(slack, owner)
    slack.advance(timedelta(seconds=61))

    assert submit_while_held(slack, owner, form, {Field.REASON: "No reason at all."}) == {}

    [shown] = slack.state.views_for(owner)  # the queue, now only the refusal
    assert shown.id == queue["id"] and texts(view_json(shown)["blocks"]) == REFUSAL
    with slack.db.read() as s:
        routed = s.scalars(select(Request.status).where(Request.kind == RequestKind.ADMIN_ROUTED))
        assert set(routed) == {RequestStatus.PENDING}
