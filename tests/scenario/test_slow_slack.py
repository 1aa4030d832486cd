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

from blocks.ids import Field
from fakeslack import Hold, deliver
from mentoring.core.members import get_member
from tests.conftest import TEAM
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
