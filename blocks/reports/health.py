"""The Program Health Report modal (/mentor-admin health) and its text chart.

One-time meetings (flash mentoring) have a section of their own beside the mentoring figures,
for the meeting requests created in the same period.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta

from slack_sdk.models.blocks import ActionsBlock, Block, StaticSelectElement
from slack_sdk.models.views import View

from blocks.ids import Action
from blocks.ids import View as ViewId
from blocks.kit import context, fields, header, modal, option, section
from blocks.text import escape, plural, slack_date
from mentoring.core.figures import DurationStats
from mentoring.core.wording import Words
from mentoring.meetings.stats import MeetingStats
from mentoring.reports.health import PERIOD_DAYS, HealthReport, WeekTrend
from mentoring.routing.queue import SubmissionStats
from mentoring.routing.submissions import SubmissionStatus
from store.enums import RequestStatus

TITLE = "Program health"
SLOWEST_SHOWN = 5
NAMES_SHOWN = 15
BAR_WIDTH = 16
# Eighths of a block, so a bar's length is exact to 1/8 of a character.
_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"
SECTION_LIMIT = 2900  # under Slack's 3000 characters, with room for the code fences


def period_label(days: int) -> str:
    return f"Last {days} days"


def health_modal(
    report: HealthReport,
    *,
    days: int,
    words: Words,
    meetings: MeetingStats | None = None,
    meetings_enabled: bool = False,
    submissions: SubmissionStats | None = None,
    relationships: Sequence[Block] = (),
) -> View:
    """Every figure of the report, for the period picked in the select at the top.

    ``meetings`` are the figures of the meeting requests created in the same period; their
    section says the feature is off when it is and there are none. ``submissions``: the
    admin-routed submissions' own figures, when the program matches (or matched) through admins.
    ``relationships``: the section about pairs after the match (blocks.reports.relationships).
    """
    blocks: list[Block] = [
        _period_select(days),
        context(
            f"Requests created {slack_date(report.start)} – {slack_date(report.now)}. Lists of "
            f"people and “pending now” are as of now, whatever the period."
        ),
        header("Requests"),
        *_requests(report),
        section(_times(report)),
        header("Why requests were declined"),
        section(_reasons(report)),
        *(
            meeting_blocks(meetings, enabled=meetings_enabled, words=words)
            if meetings is not None
            else []
        ),
        *(submission_blocks(submissions, words) if submissions is not None else []),
        *relationships,
        header(words.mentors_title),
        section(_slowest(report, words)),
        section(_at_capacity(report, words)),
        header(words.mentees_title),
        section(_without_mentor(report, words)),
        header("Weekly trend"),
        *(section(chunk) for chunk in trend_sections(report.weekly)),
        context(
            "Each week counts what happened in it: requests sent (the bar), accepted, declined "
            "and expired. Weeks start on Monday (UTC)."
        ),
    ]
    return modal(
        TITLE,
        ViewId.ADMIN_HEALTH,
        blocks,
        close="Done",
        private_metadata=json.dumps({"days": days}),
    )


def _period_select(days: int) -> ActionsBlock:
    choices = [option(period_label(d), str(d)) for d in PERIOD_DAYS]
    chosen = next((c for c in choices if c.value == str(days)), choices[0])
    return ActionsBlock(
        elements=[
            StaticSelectElement(
                action_id=Action.ADMIN_HEALTH_PERIOD,
                placeholder="Period",
                options=choices,
                initial_option=chosen,
            )
        ]
    )


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def _requests(report: HealthReport) -> list[Block]:
    s = report.by_status
    if not report.total_requests:
        return [section("No requests were sent in this period.")]
    decided = sum(
        s[x]
        for x in (
            RequestStatus.ACCEPTED,
            RequestStatus.DECLINED,
            RequestStatus.EXPIRED,
            RequestStatus.CLOSED_BY_ADMIN,
        )
    )
    taken_back = s[RequestStatus.WITHDRAWN] + s[RequestStatus.CANCELLED]
    return [
        fields(
            f"*Sent*\n{report.total_requests}",
            f"*Still pending*\n{s[RequestStatus.PENDING]}",
            f"*Accepted*\n{s[RequestStatus.ACCEPTED]} ({percent(report.acceptance_rate)})",
            f"*Declined*\n{s[RequestStatus.DECLINED]} ({percent(report.decline_rate)})",
            f"*Expired*\n{s[RequestStatus.EXPIRED]} ({percent(report.expiry_rate)})",
            f"*Closed by an admin*\n{s[RequestStatus.CLOSED_BY_ADMIN]}",
            f"*Withdrawn or cancelled*\n{taken_back}",
        ),
        context(
            f"Rates are shares of the {plural(decided, 'request')} with an outcome (accepted, "
            "declined, expired or closed by an admin)."
        ),
    ]


def duration_text(delta: timedelta) -> str:
    """A duration as a person reads it: minutes, hours up to two days, then days."""
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(round(hours * 60), 1)} min"
    if hours < 48:
        return f"{_number(hours)} h"
    return f"{_number(hours / 24)} days"


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _stats(stats: DurationStats, noun: str = "request") -> str:
    if stats.average is None or stats.median is None:
        return "none"
    return (
        f"average {duration_text(stats.average)}, median {duration_text(stats.median)} "
        f"({plural(stats.count, noun)})"
    )


def _times(report: HealthReport) -> str:
    return "\n".join(
        [
            "*How long requests sit pending*",
            "• Until answered (accepted or declined): " + _stats(report.answer_time),
            "• Sent in this period and still waiting: " + _stats(report.waiting_time),
            "• Every request pending now: " + _stats(report.pending_now),
        ]
    )


def meeting_blocks(stats: MeetingStats, *, enabled: bool, words: Words) -> list[Block]:
    """The "One-time meetings" section: counts by status, rates, and how long they wait."""
    title = header("One-time meetings")
    if not stats.total:
        quiet = (
            "No meeting requests were sent in this period."
            if enabled
            else "One-time meetings are turned off in this program."
        )
        return [title, section(quiet)]
    s = stats.by_status
    noun = "meeting request"
    return [
        title,
        fields(
            f"*Requested*\n{stats.total}",
            f"*Still pending*\n{s[RequestStatus.PENDING]}",
            f"*Accepted*\n{s[RequestStatus.ACCEPTED]} ({percent(stats.acceptance_rate)})",
            f"*Declined*\n{s[RequestStatus.DECLINED]} ({percent(stats.decline_rate)})",
            f"*Expired*\n{s[RequestStatus.EXPIRED]} ({percent(stats.expiry_rate)})",
            f"*Closed by an admin*\n{s[RequestStatus.CLOSED_BY_ADMIN]}",
            f"*Withdrawn*\n{s[RequestStatus.WITHDRAWN]}",
        ),
        context(
            f"Meeting requests created in the same period. Rates are shares of the "
            f"{plural(stats.decided, noun)} with an outcome (accepted, declined, expired "
            "because every proposed time passed, or closed by an admin)."
        ),
        section(
            "\n".join(
                [
                    "*How long meeting requests sit pending*",
                    f"• Until the {words.mentor} answered (accepted or declined): "
                    + _stats(stats.time_to_answer, noun),
                    "• Until any outcome (answered, withdrawn, expired or closed): "
                    + _stats(stats.time_pending, noun),
                    "• Sent in this period and still waiting: " + _stats(stats.waiting, noun),
                ]
            )
        ),
    ]


def submission_blocks(stats: SubmissionStats, words: Words) -> list[Block]:
    """The matching queue's own line: submissions by outcome, time to match, waiting now."""
    s = stats.by_status

    def durations(d: DurationStats) -> str:
        if d.average is None or d.median is None:
            return "none"
        return (
            f"average {duration_text(d.average)}, median {duration_text(d.median)} "
            f"({plural(d.count, 'submission')})"
        )

    blocks: list[Block] = [header("Matching queue")]
    if stats.submitted:
        blocks.append(
            fields(
                f"*Submitted*\n{stats.submitted}",
                f"*Still waiting*\n{s[SubmissionStatus.PENDING]}",
                f"*Matched by an admin*\n{s[SubmissionStatus.ASSIGNED]}",
                f"*Closed by an admin*\n{s[SubmissionStatus.CLOSED]}",
                f"*Closed automatically*\n{s[SubmissionStatus.EXPIRED]}",
                "*Withdrawn or cancelled*\n"
                f"{s[SubmissionStatus.WITHDRAWN] + s[SubmissionStatus.CANCELLED]}",
            )
        )
    else:
        blocks.append(section("No preferences were submitted in this period."))
    blocks += [
        section(
            "\n".join(
                [
                    "• Time to match (submitted until an admin assigned a choice): "
                    + durations(stats.time_to_match),
                    "• Every submission waiting now: " + durations(stats.waiting_now),
                ]
            )
        ),
        context(
            f"Each submission counts once, however many {words.mentors} it ranks. The "
            f"{words.mentors} chosen were never asked, so preferences are left out of the "
            f"request figures and of the {words.mentors}' response times."
        ),
    ]
    return blocks


