"""The fake workspace as the app sees it: triggers, views, files, tokens and traffic.

Members, conversations and messages live in the :class:`Workspace` base. Everything sits
behind one re-entrant lock; the HTTP server runs each Web API call whole under it, so a test
never observes half a call. Time comes from two injectable clocks: ``clock`` (monotonic, for
trigger expiry, response_url lifetimes and rate limits) and ``wall_clock`` (epoch seconds, for
message timestamps and time zone offsets).

Every Slack rule the fake knows is on by default; a test that needs one off says so by name
(``expire_triggers=False``, ``allow_open_over_modal=True``, ``rate_limits=False``, ...).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from fakeslack.errors import ApiError, LateAck
from fakeslack.faults import Fault, RateLimit
from fakeslack.policy import MANIFEST, default_rate_limits, manifest_home_tab, manifest_scopes
from fakeslack.records import (
    CallRecord,
    ResponsePost,
    ResponseUrl,
    Team,
    UploadedFile,
    ViewRecord,
)
from fakeslack.traffic import Traffic
from fakeslack.triggers import Source, Trigger, exchange, new_trigger_id
from fakeslack.workspace import Workspace

T = TypeVar("T")

# The bot scopes of the repository's manifest.yml (a test keeps them equal); use
# SlackState.from_manifest() to read them from a manifest instead.
DEFAULT_SCOPES = (
    "chat:write",
    "commands",
    "files:write",
    "im:write",
    "mpim:write",
    "users:read",
    "users:read.email",
)
TOKEN_PREFIXES = ("xoxb-test", "xoxp-test")
ACK_TIMEOUT = 3.0  # seconds Slack waits for the HTTP answer to anything it sends an app
RESPONSE_URL_TTL = 30 * 60.0  # "up to 5 times within 30 minutes"


class SlackState(Workspace):
    """A thread-safe, in-memory Slack workspace for the fake Web API and for tests.

    Args:
        clock: Monotonic seconds, for trigger expiry, response_urls and rate limits.
        wall_clock: Epoch seconds, for message timestamps and time zone offsets.
        trigger_ttl: How long a trigger_id stays usable (Slack: 3 seconds).
        expire_triggers: False keeps trigger_ids usable forever (a human at the console).
        scopes: The bot token's scopes: reported in ``X-OAuth-Scopes``, granted by
            oauth.v2.access, and required by each method (``missing_scope`` otherwise).
        user_scopes: The scopes of ``xoxp-test*`` user tokens.
        home_tab: Whether the app's Home tab is on (views.publish answers ``not_enabled``
            otherwise); the repository's manifest turns it on.
        installer_user_id: Whom ``xoxp-test*`` user tokens belong to.
        ack_timeout: Seconds an app has to answer what Slack sends it (Slack: 3).
        rate_limits: False switches Slack's per-method rate limits off (see
            :meth:`set_rate_limit` to relax or tighten one method instead).
        allow_open_over_modal: True lets views.open use a trigger from inside an open modal
            (Slack does not support it; the fake refuses it by default).
        allow_push_from_elsewhere: True lets views.push use a trigger from outside the modal
            stack it pushes onto (refused by default, as views.push's reference requires).
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
        home_tab: bool = True,
        installer_user_id: str = "U0INSTALLER",
        client_id: str = "test-client-id",
        client_secret: str = "test-client-secret",  # noqa: S107 - a fake's fake secret
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        trigger_ttl: float = 3.0,
        expire_triggers: bool = True,
        user_scopes: Sequence[str] = (),
        ack_timeout: float = ACK_TIMEOUT,
        rate_limits: bool = True,
        allow_open_over_modal: bool = False,
        allow_push_from_elsewhere: bool = False,
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
        self.home_tab = home_tab
        self.user_scopes = list(user_scopes)
        self.installer_user_id = installer_user_id
        self.client_id, self.client_secret = client_id, client_secret
        self.clock = clock
        self.trigger_ttl, self.expire_triggers = trigger_ttl, expire_triggers
        self.ack_timeout = ack_timeout
        self.allow_open_over_modal = allow_open_over_modal
        self.allow_push_from_elsewhere = allow_push_from_elsewhere
        self.base_url: str | None = None  # set by FakeSlack once it listens
        self.traffic = Traffic(
            self.lock, lambda: self.clock(), default_rate_limits() if rate_limits else {}
        )
        self._triggers: dict[str, Trigger] = {}
        self._token_scopes: dict[str, list[str]] = {}
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

    @classmethod
    def from_manifest(cls, manifest: Path = MANIFEST, **kwargs: Any) -> SlackState:
        """A workspace whose bot token holds exactly the bot scopes ``manifest`` asks for,
        with the Home tab on or off as it says."""
        return cls(scopes=manifest_scopes(manifest), home_tab=manifest_home_tab(manifest), **kwargs)

    # -- triggers and views --------------------------------------------------------------

    def new_trigger_id(
        self, user_id: str | None = None, *, source: Source = "command", view_id: str | None = None
    ) -> str:
        """Issue a trigger_id (single use, expiring ``trigger_ttl`` seconds from now).

        Args:
            user_id: Whose interaction it comes with.
            source: Where the interaction happened (a slash command by default).
            view_id: The modal view clicked in or submitted, for ``modal``/``submission``.
        """
        if (source in ("modal", "submission")) != (view_id is not None):
            raise ValueError("a trigger from a modal names its view_id, and only then")
        with self.lock:
            trigger_id = new_trigger_id(next(self._serial), self.wall_clock())
            self._triggers[trigger_id] = Trigger(
                trigger_id, user_id, self.clock(), source=source, view_id=view_id
            )
            return trigger_id

    def trigger(self, trigger_id: str) -> Trigger | None:
        """A trigger_id the fake issued, with where it came from."""
        with self.lock:
            return self._triggers.get(trigger_id)

    def exchange_trigger(self, trigger_id: str) -> Trigger:
        """Use up a trigger_id; the trigger (its user and origin).

        Raises:
            ApiError: ``invalid_trigger_id``, ``exchanged_trigger_id`` or ``expired_trigger_id``.
        """
        with self.lock:
            ttl = self.trigger_ttl if self.expire_triggers else None
            return exchange(self._triggers.get(trigger_id), self.clock(), ttl)

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

    def apply_submission_ack(
        self, view_id: str, ack_body: str | bytes, *, elapsed: float = 0.0
    ) -> None:
        """Do to the modal stack what Slack does with an app's answer to a view_submission.

        An empty answer closes the submitted view; ``response_action`` ``clear`` closes all,
        ``update`` replaces it, ``push`` stacks a new one, ``errors`` leaves it open.

        Args:
            view_id: The submitted view.
            ack_body: The app's HTTP answer.
            elapsed: Seconds the app took to answer.

        Raises:
            LateAck: ``elapsed`` exceeds ``ack_timeout``: Slack dropped the answer (nothing
                is applied; the person saw an error).
            AnswerRefused: Slack would not accept the answer (the person sees an error).
        """
        from fakeslack.surfaces import apply_submission_ack  # surfaces imports this module

        if elapsed > self.ack_timeout:
            raise LateAck(elapsed, self.ack_timeout, "view_submission")
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
            target = ResponseUrl(
                self.new_id("R"), channel_id, user_id, message_ts, is_ephemeral, self.clock()
            )
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

    def bind_oauth_token(self, code: str, token: str, scopes: Sequence[str]) -> None:
        """Remember that ``token`` was minted from ``code``: its team and granted scopes."""
        with self.lock:
            team = self._oauth_teams.pop(code, None)
            if team is not None:
                self._oauth_teams[token] = team
            self._token_scopes[token] = list(scopes)

    # -- tokens and traffic --------------------------------------------------------------

    def revoke_token(self, token: str) -> None:
        """Make ``token`` answer ``token_revoked`` from now on."""
        with self.lock:
            self._revoked.add(token)

    def scopes_of(self, token: str | None) -> list[str]:
        """The scopes ``token`` holds (bot scopes, user scopes, or what its install granted)."""
        with self.lock:
            granted = self._token_scopes.get(token or "")
        if granted is not None:
            return list(granted)
        if str(token).startswith("xoxp-"):
            return list(self.user_scopes)
        return list(self.scopes)

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

    def wait_for(self, condition: Callable[[], T], timeout: float = 30.0) -> T | None:
        """Block until ``condition()`` holds, re-checked after every answered call (see
        :meth:`Traffic.wait_for`); its last value (falsy when ``timeout`` passed first)."""
        return self.traffic.wait_for(condition, timeout)

    def reset_calls(self) -> None:
        """Forget the call log."""
        self.traffic.reset_calls()

    def inject(self, method: str, *faults: Fault) -> None:
        """Queue faults for ``method`` ("*" for any); each call consumes one."""
        self.traffic.inject(method, *faults)

    def set_rate_limit(self, method: str, limit: RateLimit | None) -> None:
        """Relax or tighten ``method``'s rate limit (``None`` lifts it); calls over get 429."""
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
