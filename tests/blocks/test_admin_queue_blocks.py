"""How the admin side mentions the matching queue: counts once, points into the queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from blocks.ids import Action
from blocks.reports.dashboard import dashboard_modal
from blocks.reports.digest import escalation_notice
from blocks.routing.queue import dashboard_queue_section, waiting_text
from mentoring.routing.queue import QueueSummary
from tests.blocks.test_admin_blocks import WORDS, mrkdwn, pipeline, row
from tests.conftest import NOW


def test_waiting_words_count_each_submission_once() -> None:
    assert waiting_text(QueueSummary(3, NOW - timedelta(days=5)), NOW) == (
        "3 submissions waiting to be matched, the oldest for 5 days"
    )
    assert waiting_text(QueueSummary(1, NOW - timedelta(hours=2)), NOW) == (
        "1 submission waiting to be matched, for 2 hours"
    )
    assert waiting_text(QueueSummary(0, None), NOW) == "0 submissions waiting to be matched"


def test_the_dashboard_line_has_a_button_only_when_something_waits() -> None:
    waiting = dashboard_queue_section(
        QueueSummary(2, NOW - timedelta(days=1), failed_deliveries=1), now=NOW
    ).to_dict()
    assert waiting["text"]["text"] == (
        ":inbox_tray: 2 submissions waiting to be matched, the oldest for 1 day: "
        "`/mentor-admin queue`\n"
        ":warning: 1 notification about submissions could not be delivered."
    )
    assert waiting["accessory"]["action_id"] == Action.OPEN_QUEUE
    empty = dashboard_queue_section(QueueSummary(0, None), now=NOW).to_dict()
    assert empty["text"]["text"] == (
        ":inbox_tray: No submissions waiting to be matched (`/mentor-admin queue`)."
    )
    assert "accessory" not in empty


def test_the_dashboard_shows_the_queue_under_the_counts_when_there_is_one() -> None:
    without = dashboard_modal(pipeline((row(),)), now=NOW, words=WORDS).to_dict()
    assert "submission" not in mrkdwn(without["blocks"])
    page = replace(pipeline((row(),)), queue=QueueSummary(4, NOW - timedelta(days=6)))
    shown = dashboard_modal(page, now=NOW, words=WORDS).to_dict()["blocks"]
    assert shown[1]["text"]["text"].startswith(
        ":inbox_tray: 4 submissions waiting to be matched, the oldest for 6 days"
    )
    assert len(shown) == len(without["blocks"]) + 1


def test_an_escalation_about_the_queue_alone_says_so() -> None:
    text, blocks = escalation_notice(
        (), 0, now=NOW, queue=QueueSummary(2, NOW - timedelta(days=12))
    )
    assert text == "2 submissions waited too long in the matching queue."
    said = mrkdwn(blocks)
    assert said.startswith(":rotating_light: *2 submissions waited too long")
    assert "2 submissions waiting to be matched, the oldest for 12 days" in said
    assert "Remind or close them" not in said  # nothing here can be reminded
