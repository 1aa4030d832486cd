"""What arrived since the last console command: private replies to you, and new messages for
anyone in the demo (so you know whom to switch to)."""

from __future__ import annotations

from collections.abc import Callable

from bot.console.render import Screen, mrkdwn, render_blocks
from fakeslack import SlackState


class News:
    """Remembers which messages and private replies the person at the console has seen."""

    def __init__(
        self, state: SlackState, name_of: Callable[[str], str], out: Callable[[str], None]
    ) -> None:
        self.state = state
        self.name_of = name_of
        self.out = out
        self.seen_messages: set[tuple[str, str]] = set()
        self.seen_ephemerals = 0

    def saw(self, channel: str, ts: str) -> None:
        self.seen_messages.add((channel, ts))

    def mark_all_seen(self, me: str) -> None:
        for convo in self.state.conversations_of(me):
            for message in self.state.messages(convo.id):
                self.saw(convo.id, message.ts)
        self.seen_ephemerals = len(self.state.ephemerals(user=me))

    def report(self, me: str) -> None:
        self._report_ephemerals(me)
        told_others = False
        for person in [me] + [u.id for u in self.state.users() if not u.is_bot]:
            for convo in self.state.conversations_of(person):
                for message in self.state.messages(convo.id):
                    key = (convo.id, message.ts)
                    if key in self.seen_messages:
                        continue
                    self.seen_messages.add(key)
                    where = "DM" if convo.kind == "im" else "group conversation"
                    to = "you" if person == me else self.name_of(person)
                    told_others = told_others or person != me
                    self.out(f"* New {where} for {to}: {mrkdwn(message.text, self.name_of)}")
        if told_others:
            self.out("  (Type `as NAME` to see it from their side, then `dm` or `chats`.)")

    def _report_ephemerals(self, me: str) -> None:
        ephemerals = self.state.ephemerals(user=me)
        for note in ephemerals[self.seen_ephemerals :]:
            self.out("(only you can see this)")
            screen = Screen()
            if note.blocks:
                render_blocks(note.blocks, screen, self.name_of)
            else:
                screen.lines.append(mrkdwn(note.text, self.name_of))
            self.out("\n".join("  " + line for line in screen.lines))
        self.seen_ephemerals = len(ephemerals)
