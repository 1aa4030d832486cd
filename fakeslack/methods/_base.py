"""What every fake Web API method receives, and small helpers for reading its arguments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fakeslack.blockkit import decode_json, message_block_problems
from fakeslack.errors import ApiError
from fakeslack.records import Conversation, JsonDict
from fakeslack.state import SlackState


@dataclass(slots=True)
class Call:
    """One authenticated Web API call: its arguments and who makes it.

    Attributes:
        state: The workspace (its lock is held while the method runs).
        method: The Web API method name, e.g. ``"chat.postMessage"``.
        params: The arguments, from a form body (strings) or a JSON body (JSON values).
        token: The bearer token, if any.
        actor: The calling user: the bot user for bot tokens, the installer for user tokens.
        bot_id: The app's bot id when the token is a bot token.
        basic_auth: ``(client_id, client_secret)`` from HTTP Basic auth, if sent.
        scopes: The scopes the token holds.
    """

    state: SlackState
    method: str
    params: dict[str, Any]
    token: str | None = None
    actor: str = ""
    bot_id: str | None = None
    basic_auth: tuple[str, str] | None = None
    scopes: tuple[str, ...] = ()

    def require_scopes(self, *needed: str) -> None:
        """Answer ``missing_scope`` (with ``needed`` and ``provided``) unless all are held."""
        missing = [scope for scope in needed if scope not in self.scopes]
        if missing:
            raise ApiError(
                "missing_scope",
                extra={"needed": ",".join(missing), "provided": ",".join(self.scopes)},
            )

    def text(self, name: str) -> str | None:
        """An argument as a string; ``None`` when absent or null."""
        value = self.params.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def required(self, name: str, error: str = "invalid_arguments") -> str:
        """A non-empty string argument, or ``error`` naming it as missing."""
        value = self.text(name)
        if not value:
            raise ApiError(error, messages=[f"[ERROR] missing required field: {name}"])
        return value

    def flag(self, name: str) -> bool:
        """A boolean argument as Slack reads it (true/1)."""
        value = self.params.get(name)
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true") if value is not None else False

    def json(self, name: str, error: str = "invalid_arguments") -> Any:
        """A JSON argument (decoded if it came as a string), ``None`` when absent."""
        value = self.params.get(name)
        if value is None or value == "":
            return None
        try:
            return decode_json(value)
        except ValueError:
            raise ApiError(error, messages=[f"[ERROR] {name} is not valid JSON"]) from None


Handler = Callable[[Call], JsonDict]


def message_blocks(call: Call) -> list[JsonDict] | None:
    """The ``blocks`` argument of a message method, checked as Slack checks it.

    Raises:
        ApiError: ``invalid_blocks_format`` (not JSON) or ``invalid_blocks`` (not Block Kit).
    """
    blocks = call.json("blocks", error="invalid_blocks_format")
    if blocks is None:
        return None
    problems = message_block_problems(blocks)
    if problems:
        raise ApiError(
            "invalid_blocks",
            errors=problems,
            messages=[f"[ERROR] {p}" for p in problems],
        )
    out: list[JsonDict] = blocks
    return out


def conversation_for_post(call: Call, ref: str) -> Conversation:
    """Where a message to ``ref`` goes: a conversation id or name, or a user id (their IM)."""
    state = call.state
    convo = state.conversation(ref)
    if convo is None and ref[:1] in ("U", "W"):
        user = state.user(ref)
        if user is not None and not user.is_bot:
            convo = state.open_im(user.id)[0]
    if convo is None:
        raise ApiError("channel_not_found")
    return convo


def require_member(call: Call, convo: Conversation, scopes: Sequence[str] = ()) -> None:
    """Slack refuses to post into a channel the caller has not joined (``not_in_channel``)."""
    if convo.is_channel and call.actor not in convo.members:
        if any(scope in call.scopes for scope in scopes) and not convo.is_private:
            return
        raise ApiError("not_in_channel")
