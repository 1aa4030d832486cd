"""Dashboard and health report blocks: Slack's limits, escaping, the state kept between clicks."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any

import pytest

from blocks.ids import Action
from blocks.reports.dashboard import DashboardState, dashboard_modal, reminded_note, row_blocks
from blocks.reports.health import bar, duration_text, health_modal, trend_lines, trend_sections
from mentoring.core.figures import DurationStats
from mentoring.core.wording import Words
from mentoring.reports.dashboard import (
    AgeOrder,
    PipelineKind,
    PipelinePage,
    PipelineRow,
    StatusFilter,
)
from mentoring.reports.health import HealthReport, WeekTrend
from store.enums import RequestKind, RequestStatus
from tests.blocks.test_requests_blocks import MENTEE, MENTOR, request
from tests.conftest import NOW, TEAM

WORDS = Words("buddy", "learner")
HOSTILE = "Hi <!channel>, <@U123> & friends:\nplease *help* " + "x" * 400


def mrkdwn(blocks: list[Any]) -> str:
    """Every mrkdwn text in blocks (objects or dicts); plain_text never pings anyone."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk([b if isinstance(b, dict) else b.to_dict() for b in blocks])
    return "\n".join(found)


def row(status: RequestStatus = RequestStatus.PENDING, **kw: object) -> PipelineRow:
    req = replace(request(status), message=HOSTILE, created_at=NOW - timedelta(days=3), **kw)
    return PipelineRow(PipelineKind.REQUESTS, req, MENTEE, MENTOR, failed_deliveries=0)


def pipeline(rows: tuple[PipelineRow, ...], total: int = 500, page: int = 1) -> PipelinePage:
    counts = dict.fromkeys(StatusFilter, 0)
    counts[StatusFilter.PENDING] = counts[StatusFilter.ALL] = total
    return PipelinePage(
        kind=PipelineKind.REQUESTS,
        status=StatusFilter.PENDING,
        order=AgeOrder.OLDEST,
        page=page,
        page_size=20,
        counts=MappingProxyType(counts),
        failed_deliveries=3,
        rows=rows,
    )


def test_a_full_page_fits_slack_and_escapes_user_text() -> None:
    view = dashboard_modal(
        pipeline((row(),) * 20, page=2), now=NOW, words=WORDS, note="*Done.*"
    ).to_dict()  # to_dict validates Slack's limits (text lengths, 100 blocks)

    assert len(view["blocks"]) <= 100
    assert len(view["private_metadata"]) <= 3000
    assert json.loads(view["private_metadata"]) == {
        "kind": "requests",
        "status": "pending",
        "order": "oldest",
        "page": 2,
    }
    shown = mrkdwn(view["blocks"])
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<!here>" not in shown
    assert "&lt;!channel&gt;" in shown and "Eve &lt;!here&gt;" in shown
    assert "Showing 21-40 of 500 pending requests, oldest first · page 2 of 25" in shown
    assert ":warning: 3 notifications about requests could not be delivered" in shown
    buttons = [
        e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons.count(Action.ADMIN_REMIND) == buttons.count(Action.ADMIN_CLOSE) == 20
    assert Action.ADMIN_PAGE_BACK in buttons and Action.ADMIN_PAGE_NEXT in buttons


def test_row_excerpt_is_one_short_line() -> None:
    text = row_blocks(row(), now=NOW, words=WORDS)[0].to_dict()["text"]["text"]
    excerpt = next(line for line in text.splitlines() if line.startswith(">"))
    assert excerpt.startswith(">Hi &lt;!channel&gt;, &lt;@U123&gt; &amp; friends: please *help* x")
    assert excerpt.endswith("…") and len(excerpt) < 170
    assert "Waiting 3 days · 0 reminders" in text


def test_rows_say_what_happened_and_offer_buttons_only_while_pending() -> None:
    declined = row(RequestStatus.DECLINED, answered_at=NOW - timedelta(days=1))
    blocks = row_blocks(declined, now=NOW, words=WORDS)
    assert len(blocks) == 1  # no buttons
    assert "*Declined* after 2 days · sent 3 days ago · _Other_" in mrkdwn(
        [b.to_dict() for b in blocks]
    )

    offer = replace(row(), request=replace(row().request, kind=RequestKind.MENTOR_OFFER))
    assert "offer from the buddy" in mrkdwn(
        [b.to_dict() for b in row_blocks(offer, now=NOW, words=WORDS)]
    )

    # A preference is decided in the matching queue: no button the domain would refuse.
    routed = replace(row(), request=replace(row().request, kind=RequestKind.ADMIN_ROUTED))
    assert (routed.can_remind, routed.can_close) == (False, False)
    assert len(row_blocks(routed, now=NOW, words=WORDS)) == 1

    failed = replace(row(), failed_deliveries=1)
    assert "1 notification about this request could not be delivered" in mrkdwn(
        [b.to_dict() for b in row_blocks(failed, now=NOW, words=WORDS)]
    )


@pytest.mark.parametrize(
    "raw",
    ["", "not json", "[1, 2]", '{"status": "nope"}', '{"page": -3}', '{"page": "x"}'],
)
def test_unusable_metadata_falls_back_to_the_defaults(raw: str) -> None:
    assert DashboardState.from_metadata(raw) == DashboardState()


def test_metadata_round_trips() -> None:
    state = DashboardState(status=StatusFilter.WITHDRAWN, order=AgeOrder.NEWEST, page=7)
    assert DashboardState.from_metadata(state.metadata(request=12)) == state


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(minutes=20), "20 min"),
        (timedelta(hours=18), "18 h"),
        (timedelta(hours=22.5), "22.5 h"),
        (timedelta(hours=47.9), "47.9 h"),
        (timedelta(hours=72), "3 days"),
        (timedelta(hours=88), "3.7 days"),
        (timedelta(0), "1 min"),
    ],
)
def test_durations_read_at_a_glance(delta: timedelta, shown: str) -> None:
    assert duration_text(delta) == shown


