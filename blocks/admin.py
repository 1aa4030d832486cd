"""Admin summaries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import Block

from blocks.kit import context, header, section
from blocks.text import age, escape, plural
from mentoring.admin import Digest, PendingLine
from mentoring.home import AdminSummary
from mentoring.wording import plural_noun


def pending_summary(
    summary: AdminSummary, pending: Sequence[PendingLine], *, now: datetime, mentor_word: str
) -> tuple[str, list[Block]]:
    """Counts, then the requests that have waited longest."""
    counts = (
        f"{plural(summary.pending_requests, 'request')} pending · "
        f"{plural(summary.active_relationships, 'active pair')} · "
        f"{plural(summary.mentors, mentor_word, plural_noun(mentor_word))} · "
        f"{plural(summary.failed_notifications, 'failed notification')}"
    )
    blocks: list[Block] = [header("Mentoring program"), section(counts)]
    if pending:
        blocks.append(section("*Waiting longest*\n" + _lines(pending, now)))
    else:
        blocks.append(context("No requests are waiting for an answer."))
    return counts, blocks


def _lines(lines: Sequence[PendingLine], now: datetime) -> str:
    return "\n".join(
        f"• {escape(p.mentee.display_name)} → {escape(p.mentor.display_name)} · waiting "
        f"{age(p.request.created_at, now)} · {plural(p.request.reminder_count, 'reminder')}"
        for p in lines
    )


def escalation_notice(
    lines: Sequence[PendingLine], total: int, *, now: datetime
) -> tuple[str, list[Block]]:
    """Tell an admin which requests have waited past the escalation threshold."""
    text = f"{plural(total, 'request')} waited too long for an answer."
    blocks: list[Block] = [
        section(f":rotating_light: *{escape(text)}*"),
        section(_lines(lines, now) or "They have been answered since."),
        context("Remind or close them from `/mentor-admin`."),
    ]
    return text, blocks


def digest_notice(digest: Digest, *, now: datetime) -> tuple[str, list[Block]]:
    """The weekly summary for admins."""
    text = f"Weekly mentoring digest: {plural(digest.pending, 'request')} pending."
    blocks: list[Block] = [header("Weekly mentoring digest"), section(escape(text))]
    if digest.oldest:
        blocks.append(section("*Waiting longest*\n" + _lines(digest.oldest, now)))
    if digest.expiring_soon:
        blocks.append(
            section("*Closing automatically within 2 days*\n" + _lines(digest.expiring_soon, now))
        )
    blocks.append(context("Type `/mentor-admin` for the full dashboard."))
    return text, blocks
