"""The fake workspace as the app sees it: triggers, views, files, tokens and traffic.

Members, conversations and messages live in the :class:`Workspace` base. Everything sits
behind one re-entrant lock; the HTTP server runs each Web API call whole under it, so a test
never observes half a call. Time comes from two injectable clocks: ``clock`` (monotonic, for
trigger expiry and rate limits) and ``wall_clock`` (epoch seconds, for message timestamps and
time zone offsets).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from typing import Any

from fakeslack.errors import ApiError
from fakeslack.faults import Fault, RateLimit
from fakeslack.records import (
    CallRecord,
    ResponsePost,
    ResponseUrl,
    Team,
    UploadedFile,
    ViewRecord,
)
from fakeslack.traffic import Traffic
from fakeslack.workspace import Workspace

DEFAULT_SCOPES = (
    "chat:write",
    "commands",
    "im:write",
    "mpim:write",
    "users:read",
    "users:read.email",
    "team:read",
    "files:write",
)
TOKEN_PREFIXES = ("xoxb-test", "xoxp-test")


class SlackState(Workspace):
    """A thread-safe, in-memory Slack workspace for the fake Web API and for tests.

    Args:
        clock: Monotonic seconds, for trigger expiry and rate limits.
        wall_clock: Epoch seconds, for message timestamps and time zone offsets.
        trigger_ttl: How long a trigger_id stays usable (Slack: 3 seconds).
        expire_triggers: False keeps trigger_ids usable forever (slow debuggers, notebooks).
        scopes: Bot scopes, reported in ``X-OAuth-Scopes`` and by oauth.v2.access.
        installer_user_id: Whom ``xoxp-test*`` user tokens belong to.
    """

    def __init__(
        self,
        *,
        team_id: str = "T0TEST",
        team_name: str = "Mentor Match Test",
        team_domain: str = "mentor-match-test",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A0APP",
        bot_name: str = "mentor_match",
        bot_token: str = "xoxb-test-bot",  # noqa: S107 - the fake only accepts xoxb-test*
        scopes: Sequence[str] = DEFAULT_SCOPES,
        installer_user_id: str = "U0INSTALLER",
        client_id: str = "test-client-id",
        client_secret: str = "test-client-secret",  # noqa: S107 - a fake's fake secret
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        trigger_ttl: float = 3.0,
        expire_triggers: bool = True,
    ) -> None:
        super().__init__(
            Team(team_id, team_name, team_domain),
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            wall_clock=wall_clock,
        )
        self.bot_token = bot_token
        self.scopes = list(scopes)
        self.installer_user_id = installer_user_id
        self.client_id, self.client_secret = client_id, client_secret
        self.clock = clock
        self.trigger_ttl, self.expire_triggers = trigger_ttl, expire_triggers
        self.base_url: str | None = None  # set by FakeSlack once it listens
        self.traffic = Traffic(self.lock, clock)
        self._triggers: dict[str, tuple[str | None, float, bool]] = {}
        self.views: dict[str, ViewRecord] = {}
        self.modal_stacks: dict[str, list[str]] = {}
        self.home_views: dict[str, str] = {}
        self._files: dict[str, UploadedFile] = {}
        self._response_urls: dict[str, ResponseUrl] = {}
        self._response_posts: list[ResponsePost] = []
        self._oauth_codes: dict[str, tuple[str | None, list[str]]] = {}
        self._oauth_teams: dict[str, Team] = {}  # code or minted token -> another workspace
        self._revoked: set[str] = set()
        self.add_user(bot_user_id, name=bot_name, real_name="Mentor Match", is_bot=True)

    # -- triggers and views --------------------------------------------------------------

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """Issue a trigger_id (single use, expiring ``trigger_ttl`` seconds from now)."""
        with self.lock:
            n = next(self._serial)
            digest = hashlib.blake2s(f"trigger{n}".encode(), digest_size=6).hexdigest()
            trigger = f"{n}.{int(self.wall_clock())}.{digest}"
            self._triggers[trigger] = (user_id, self.clock(), False)
            return trigger

    def exchange_trigger(self, trigger_id: str) -> str | None:
        """Use up a trigger_id; the user it was issued for.

        Raises:
            ApiError: ``invalid_trigger_id``, ``exchanged_trigger_id`` or ``expired_trigger_id``.
        """
        with self.lock:
            found = self._triggers.get(trigger_id)
            if found is None:
                raise ApiError("invalid_trigger_id")
            user_id, issued_at, used = found
            if used:
                raise ApiError("exchanged_trigger_id")
            if self.expire_triggers and self.clock() - issued_at > self.trigger_ttl:
                raise ApiError("expired_trigger_id")
            self._triggers[trigger_id] = (user_id, issued_at, True)
            return user_id

    def view(self, view_id: str) -> ViewRecord | None:
        """A modal or Home view by id, if it exists."""
        with self.lock:
            return self.views.get(view_id)

    def views_for(self, user_id: str) -> list[ViewRecord]:
        """The user's open modal stack, root first (empty when no modal is open)."""
        with self.lock:
            return [self.views[v] for v in self.modal_stacks.get(user_id, ())]

    def home(self, user_id: str) -> ViewRecord | None:
        """The Home tab last published for ``user_id``, if any."""
        with self.lock:
            view_id = self.home_views.get(user_id)
            return self.views[view_id] if view_id else None

    def close_modals(self, user_id: str) -> None:
        """The user closes every open modal (what a ``clear`` response does too)."""
        with self.lock:
            for view_id in self.modal_stacks.pop(user_id, []):
                self.views[view_id].closed = True

    def apply_submission_ack(self, view_id: str, ack_body: str | bytes) -> None:
        """Do to the modal stack what Slack does with an app's answer to a view_submission.

        An empty answer closes the submitted view; ``response_action`` ``clear`` closes all,
        ``update`` replaces it, ``push`` stacks a new one, ``errors`` leaves it open.
        """
        from fakeslack.surfaces import apply_submission_ack  # surfaces imports this module

        apply_submission_ack(self, view_id, ack_body)

    # -- files, response_urls, OAuth -----------------------------------------------------

    def add_file(self, upload: UploadedFile) -> None:
        """Remember a file announced by files.getUploadURLExternal."""
        with self.lock:
            self._files[upload.id] = upload

    def file(self, file_id: str) -> UploadedFile | None:
        """An uploaded file by id, if any."""
        with self.lock:
            return self._files.get(file_id)

    def files(self) -> list[UploadedFile]:
        """Every file, in the order they were announced."""
        with self.lock:
            return list(self._files.values())

    def new_response_url(
        self,
        channel_id: str | None = None,
        user_id: str | None = None,
        *,
        message_ts: str | None = None,
        is_ephemeral: bool = False,
    ) -> str:
        """Issue a response_url on this fake for an interaction in ``channel_id``."""
        with self.lock:
            if self.base_url is None:
                raise RuntimeError("response_urls need a running FakeSlack (base_url unset)")
            target = ResponseUrl(self.new_id("R"), channel_id, user_id, message_ts, is_ephemeral)
            self._response_urls[target.id] = target
            return f"{self.base_url}response/{target.id}"

    def response_url(self, url_id: str) -> ResponseUrl | None:
        """A response_url target by its id (the last path segment)."""
        with self.lock:
            return self._response_urls.get(url_id)

    def record_response_post(self, post: ResponsePost) -> None:
        """Remember a payload an app sent to a response_url."""
        with self.lock:
            self._response_posts.append(post)

    def response_posts(self) -> list[ResponsePost]:
        """Every payload apps sent to response_urls, oldest first."""
        with self.lock:
            return list(self._response_posts)

    def new_oauth_code(
        self,
        user_id: str | None = None,
        *,
        scopes: Sequence[str] = (),
        team_id: str | None = None,
        team_name: str | None = None,
    ) -> str:
        """Issue a code oauth.v2.access will exchange once (as Slack's redirect would carry).

        With ``team_id``, the code installs the app into that (other) workspace: the token it
        yields reports that team in oauth.v2.access and auth.test, so one fake can stand in
        for several workspaces of a multi-workspace app.
        """
        with self.lock:
            code = f"{next(self._serial)}.{int(self.wall_clock())}.fakecode"
            self._oauth_codes[code] = (user_id, list(scopes) or list(self.scopes))
            if team_id is not None and team_id != self.team.id:
                name = team_name or team_id
                self._oauth_teams[code] = Team(team_id, name, team_id.lower())
            return code

    def exchange_oauth_code(self, code: str) -> tuple[str | None, list[str]] | None:
        """Use up an OAuth code: (installing user, bot scopes), or None if unknown or used."""
        with self.lock:
            return self._oauth_codes.pop(code, None)

    def oauth_team(self, code_or_token: str | None) -> Team:
        """The workspace an OAuth code installs into, or a token minted from it belongs to."""
        with self.lock:
            return self._oauth_teams.get(code_or_token or "", self.team)

    def bind_oauth_token(self, code: str, token: str) -> None:
        """Remember that ``token`` was minted from ``code`` (so it reports the same team)."""
        with self.lock:
            team = self._oauth_teams.pop(code, None)
            if team is not None:
                self._oauth_teams[token] = team

    # -- tokens and traffic --------------------------------------------------------------

    def revoke_token(self, token: str) -> None:
        """Make ``token`` answer ``token_revoked`` from now on."""
        with self.lock:
            self._revoked.add(token)

    def check_token(self, token: str | None) -> None:
        """Raise the auth error Slack would give ``token``; return if it is accepted."""
        if not token:
            raise ApiError("not_authed")
        with self.lock:
            if token in self._revoked:
                raise ApiError("token_revoked")
        if not token.startswith(TOKEN_PREFIXES):
            raise ApiError("invalid_auth")

    def calls(self, method: str | None = None) -> list[CallRecord]:
        """Web API calls answered so far, optionally only those to ``method``."""
        return self.traffic.calls(method)

    def reset_calls(self) -> None:
        """Forget the call log."""
        self.traffic.reset_calls()

    def inject(self, method: str, *faults: Fault) -> None:
        """Queue faults for ``method`` ("*" for any); each call consumes one."""
        self.traffic.inject(method, *faults)

    def set_rate_limit(self, method: str, limit: RateLimit | None) -> None:
        """Rate-limit ``method`` (``None`` lifts it); calls over the limit get 429."""
        self.traffic.set_rate_limit(method, limit)

    def snapshot(self) -> dict[str, Any]:
        """Counts of what the workspace holds, handy in failure messages."""
        with self.lock:
            return {
                "users": len(self._users),
                "conversations": len(self._conversations),
                "messages": sum(len(v) for v in self._messages.values()),
                "ephemerals": len(self._ephemerals),
                "views": len(self.views),
                "files": len(self._files),
            }