def _reasons(report: HealthReport) -> str:
    if not report.decline_reasons:
        return "No requests were declined in this period."
    total = sum(r.count for r in report.decline_reasons)
    return "\n".join(
        f"• {escape(r.reason) if r.reason else '_No reason given_'}: {r.count} "
        f"({round(100 * r.count / total)}%)"
        for r in report.decline_reasons
    )


def _slowest(report: HealthReport, words: Words) -> str:
    title = f"*Slowest to answer* (requests sent to {words.mentors} in this period)"
    rows = report.mentor_response[:SLOWEST_SHOWN]
    if not rows:
        return f"{title}\nNo {words.mentor} had a request in this period."
    lines = [title]
    for r in rows:
        if r.average is None or r.median is None:
            line = "nothing answered yet"
        else:
            line = (
                f"average {duration_text(r.average)}, median {duration_text(r.median)} "
                f"({r.answered} answered)"
            )
        if r.pending:
            line += f", {r.pending} waiting"
        lines.append(f"• {escape(r.display_name)}: {line}")
    more = len(report.mentor_response) - len(rows)
    if more:
        lines.append(f"_and {plural(more, words.mentor, words.mentors)} faster_")
    return "\n".join(lines)


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _at_capacity(report: HealthReport, words: Words) -> str:
    full = report.mentors_at_capacity
    title = f"*At capacity* ({len(full)})"
    if not full:
        return f"{title}\nEvery {words.mentor} has room for another {words.mentee}."
    return f"{title}\n" + _names(
        [f"{escape(m.display_name)} ({m.active} of {m.capacity})" for m in full]
    )


