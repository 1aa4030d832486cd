"""Text helpers for Block Kit: escaping user text, truncating to Slack's limits, dates."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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


def zone(tz: str) -> ZoneInfo:
    """The IANA zone ``tz``, or UTC when the name is unknown."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_words(moment: datetime, tz: str) -> str:
    """A moment as a person in ``tz`` reads it: "Thu 5 Mar 2026, 10:00 GMT"."""
    local = moment.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname() or tz}"


def slack_datetime(moment: datetime, fallback_tz: str = "UTC") -> str:
    """A date and time every reader sees in their own timezone (Slack's ``<!date>``).

    The fallback (shown where Slack cannot format it) is the time in ``fallback_tz``.
    """
    stamp = int(moment.timestamp())
    fallback = local_words(moment, fallback_tz)
    return f"<!date^{stamp}^{{date_long_pretty}} at {{time}}|{fallback}>"


def duration_words(delta: timedelta) -> str:
    """A typical waiting time in round words ("an hour", "5 hours", "3 days")."""
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return "an hour"
    if hours < 48:
        return plural(round(hours), "hour")
    return plural(round(hours / 24), "day")


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
