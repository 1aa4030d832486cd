"""What Slack sends to an app, signed exactly as Slack signs it.

Slack signs ``v0:{timestamp}:{raw body}`` with HMAC-SHA256 under the app's signing secret and
sends ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature: v0=<hex>``. Slash commands come as
a form, interactions as a form with one ``payload`` field of JSON, events as JSON. With a
:class:`SlackState`, trigger_ids and response_urls are issued by the fake so that the app's
follow-up calls (views.open, respond()) work against it; each trigger_id remembers where the
interaction happened (a command, a message, the Home tab, inside modal V, V's submission).
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from fakeslack.payloads import find_element, option_for, shape_value, state_values
from fakeslack.records import Ephemeral, JsonDict, Message, ViewRecord
from fakeslack.signing import FORM, JSON, SignedRequest, post, sign
from fakeslack.state import SlackState
from fakeslack.triggers import Source

__all__ = ["Inbound", "SignedRequest", "post"]

STALE_AFTER = 5 * 60  # Bolt refuses signatures older than five minutes


class Inbound:
    """Builds signed slash commands, interactions and events for one app in one workspace.

    Args:
        signing_secret: The app's signing secret (the one the Bolt app verifies with).
        team_id: Workspace id; the state's team by default.
        api_app_id: App id; the state's app id by default.
        state: The fake workspace issuing trigger_ids and response_urls (optional).
        clock: Epoch seconds for the signature timestamp.
    """

    def __init__(
        self,
        signing_secret: str,
        team_id: str | None = None,
        api_app_id: str | None = None,
        state: SlackState | None = None,
        *,
        team_domain: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.signing_secret = signing_secret
        self.state = state
        self.team_id = team_id or (state.team.id if state else "T0TEST")
        self.api_app_id = api_app_id or (state.app_id if state else "A0APP")
        self.team_domain = team_domain or (state.team.domain if state else "fake")
        self.clock = clock
        self._serial = itertools.count(1)

    # -- signing -------------------------------------------------------------------------

    def sign(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> SignedRequest:
        """Sign ``body`` as Slack does and return it with Slack's headers."""
        stamp = int(self.clock()) if timestamp is None else timestamp
        return sign(self.signing_secret, body, content_type, stamp, headers)

    def retry(
        self, request: SignedRequest, num: int = 1, reason: str = "http_timeout"
    ) -> SignedRequest:
        """The same body re-delivered by Slack's retry, freshly signed, with retry headers."""
        extra = {k: v for k, v in request.headers.items() if not k.lower().startswith("x-slack")}
        extra.pop("Content-Type", None)
        extra.update({"X-Slack-Retry-Num": str(num), "X-Slack-Retry-Reason": reason})
        return self.sign(request.body, request.content_type, headers=extra)

    def forged(self, request: SignedRequest) -> SignedRequest:
        """The same request signed with the wrong secret."""
        wrong = SignatureVerifier(self.signing_secret + "-forged")
        stamp = request.headers["X-Slack-Request-Timestamp"]
        signature = str(wrong.generate_signature(timestamp=stamp, body=request.body))
        return replace(request, headers={**request.headers, "X-Slack-Signature": signature})

    def stale(self, request: SignedRequest, age: int = STALE_AFTER + 60) -> SignedRequest:
        """The same request correctly signed, but ``age`` seconds ago (a replay)."""
        extra = {k: v for k, v in request.headers.items() if not k.lower().startswith("x-slack")}
        extra.pop("Content-Type", None)
        then = int(self.clock()) - age
        return self.sign(request.body, request.content_type, timestamp=then, headers=extra)

    # -- slash commands and interactions -------------------------------------------------

    def command(
        self, user_id: str, command: str, text: str = "", channel_id: str | None = None
    ) -> SignedRequest:
        """A slash command as a form body (from the user's IM with the bot by default)."""
        channel = channel_id or self._dm(user_id)
        fields = {
            "token": "fake-verification-token",
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel,
            "channel_name": self._channel_name(channel),
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self._response_url(channel, user_id),
            "trigger_id": self._trigger(user_id, "command"),
        }
        return self.sign(urlencode(fields), FORM)

    def block_actions(
        self,
        user_id: str,
        actions: Sequence[Mapping[str, Any]],
        *,
        view: ViewRecord | JsonDict | None = None,
        message: Message | Ephemeral | JsonDict | None = None,
        channel: str | None = None,
        container: JsonDict | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> SignedRequest:
        """A click/choice on elements of a message or a view (modal or Home tab).

        Each action needs an ``action_id``; its block_id, type, text and value are taken from
        the rendered element. ``{"action_id": ..., "selected": "x"}`` shapes a choice as the
        element type reports it.
        """
        payload = self._interaction("block_actions", user_id)
        blocks = self._surface(payload, user_id, view, message, channel, container, values)
        shown = payload.get("view") or {}
        if shown.get("type") == "modal":
            payload["trigger_id"] = self._trigger(user_id, "modal", str(shown.get("id")))
        else:
            payload["trigger_id"] = self._trigger(user_id, "home" if shown else "message")
        stamp = f"{self.clock():.6f}"
        payload["actions"] = [_action(spec, blocks, stamp) for spec in actions]
        return self._interaction_request(payload)

    def block_suggestion(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        block_id: str | None = None,
        view: ViewRecord | JsonDict | None = None,
        message: Message | Ephemeral | JsonDict | None = None,
        channel: str | None = None,
    ) -> SignedRequest:
        """A user typing ``value`` into an external select (the app answers with options)."""
        payload = self._interaction("block_suggestion", user_id)
        blocks = self._surface(payload, user_id, view, message, channel, None, None)
        payload.pop("response_url", None)
        payload.pop("state", None)
        found = find_element(blocks, action_id, block_id)
        payload.update(
            action_id=action_id,
            block_id=block_id or (found[0].get("block_id") if found else "") or "",
            value=value,
        )
        return self._interaction_request(payload)

    def view_submission(
        self,
        user_id: str,
        view: ViewRecord | JsonDict,
        values: Mapping[str, Any] | None = None,
    ) -> SignedRequest:
        """The user pressing Submit on a modal holding ``values`` (see payloads.state_values)."""
        payload = self._interaction("view_submission", user_id)
        payload["view"] = self._view_with_values(view, values, must_be_open=True)
        payload["trigger_id"] = self._trigger(user_id, "submission", str(payload["view"]["id"]))
        payload["response_urls"] = []
        return self._interaction_request(payload)

    def view_closed(
        self, user_id: str, view: ViewRecord | JsonDict, *, is_cleared: bool = False
    ) -> SignedRequest:
        """The user dismissing a modal created with ``notify_on_close``.

        Raises:
            ValueError: the modal was not created with ``notify_on_close`` (Slack sends nothing).
        """
        payload = self._interaction("view_closed", user_id)
        payload["view"] = self._view_with_values(view, None, must_be_open=False)
        if not payload["view"].get("notify_on_close"):
            raise ValueError("Slack sends view_closed only for a modal with notify_on_close")
        payload["is_cleared"] = is_cleared
        return self._interaction_request(payload)

    # -- events --------------------------------------------------------------------------

    def event(self, event: Mapping[str, Any], *, event_id: str | None = None) -> SignedRequest:
        """An Events API ``event_callback`` envelope around ``event``."""
        bot_user = self.state.bot_user_id if self.state else "U0BOT"
        serial = next(self._serial)
        envelope = {
            "token": "fake-verification-token",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": dict(event),
            "type": "event_callback",
            "event_id": event_id or f"Ev{serial:08X}",
            "event_time": int(self.clock()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": bot_user,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-fake-{serial}",
        }
        return self.sign(json.dumps(envelope), JSON)

    def app_home_opened(self, user_id: str, tab: str = "home") -> SignedRequest:
        """The user opening the app's Home (with the published view, if there is one)."""
        event: JsonDict = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self._dm(user_id),
            "tab": tab,
            "event_ts": self._ts(),
        }
        home = self.state.home(user_id) if self.state else None
        if home is not None and tab == "home":
            event["view"] = home.to_api()
        return self.event(event)

    def url_verification(self, challenge: str) -> SignedRequest:
        """Slack's check of a new Request URL."""
        body = {"token": "fake-verification-token", "challenge": challenge}
        return self.sign(json.dumps({**body, "type": "url_verification"}), JSON)

    # -- pieces --------------------------------------------------------------------------

    def _interaction(self, kind: str, user_id: str) -> JsonDict:
        name = self._user_name(user_id)
        return {
            "type": kind,
            "user": {"id": user_id, "username": name, "name": name, "team_id": self.team_id},
            "api_app_id": self.api_app_id,
            "token": "fake-verification-token",
            "team": {"id": self.team_id, "domain": self.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _interaction_request(self, payload: JsonDict) -> SignedRequest:
        return self.sign(urlencode({"payload": json.dumps(payload)}), FORM)

    def _surface(
        self,
        payload: JsonDict,
        user_id: str,
        view: ViewRecord | JsonDict | None,
        message: Message | Ephemeral | JsonDict | None,
        channel: str | None,
        container: JsonDict | None,
        values: Mapping[str, Any] | None,
    ) -> list[JsonDict]:
        """Fill in where the interaction happened; the blocks shown there."""
        if view is not None:
            shown = self._view_with_values(view, values, must_be_open=False)
            payload["container"] = container or {"type": "view", "view_id": shown["id"]}
            payload["view"] = shown
            blocks: list[JsonDict] = shown.get("blocks") or []
            return blocks
        ephemeral = isinstance(message, Ephemeral)
        if isinstance(message, Message | Ephemeral):
            channel = channel or message.channel
            shown_message = message.to_api()
        else:
            shown_message = dict(message or {})
        channel = channel or self._dm(user_id)
        ts = shown_message.get("ts")
        payload["container"] = container or {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        payload["channel"] = {"id": channel, "name": self._channel_name(channel)}
        if shown_message and not ephemeral:
            payload["message"] = shown_message
        blocks = shown_message.get("blocks") or []
        payload["state"] = {"values": state_values(blocks, values)}
        payload["response_url"] = self._response_url(
            channel, user_id, message_ts=ts, is_ephemeral=ephemeral
        )
        return blocks

    def _view_with_values(
        self,
        view: ViewRecord | JsonDict,
        values: Mapping[str, Any] | None,
        *,
        must_be_open: bool,
    ) -> JsonDict:
        record = view if isinstance(view, ViewRecord) else None
        if record is None and self.state is not None and isinstance(view, Mapping):
            record = self.state.view(str(view.get("id")))
        if record is not None and must_be_open and record.closed:
            raise ValueError(f"view {record.id} is no longer open")
        if record is not None:
            shown = record.to_api()
        elif isinstance(view, Mapping):
            shown = dict(view)
        else:  # a ViewRecord is always found above
            raise TypeError(view)
        previous = record.values if record is not None else shown.get("state", {}).get("values")
        shaped = state_values(shown.get("blocks") or [], values, previous)
        if record is not None and self.state is not None:
            with self.state.lock:
                record.values = shaped
        shown["state"] = {"values": shaped}
        return shown

    def _trigger(self, user_id: str, source: Source, view_id: str | None = None) -> str:
        """A trigger_id the fake will know the origin of (when there is a fake)."""
        if self.state is not None:
            return self.state.new_trigger_id(user_id, source=source, view_id=view_id)
        return f"{next(self._serial)}.{int(self.clock())}.fake"

    def _response_url(
        self,
        channel: str,
        user_id: str,
        *,
        message_ts: str | None = None,
        is_ephemeral: bool = False,
    ) -> str:
        if self.state is not None and self.state.base_url is not None:
            return self.state.new_response_url(
                channel, user_id, message_ts=message_ts, is_ephemeral=is_ephemeral
            )
        return "http://127.0.0.1:9/response/unavailable"  # no fake running: nothing listens

    def _dm(self, user_id: str) -> str:
        return self.state.dm_channel(user_id) if self.state else f"D{user_id[1:]}"

    def _channel_name(self, channel_id: str) -> str:
        convo = self.state.conversation(channel_id) if self.state else None
        if convo is None:
            return "directmessage" if channel_id.startswith("D") else channel_id.lower()
        return "directmessage" if convo.is_im else convo.name

    def _user_name(self, user_id: str) -> str:
        user = self.state.user(user_id) if self.state else None
        return user.name if user else user_id.lower()

    def _ts(self) -> str:
        return self.state.next_ts() if self.state else f"{self.clock():.6f}"


def _action(spec: Mapping[str, Any], blocks: list[JsonDict], stamp: str) -> JsonDict:
    action = dict(spec)
    if "action_id" not in action:
        raise ValueError("every action needs an action_id")
    found = find_element(blocks, str(action["action_id"]), action.get("block_id"))
    if found is None and blocks:
        raise ValueError(f"no element with action_id {action['action_id']!r} is shown")
    block, element = found if found else ({}, {})
    action.setdefault("block_id", block.get("block_id", "fake-block"))
    action.setdefault("type", element.get("type", "button"))
    if action["type"] == "button":
        for key in ("text", "value", "style"):
            if key in element:
                action.setdefault(key, element[key])
    elif action["type"] == "overflow" and "selected" in action:
        action["selected_option"] = option_for(element, action.pop("selected"))
    if "selected" in action:
        shaped = shape_value(element or {"type": action["type"]}, action.pop("selected"))
        shaped.pop("type", None)
        action.update(shaped)
    action.setdefault("action_ts", stamp)
    return action