def _without_mentor(report: HealthReport, words: Words) -> str:
    without = report.mentees_without_mentor
    title = f"*Without {words.a_mentor}* ({len(without)})"
    if not without:
        return f"{title}\nEvery {words.mentee} has {words.a_mentor}."
    never = len(report.mentees_without_request)
    return (
        f"{title}\n"
        + _names([escape(m.display_name) for m in without])
        + f"\n_{never} of them never sent a request._"
    )


def bar(value: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``value`` against ``largest``, exact to an eighth of a character."""
    if largest <= 0 or value <= 0:
        return " " * width
    eighths = max(1, round(value / largest * width * 8))
    full, part = divmod(eighths, 8)
    drawn = _FULL * full + (_EIGHTHS[part] if part else "")
    return drawn.ljust(width)


def trend_lines(weeks: Sequence[WeekTrend]) -> list[str]:
    """The weekly trend as monospaced lines: a bar of requests sent, then the outcomes."""
    largest = max((w.created for w in weeks), default=0)
    lines = [f"{'Week of':<8} {'':<{BAR_WIDTH}} {'sent':>4} {'acc':>4} {'dec':>4} {'exp':>4}"]
    for w in weeks:
        lines.append(
            f"{w.week_start:%b %d}   {bar(w.created, largest)} {w.created:>4} "
            f"{w.accepted:>4} {w.declined:>4} {w.expired:>4}"
        )
    return lines


def trend_sections(weeks: Sequence[WeekTrend]) -> list[str]:
    """The chart in code blocks, split so no section passes Slack's 3000 characters."""
    lines = trend_lines(weeks)
    head, rows = lines[0], lines[1:]
    chunks: list[list[str]] = [[]]
    for line in rows:
        size = sum(len(x) + 1 for x in chunks[-1]) + len(head) + len(line)
        if chunks[-1] and size > SECTION_LIMIT:
            chunks.append([])
        chunks[-1].append(line)
    return ["```\n" + "\n".join([head, *chunk]) + "\n```" for chunk in chunks]