def test_bars_are_exact_to_an_eighth() -> None:
    assert bar(4, 4, width=4) == "████"
    assert bar(1, 4, width=4) == "█   "
    assert bar(3, 16, width=4) == "▊   "  # 3/16 of 4 characters is 6 eighths
    assert bar(1, 1000, width=4) == "▏   "  # never invisible when there is something
    assert bar(0, 4, width=4) == "    "


def week(monday: date, created: int) -> WeekTrend:
    iso = monday.isocalendar()
    return WeekTrend(iso.year, iso.week, monday, created, created // 2, 1, 0)


def test_trend_of_two_years_splits_into_sections_under_slacks_limit() -> None:
    weeks = [week(date(2024, 3, 4) + timedelta(weeks=n), n % 9) for n in range(105)]
    sections = trend_sections(weeks)
    assert len(sections) > 1
    assert all(len(s) <= 3000 and s.startswith("```\nWeek of") for s in sections)
    assert sum(s.count("\n") - 2 for s in sections) == 105  # every week once
    assert trend_lines(weeks[:2]) == [
        "Week of                   sent  acc  dec  exp",
        "Mar 04                       0    0    1    0",
        "Mar 11   ████████████████    1    0    1    0",
    ]


def test_health_modal_of_a_year_fits_slack() -> None:
    start = datetime(2025, 3, 2, 9, tzinfo=UTC)
    none = DurationStats(0, None, None)
    report = HealthReport(
        team_id=TEAM,
        start=start,
        end=NOW,
        now=NOW,
        total_requests=0,
        by_status=MappingProxyType(dict.fromkeys(RequestStatus, 0)),
        acceptance_rate=None,
        decline_rate=None,
        expiry_rate=None,
        answer_time=none,
        waiting_time=none,
        pending_now=none,
        decline_reasons=(),
        mentor_response=(),
        mentors_at_capacity=(),
        mentees_without_request=(),
        mentees_without_mentor=(),
        weekly=tuple(week(date(2025, 2, 24) + timedelta(weeks=n), n) for n in range(54)),
    )
    view = health_modal(report, days=365, words=WORDS).to_dict()

    assert len(view["blocks"]) <= 100
    shown = mrkdwn(view["blocks"])
    assert "No requests were sent in this period." in shown
    assert "Every buddy has room for another learner." in shown
    assert "Every learner has a buddy." in shown
    select = view["blocks"][0]["elements"][0]
    assert select["initial_option"]["value"] == "365"


def test_the_remind_note_names_who_was_reminded_about_what() -> None:
    reminded = replace(row(), request=replace(row().request, reminder_count=2))
    assert reminded_note(reminded) == (
        ":bell: Reminded *Max* about Eve &lt;!here&gt;'s request (reminder 2)."
    )
    offer = replace(reminded, request=replace(reminded.request, kind=RequestKind.MENTOR_OFFER))
    assert reminded_note(offer) == (
        ":bell: Reminded *Eve &lt;!here&gt;* about Max's offer (reminder 2)."
    )
