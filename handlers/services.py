"""What every listener needs, built once by the app factory and put into Bolt's context."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy.orm import Session

from mentoring.program.settings import get_settings
from mentoring.program.workspaces import ensure_workspace
from store.db import Database

log = logging.getLogger(__name__)
ADMIN_CACHE_SECONDS = 600
# A Slack admin's "yes" is trusted for one minute only: someone whose admin role was taken away
# in Slack loses the program's admin tools within a minute, not ten.
ADMIN_YES_CACHE_SECONDS = 60
USERS_PAGE = 200  # users.list page size Slack recommends


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The database, the clock, Slack clients, and the admin check."""

    db: Database
    client_for: Callable[[str], WebClient]
    admin_user_ids: frozenset[str] = frozenset()
    clock: Callable[[], datetime] = utc_now
    deliver: Callable[[], None] = lambda: None  # set by the app factory
    _known_teams: set[str] = field(default_factory=set)
    # Cached answers from Slack, with when they were asked (by ``clock``, so tests move it).
    _slack_admins: dict[tuple[str, str], tuple[bool, datetime]] = field(default_factory=dict)
    _admin_lists: dict[str, tuple[tuple[str, ...], float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> datetime:
        return self.clock()

    def ensure_team(self, team_id: str) -> None:
        """Register a workspace the first time it talks to us (cached afterwards)."""
        if team_id in self._known_teams:
            return
        with self.db.write() as session:
            ensure_workspace(session=session, team_id=team_id, now=self.now())
        with self._lock:
            self._known_teams.add(team_id)

    def admin_known(self, team_id: str, user_id: str) -> bool | None:
        """Admin rights as far as they are known without asking Slack; None when only Slack
        can tell (the program counts Slack's admins and no fresh answer is cached)."""
        if user_id in self.admin_user_ids:
            return True
        with self.db.read() as session:
            if not get_settings(session=session, team_id=team_id).admins_from_slack:
                return False
        cached = self._slack_admins.get((team_id, user_id))
        if cached:
            answer, at = cached
            lifetime = ADMIN_YES_CACHE_SECONDS if answer else ADMIN_CACHE_SECONDS
            if (self.now() - at).total_seconds() < lifetime:
                return answer
        return None

    def is_admin(self, team_id: str, user_id: str) -> bool:
        """ADMIN_USER_IDS, plus Slack's workspace admins and owners when the program allows it.

        May ask Slack (users.info): never between a trigger's arrival and its use, nor before
        an ack; :meth:`admin_known` says whether it would.
        """
        known = self.admin_known(team_id, user_id)
        if known is not None:
            return known
        key = (team_id, user_id)
        try:
            user = self.client_for(team_id).users_info(user=user_id)["user"]
            answer = bool(user.get("is_admin") or user.get("is_owner")) and not user.get("deleted")
        except (SlackClientError, OSError):
            # Refused, rate limited, or unreachable: no admin rights without a clear yes.
            log.warning("users.info failed while checking admin rights of %s", user_id)
            return False
        with self._lock:
            self._slack_admins[key] = (answer, self.now())
        return answer

    def admins_to_tell(self, team_id: str) -> list[str]:
        """Everyone who should hear an admin notice: ADMIN_USER_IDS and, when the program counts
        them, Slack's workspace admins (may call Slack: never between a trigger and its use, nor
        before an ack)."""
        return sorted(self.admin_user_ids | set(self.slack_admins(team_id)))

    def tell_slack_admins_too(
        self, team_id: str, tell: Callable[[Session, list[str]], object]
    ) -> None:
        """Tell Slack's workspace admins who are not in ADMIN_USER_IDS, when they count as
        admins here: ``tell(session, admins)`` in a write transaction of its own.

        For after an ack: listing them may take several Slack calls. The configured admins were
        told in the action's own transaction; dedupe keys make sure nobody hears it twice.
        """
        extra = [a for a in self.slack_admins(team_id) if a not in self.admin_user_ids]
        if extra:
            with self.db.write() as session:
                tell(session, extra)

    def slack_admins(self, team_id: str) -> tuple[str, ...]:
        """The workspace's Slack admins and owners, when the program counts them as admins.

        Empty when ``admins_from_slack`` is off. Read with users.list (every page), cached like
        the single-user check; when Slack refuses or cannot be reached the answer is empty (and
        not cached), so callers fall back to ADMIN_USER_IDS alone.
        """
        with self.db.read() as session:
            if not get_settings(session=session, team_id=team_id).admins_from_slack:
                return ()
        cached = self._admin_lists.get(team_id)
        if cached and time.monotonic() - cached[1] < ADMIN_CACHE_SECONDS:
            return cached[0]
        found: list[str] = []
        try:
            cursor: str | None = None
            while True:
                page = self.client_for(team_id).users_list(limit=USERS_PAGE, cursor=cursor)
                found += [
                    str(u["id"])
                    for u in page.get("members") or []
                    if (u.get("is_admin") or u.get("is_owner"))
                    and not u.get("deleted")
                    and not u.get("is_bot")
                ]
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except (SlackClientError, OSError):  # an API error, or Slack out of reach
            log.warning("users.list failed while listing the Slack admins of %s", team_id)
            return ()
        admins = tuple(sorted(set(found)))
        with self._lock:
            self._admin_lists[team_id] = (admins, time.monotonic())
        return admins
