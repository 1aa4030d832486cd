"""What the fake workspace remembers, each record able to render itself as Slack's JSON."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

JsonDict = dict[str, Any]


@dataclass(slots=True)
class Team:
    """The workspace."""

    id: str
    name: str
    domain: str

    @property
    def url(self) -> str:
        return f"https://{self.domain}.slack.com/"

    def to_api(self) -> JsonDict:
        """``team`` as team.info returns it."""
        return {
            "id": self.id,
            "name": self.name,
            "domain": self.domain,
            "email_domain": "",
            "icon": {"image_default": True},
        }


@dataclass(slots=True)
class User:
    """A member (or bot user) of the workspace."""

    id: str
    team_id: str
    name: str
    real_name: str
    display_name: str
    tz: str
    email: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    deleted: bool = False
    is_bot: bool = False
    bot_id: str | None = None

    def tz_offset(self, at: float) -> int:
        """Seconds east of UTC at wall-clock time ``at`` (follows daylight saving)."""
        offset = datetime.fromtimestamp(at, tz=UTC).astimezone(ZoneInfo(self.tz)).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def tz_label(self, at: float) -> str:
        """The zone's abbreviation at ``at`` (Slack shows a long name; tests need no more)."""
        moment = datetime.fromtimestamp(at, tz=UTC).astimezone(ZoneInfo(self.tz))
        return moment.tzname() or self.tz

    def to_api(self, at: float) -> JsonDict:
        """``user`` as users.info returns it, time zone fields computed for ``at``."""
        image = f"https://a.slack-edge.test/avatars/{self.id}"
        profile: JsonDict = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.display_name,
            "display_name_normalized": self.display_name,
            "image_24": f"{image}-24.png",
            "image_32": f"{image}-32.png",
            "image_48": f"{image}-48.png",
            "image_72": f"{image}-72.png",
            "image_192": f"{image}-192.png",
            "team": self.team_id,
        }
        if self.email is not None:
            profile["email"] = self.email
        if self.bot_id is not None:
            profile["bot_id"] = self.bot_id
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": self.tz_label(at),
            "tz_offset": self.tz_offset(at),
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": int(at),
            "is_email_confirmed": self.email is not None,
        }


@dataclass(slots=True)
class Conversation:
    """A public/private channel, an IM (``D...``) or a multi-person IM (``G...``)."""

    id: str
    created: int
    members: list[str]
    kind: Literal["channel", "im", "mpim"] = "channel"
    name: str = ""
    is_private: bool = False
    im_user: str | None = None

    @property
    def is_im(self) -> bool:
        return self.kind == "im"

    @property
    def is_mpim(self) -> bool:
        return self.kind == "mpim"

    @property
    def is_channel(self) -> bool:
        return self.kind == "channel"

    def to_api(self, viewer: str) -> JsonDict:
        """The conversation object as seen by ``viewer`` (the calling user or bot user)."""
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": self.is_channel and not self.is_private,
            "is_group": self.is_channel and self.is_private,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_mpim,
            "created": self.created,
            "is_archived": False,
            "is_general": False,
            "is_member": viewer in self.members,
            "num_members": len(self.members),
        }


@dataclass(slots=True)
class Message:
    """A message that lives in a conversation."""

    channel: str
    ts: str
    text: str
    team: str
    blocks: list[JsonDict] = field(default_factory=list)
    user: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    thread_ts: str | None = None
    edited: JsonDict | None = None
    files: list[JsonDict] = field(default_factory=list)

    def to_api(self) -> JsonDict:
        """The message object as the Web API and interaction payloads carry it."""
        body: JsonDict = {"type": "message", "ts": self.ts, "text": self.text, "team": self.team}
        if self.user is not None:
            body["user"] = self.user
        if self.bot_id is not None:
            body["bot_id"] = self.bot_id
            body["app_id"] = self.app_id
        if self.blocks:
            body["blocks"] = copy.deepcopy(self.blocks)
        if self.thread_ts is not None:
            body["thread_ts"] = self.thread_ts
        if self.edited is not None:
            body["edited"] = dict(self.edited)
        if self.files:
            body["files"] = copy.deepcopy(self.files)
        return body


@dataclass(slots=True)
class Ephemeral:
    """A message only ``user`` sees in ``channel`` (chat.postEphemeral or a response_url)."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: list[JsonDict] = field(default_factory=list)
    thread_ts: str | None = None
    deleted: bool = False

    def to_api(self) -> JsonDict:
        """The message as an interaction payload's ``message`` would show it."""
        body: JsonDict = {"type": "message", "ts": self.ts, "text": self.text}
        if self.blocks:
            body["blocks"] = copy.deepcopy(self.blocks)
        return body


@dataclass(slots=True)
class ViewRecord:
    """A modal or a Home tab the app has shown to a user."""

    id: str
    team_id: str
    app_id: str
    bot_id: str
    type: Literal["modal", "home"]
    user_id: str | None
    definition: JsonDict
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    external_id: str = ""
    values: JsonDict = field(default_factory=dict)
    closed: bool = False

    @property
    def blocks(self) -> list[JsonDict]:
        blocks: list[JsonDict] = self.definition.get("blocks", [])
        return blocks

    def to_api(self) -> JsonDict:
        """The view as views.* return it and interaction payloads carry it."""
        d = copy.deepcopy(self.definition)
        return {
            "id": self.id,
            "team_id": self.team_id,
            "type": self.type,
            "title": d.get("title"),
            "submit": d.get("submit"),
            "close": d.get("close"),
            "blocks": d.get("blocks", []),
            "private_metadata": d.get("private_metadata", ""),
            "callback_id": d.get("callback_id", ""),
            "external_id": self.external_id,
            "state": {"values": copy.deepcopy(self.values)},
            "hash": self.hash,
            "clear_on_close": bool(d.get("clear_on_close", False)),
            "notify_on_close": bool(d.get("notify_on_close", False)),
            "root_view_id": self.root_view_id,
            "previous_view_id": self.previous_view_id,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }


@dataclass(slots=True)
class UploadedFile:
    """A file announced by files.getUploadURLExternal, uploaded, then completed."""

    id: str
    name: str
    length: int
    user: str
    created: int
    title: str = ""
    content: bytes | None = None
    alt_txt: str | None = None
    snippet_type: str | None = None
    completed: bool = False
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None

    def to_api(self) -> JsonDict:
        """The file object files.completeUploadExternal returns."""
        return {
            "id": self.id,
            "created": self.created,
            "name": self.name,
            "title": self.title or self.name,
            "user": self.user,
            "size": len(self.content) if self.content is not None else self.length,
            "channels": list(self.channels),
            "initial_comment": self.initial_comment,
        }


@dataclass(slots=True)
class ResponseUrl:
    """A response_url the fake issued, tied to where the interaction happened."""

    id: str
    channel_id: str | None
    user_id: str | None
    message_ts: str | None = None
    is_ephemeral: bool = False
    issued_at: float = 0.0  # SlackState.clock seconds
    uses: int = 0


@dataclass(frozen=True, slots=True)
class ResponsePost:
    """One payload an app posted to a response_url, and what the fake did with it."""

    url_id: str
    payload: JsonDict
    outcome: Literal["ephemeral", "in_channel", "replaced", "deleted", "rejected"]
    at: float


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One Web API call as the fake received and answered it (``at``: when it arrived)."""

    method: str
    params: JsonDict
    token: str | None
    at: float
    status: int
    ok: bool
    error: str | None
