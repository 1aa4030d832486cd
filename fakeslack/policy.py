"""What each Web API method needs (bot scopes) and how often Slack lets an app call it.

Taken from Slack's method reference (docs.slack.dev/reference/methods/<method>, "Facts":
Scopes and Rate Limits) and the rate-limit guide (docs.slack.dev/apis/web-api/rate-limits):
limits apply per method, per workspace, per app. A tier's number is the floor Slack promises
("Tier 3: 50+ per minute"); the fake allows exactly that many calls in any 60 seconds, so any
burst within the floor passes and nothing beyond it does. chat.postMessage is "Special":
"1 per second" per channel, "short bursts >1 allowed"; the fake lets a channel take a burst
of ``POST_MESSAGE_BURST`` messages, then one a second. Slack's workspace-wide cap on posting
has no published number and is not modelled.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fakeslack.faults import RateLimit

TIER_1 = RateLimit(1, 60.0)
TIER_2 = RateLimit(20, 60.0)
TIER_3 = RateLimit(50, 60.0)
TIER_4 = RateLimit(100, 60.0)
POST_MESSAGE_BURST = 3
POST_MESSAGE = RateLimit(1, 1.0, scope="channel", burst=POST_MESSAGE_BURST)
# The repository's manifest: the app's bot scopes, as a workspace grants them on install.
MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


@dataclass(frozen=True, slots=True)
class MethodPolicy:
    """One method's needs.

    Attributes:
        scopes: Bot scopes the token must hold, all of them. Methods whose scope depends on
            the conversation (conversations.open/info) check inside the method instead.
        limit: Slack's rate limit for the method.
        tier: The tier's name as Slack's reference shows it.
    """

    scopes: tuple[str, ...]
    limit: RateLimit
    tier: str


def _policy(scopes: Sequence[str], tier: int | str) -> MethodPolicy:
    limits = {1: TIER_1, 2: TIER_2, 3: TIER_3, 4: TIER_4}
    if isinstance(tier, int):
        return MethodPolicy(tuple(scopes), limits[tier], f"Tier {tier}")
    return MethodPolicy(tuple(scopes), POST_MESSAGE if tier == "postMessage" else TIER_4, tier)


# Every method the fake implements (a test keeps this in step with fakeslack.methods).
POLICIES: Mapping[str, MethodPolicy] = {
    "api.test": _policy((), 4),
    # apps.connections.open: connections:write on the app-level token (checked in the method).
    "apps.connections.open": _policy((), 1),
    # auth.test: "Special", "hundreds of requests per minute": the Tier 4 floor is below that.
    "auth.test": _policy((), "Special"),
    "oauth.v2.access": _policy((), 4),
    "team.info": _policy(("team:read",), 3),
    "users.info": _policy(("users:read",), 4),
    "users.list": _policy(("users:read",), 2),
    "users.lookupByEmail": _policy(("users:read.email",), 3),
    # conversations.open: im:write for a DM, mpim:write for a group DM (checked in the method).
    "conversations.open": _policy((), 3),
    # conversations.info: channels:/groups:/im:/mpim:read by the conversation's kind.
    "conversations.info": _policy((), 3),
    "chat.postMessage": _policy(("chat:write",), "postMessage"),
    "chat.update": _policy(("chat:write",), 3),
    "chat.delete": _policy(("chat:write",), 3),
    "chat.postEphemeral": _policy(("chat:write",), 4),
    # chat.getPermalink: no scope; "Special" with no published number: the Tier 4 floor.
    "chat.getPermalink": _policy((), "Special"),
    "views.open": _policy((), 4),
    "views.push": _policy((), 4),
    "views.update": _policy((), 4),
    "views.publish": _policy((), 4),
    "files.getUploadURLExternal": _policy(("files:write",), 4),
    "files.completeUploadExternal": _policy(("files:write",), 4),
}


def default_rate_limits() -> dict[str, RateLimit]:
    """Slack's limit for every implemented method."""
    return {method: policy.limit for method, policy in POLICIES.items()}


def manifest_scopes(path: Path = MANIFEST) -> tuple[str, ...]:
    """The bot scopes a manifest asks for (``oauth_config.scopes.bot``).

    Raises:
        OSError: the manifest cannot be read.
        ValueError: it is not YAML, or lists no bot scopes.
    """
    scopes = _manifest(path).get("oauth_config", {}).get("scopes", {}).get("bot") or []
    if not scopes:
        raise ValueError(f"{path} lists no bot scopes (oauth_config.scopes.bot)")
    return tuple(str(s) for s in scopes)


def manifest_home_tab(path: Path = MANIFEST) -> bool:
    """Whether a manifest turns the Home tab on (``features.app_home.home_tab_enabled``; off
    when it says nothing, as a new app's is)."""
    return bool(_manifest(path).get("features", {}).get("app_home", {}).get("home_tab_enabled"))


def _manifest(path: Path) -> dict[str, Any]:
    # PyYAML is a runtime dependency already (doctor reads the manifest too); it has no stubs.
    yaml = importlib.import_module("yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a YAML mapping")
    return data
