"""People, conversations and messages of the fake workspace (the base of ``SlackState``).

Everything sits behind one re-entrant lock. Time comes from ``wall_clock`` (epoch seconds),
used for message timestamps and time zone offsets.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from fakeslack.records import Conversation, Ephemeral, JsonDict, Message, Team, User


class Workspace:
    """Members, channels, IMs and the messages in them; thread-safe behind ``lock``."""

    def __init__(
        self,
        team: Team,
        *,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        wall_clock: Callable[[], float],
    ) -> None:
        self.lock = threading.RLock()
        self.team = team
        self.bot_user_id, self.bot_id, self.app_id = bot_user_id, bot_id, app_id
        self.wall_clock = wall_clock
        self._serial = itertools.count(1)
        self._last_ts_micros = 0
        self._users: dict[str, User] = {}
        self._conversations: dict[str, Conversation] = {}
        self._ims: dict[str, str] = {}
        self._mpims: dict[frozenset[str], str] = {}
        self._channel_names: dict[str, str] = {}
        self._messages: dict[str, dict[str, Message]] = {}  # channel -> ts -> message
        self._ephemerals: list[Ephemeral] = []

    # -- ids and time --------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        """A fresh Slack-looking id (``U0000001A``-like), unique within this workspace."""
        with self.lock:
            return f"{prefix}{next(self._serial):08X}"

    def next_ts(self) -> str:
        """A message ``ts`` ("1700000000.000100"), strictly increasing across the workspace."""
        with self.lock:
            micros = max(int(self.wall_clock() * 1_000_000), self._last_ts_micros + 1)
            self._last_ts_micros = micros
            return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def new_view_hash(self) -> str:
        """A fresh view ``hash`` in Slack's "1569262015.55b5e41b" shape."""
        with self.lock:
            n = next(self._serial)
        digest = hashlib.blake2s(str(n).encode(), digest_size=4).hexdigest()
        return f"{int(self.wall_clock())}.{digest}"

    # -- members -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str | None = None,
        *,
        name: str | None = None,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "Europe/London",
        email: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        deleted: bool = False,
        is_bot: bool = False,
    ) -> User:
        """Add (or replace) a member; ``tz`` must be an IANA zone such as "Europe/London"."""
        ZoneInfo(tz)  # fail now, not in users.info, when the zone does not exist
        with self.lock:
            uid = user_id or self.new_id("U")
            handle = name or uid.lower()
            user = User(
                id=uid,
                team_id=self.team.id,
                name=handle,
                real_name=real_name if real_name is not None else handle,
                display_name=display_name if display_name is not None else handle,
                tz=tz,
                email=email,
                is_admin=is_admin or is_owner,
                is_owner=is_owner,
                deleted=deleted,
                is_bot=is_bot,
                bot_id=self.bot_id if uid == self.bot_user_id else None,
            )
            self._users[uid] = user
            return user

    def user(self, user_id: str) -> User | None:
        """The member with this id, if any."""
        with self.lock:
            return self._users.get(user_id)

    def users(self) -> list[User]:
        """Every member, the bot user first."""
        with self.lock:
            return list(self._users.values())

    def user_by_email(self, email: str) -> User | None:
        """The member whose email matches (case-insensitively), if any."""
        with self.lock:
            wanted = email.strip().lower()
            return next(
                (u for u in self._users.values() if (u.email or "").lower() == wanted), None
            )

    # -- conversations -------------------------------------------------------------------

    def add_channel(
        self,
        name: str,
        members: Iterable[str] = (),
        *,
        is_private: bool = False,
        bot_is_member: bool = True,
        channel_id: str | None = None,
    ) -> Conversation:
        """Create a public (``C...``) or private channel with these members."""
        with self.lock:
            people = list(dict.fromkeys([*members, *([self.bot_user_id] if bot_is_member else [])]))
            cid = channel_id or self.new_id("C")
            convo = Conversation(cid, int(self.wall_clock()), people, "channel", name, is_private)
            self._conversations[cid] = convo
            self._channel_names[name] = cid
            return convo

    def conversation(self, ref: str) -> Conversation | None:
        """A conversation by id, or a channel by name ("general" or "#general")."""
        with self.lock:
            found = self._conversations.get(ref)
            if found is None:
                by_name = self._channel_names.get(ref.removeprefix("#"))
                found = self._conversations.get(by_name) if by_name else None
            return found

    def conversations_of(self, user_id: str) -> list[Conversation]:
        """Every conversation ``user_id`` is a member of, oldest first."""
        with self.lock:
            return [
                c
                for c in self._conversations.values()
                if user_id in c.members or c.im_user == user_id
            ]

    def dm_channel(self, user_id: str) -> str:
        """The id of the bot's IM with ``user_id``, opening it the first time (``D...``)."""
        return self.open_im(user_id)[0].id

    def open_im(self, user_id: str) -> tuple[Conversation, bool]:
        """The bot's IM with ``user_id`` and whether it was already open."""
        with self.lock:
            existing = self._ims.get(user_id)
            if existing is not None:
                return self._conversations[existing], True
            members = list(dict.fromkeys([self.bot_user_id, user_id]))
            convo = Conversation(
                self.new_id("D"), int(self.wall_clock()), members, "im", im_user=user_id
            )
            self._conversations[convo.id] = convo
            self._ims[user_id] = convo.id
            return convo, False

    def mpim(self, user_ids: Iterable[str]) -> str:
        """The id of the multi-person IM of the bot and these users (``G...``)."""
        return self.open_mpim(user_ids)[0].id

    def open_mpim(self, user_ids: Iterable[str]) -> tuple[Conversation, bool]:
        """The bot's MPIM with these users (order kept) and whether it was already open."""
        with self.lock:
            people = list(dict.fromkeys([*user_ids, self.bot_user_id]))
            key = frozenset(people)
            existing = self._mpims.get(key)
            if existing is not None:
                return self._conversations[existing], True
            handles = [self._users[u].name if u in self._users else u.lower() for u in people]
            name = "mpdm-" + "--".join(handles) + "-1"
            convo = Conversation(self.new_id("G"), int(self.wall_clock()), people, "mpim", name)
            self._conversations[convo.id] = convo
            self._mpims[key] = convo.id
            return convo, False

    # -- messages ------------------------------------------------------------------------

    def post_message(
        self,
        channel: str,
        *,
        text: str = "",
        blocks: Sequence[JsonDict] = (),
        user: str | None = None,
        bot_id: str | None = None,
        thread_ts: str | None = None,
        files: Sequence[JsonDict] = (),
    ) -> Message:
        """Store a message in ``channel`` (an existing conversation id) and return it."""
        with self.lock:
            if channel not in self._conversations:
                raise KeyError(channel)
            message = Message(
                channel=channel,
                ts=self.next_ts(),
                text=text,
                team=self.team.id,
                blocks=list(blocks),
                user=user,
                bot_id=bot_id,
                app_id=self.app_id if bot_id else None,
                thread_ts=thread_ts,
                files=list(files),
            )
            self._messages.setdefault(channel, {})[message.ts] = message
            return message

    def messages(self, channel: str) -> list[Message]:
        """The messages in ``channel``, oldest first (thread replies included)."""
        with self.lock:
            return list(self._messages.get(channel, {}).values())

    def message_count(self, channel: str) -> int:
        """How many messages ``channel`` holds."""
        with self.lock:
            return len(self._messages.get(channel, ()))

    def last_message(self, channel: str) -> Message | None:
        """The newest message in ``channel``, if any."""
        with self.lock:
            found = self._messages.get(channel)
            return next(reversed(found.values())) if found else None

    def message(self, channel: str, ts: str) -> Message | None:
        """The message with this ``ts`` in ``channel``, if any."""
        with self.lock:
            return self._messages.get(channel, {}).get(ts)

    def delete_message(self, channel: str, ts: str) -> bool:
        """Remove a message; whether it existed."""
        with self.lock:
            return self._messages.get(channel, {}).pop(ts, None) is not None

    def add_ephemeral(
        self,
        channel: str,
        user: str,
        *,
        text: str = "",
        blocks: Sequence[JsonDict] = (),
        thread_ts: str | None = None,
    ) -> Ephemeral:
        """Store a message only ``user`` sees in ``channel``."""
        with self.lock:
            note = Ephemeral(channel, user, self.next_ts(), text, list(blocks), thread_ts)
            self._ephemerals.append(note)
            return note

    def ephemerals(self, *, channel: str | None = None, user: str | None = None) -> list[Ephemeral]:
        """Ephemeral messages still showing, oldest first, filtered by channel and/or user."""
        with self.lock:
            return [
                e
                for e in self._ephemerals
                if not e.deleted
                and (channel is None or e.channel == channel)
                and (user is None or e.user == user)
            ]
