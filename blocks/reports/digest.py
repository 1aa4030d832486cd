"""Admin summaries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import Block

from blocks.kit import context, header, section
from blocks.routing.queue import digest_queue_section, escalation_queue_section
from blocks.text import age, escape, plural, slack_date
from mentoring.relationships.at_risk import reason_words
from mentoring.reports.digest import EXPIRY_WARNING, Digest, PendingLine
from mentoring.routing.queue import QueueSummary
from store.enums import RequestKind


def _pair(p: PendingLine) -> str:
    """Who sent it to whom: a mentor's offer goes from the mentor to the mentee."""
    mentee, mentor = escape(p.mentee.display_name), escape(p.mentor.display_name)
    if p.request.kind is RequestKind.MENTOR_OFFER:
        return f"{mentor} → {mentee} (offer)"
    return f"{mentee} → {mentor}"


def _lines(lines: Sequence[PendingLine], now: datetime) -> str:
    return "\n".join(
        f"• {_pair(p)} · waiting "
        f"{age(p.request.created_at, now)} · {plural(p.request.reminder_count, 'reminder')}"
        for p in lines
    )


def escalation_notice(
    lines: Sequence[PendingLine],
    total: int,
    *,
    now: datetime,
    queue: QueueSummary | None = None,
) -> tuple[str, list[Block]]:
    """Tell an admin which requests have waited past the escalation threshold.

    ``queue``: the submissions of the matching queue that waited as long for an admin; they are
    counted once each, never listed as requests.
    """
    said: list[str] = []
    blocks: list[Block] = []
    if total:
        said.append(f"{plural(total, 'request')} waited too long for an answer.")
        blocks += [
            section(f":rotating_light: *{escape(said[-1])}*"),
            section(_lines(lines, now) or "They have been answered since."),
            context("Remind or close them from `/mentor-admin`."),
        ]
    if queue is not None and queue.waiting:
        said.append(f"{plural(queue.waiting, 'submission')} waited too long in the matching queue.")
        if not total:
            blocks.append(section(f":rotating_light: *{said[-1]}*"))
        blocks.append(escalation_queue_section(queue, now=now))
    return " ".join(said), blocks


def digest_notice(digest: Digest, *, now: datetime) -> tuple[str, list[Block]]:
    """The weekly summary for admins."""
    text = f"Weekly mentoring digest: {plural(digest.pending, 'request')} pending"
    if digest.queue.waiting:
        text += f", {plural(digest.queue.waiting, 'submission')} waiting to be matched"
    text += "."
    blocks: list[Block] = [header("Weekly mentoring digest"), section(escape(text))]
    if digest.oldest:
        blocks.append(section("*Waiting longest*\n" + _lines(digest.oldest, now)))
    if digest.expiring_soon:
        blocks.append(
            section("*Closing automatically within 2 days*\n" + _lines(digest.expiring_soon, now))
        )
    if digest.queue.waiting:
        blocks.append(
            digest_queue_section(
                digest.queue,
                digest.queue_closing_soon,
                now=now,
                warning_days=EXPIRY_WARNING.days,
            )
        )
    if digest.at_risk_count or digest.ending_soon:
        blocks.append(section(_pairs(digest)))
    blocks.append(context("Type `/mentor-admin` for the full dashboard."))
    return text, blocks


def _pairs(digest: Digest) -> str:
    """Pairs at risk (a few named, with why and since when) and terms ending soon."""
    lines = [f"*{plural(digest.at_risk_count, 'pair')} at risk*"]
    lines += [
        f"• {escape(p.mentor.display_name)} & {escape(p.mentee.display_name)}: "
        f"{reason_words(p.relationship.at_risk_reason)}"
        + (f", since {slack_date(since)}" if (since := p.relationship.at_risk_since) else "")
        for p in digest.at_risk
    ]
    if digest.ending_soon:
        lines.append(
            f"{plural(digest.ending_soon, 'relationship')} reach the end of their term "
            "within 30 days."
        )
    lines.append("`/mentor-admin relationships` to nudge or end them.")
    return "\n".join(lines)
