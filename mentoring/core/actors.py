"""Who acts: a Slack user verified (or not) as an admin, or the system's own sweep."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring.core.errors import NotAllowed

SYSTEM_SWEEP = "system:sweep"
# Slack told us someone left the workspace (user_change with ``deleted``).
SYSTEM_DEPARTURE = "system:departure"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a Slack user id, and whether the bot layer verified them as an admin."""

    user_id: str
    is_admin: bool = False


def require_admin(actor: Actor) -> None:
    """Admin operations refuse anyone the bot layer did not verify as an admin."""
    if not actor.is_admin:
        raise NotAllowed("Only program admins can do that.")
