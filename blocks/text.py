"""Text helpers for Block Kit: escaping user text, truncating to Slack's limits, dates."""

from __future__ import annotations

from datetime import datetime, timedelta


def escape(text: str) -> str:
    """Escape user text for mrkdwn so ``<!channel>`` or ``<@U1>`` cannot ping anyone.

    Slack asks apps to escape exactly these three characters; slack_sdk has no helper for it.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut text to ``limit`` characters, ending with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote(text: str, limit: int = 2500) -> str:
    """User text as an escaped mrkdwn block quote."""
    body = escape(truncate(text.strip(), limit))
    return "\n".join(f">{line}" for line in body.splitlines()) or ">"


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def slack_date(moment: datetime, fallback_format: str = "%b %d, %Y") -> str:
    """A date every reader sees in their own timezone (Slack's ``<!date>`` formatting)."""
    fallback = moment.strftime(fallback_format)
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}}|{fallback}>"


def age(since: datetime, now: datetime) -> str:
    """How long ago, in words a person reads at a glance ("3 days", "5 hours")."""
    delta = max(now - since, timedelta(0))
    if delta >= timedelta(days=1):
        return plural(delta.days, "day")
    if delta >= timedelta(hours=1):
        return plural(delta.seconds // 3600, "hour")
    return plural(max(delta.seconds // 60, 1), "minute")


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural_word or word + 's')}"


def capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]
