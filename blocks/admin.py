"""Admin summaries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import Block

from blocks.kit import context, header, section
from blocks.text import age, escape, plural
from mentoring.admin import PendingLine
from mentoring.home import AdminSummary


def pending_summary(
    summary: AdminSummary, pending: Sequence[PendingLine], *, now: datetime, mentor_word: str
) -> tuple[str, list[Block]]:
    """Counts, then the requests that have waited longest."""
    counts = (
        f"{plural(summary.pending_requests, 'request')} pending · "
        f"{plural(summary.active_relationships, 'active pair')} · "
        f"{plural(summary.mentors, mentor_word)} · "
        f"{plural(summary.failed_notifications, 'failed notification')}"
    )
    blocks: list[Block] = [header("Mentoring program"), section(counts)]
    if pending:
        lines = [
            f"• {escape(p.mentee.display_name)} → {escape(p.mentor.display_name)} · waiting "
            f"{age(p.request.created_at, now)} · {plural(p.request.reminder_count, 'reminder')}"
            for p in pending
        ]
        blocks.append(section("*Waiting longest*\n" + "\n".join(lines)))
    else:
        blocks.append(context("No requests are waiting for an answer."))
    return counts, blocks
