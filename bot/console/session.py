"""One console session: who you are, what you are looking at, and the commands you type."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.console.news import News
from bot.console.render import Control, Json, Screen, mrkdwn, parse_value, render_blocks
from bot.sandbox import Sandbox
from scheduler.jobs import Jobs

log = logging.getLogger(__name__)

HELP = """\
Commands
  people                 who is in the demo program, and their roles
  as NAME                act as someone else, e.g. `as maya` or `as @U0DEMO001`
  /find-mentor [words]   search the directory (or `/find-mentor profile`)
  /mentor-admin          the requests dashboard (as the admin); `/mentor-admin health`
                         the program health report; `/mentor-admin export` CSV files;
                         `/mentor-admin settings` the program's settings
  home                   open your App Home tab
  dm                     your direct messages from the app
  chats                  your group conversations; `chat N` opens one
  modal                  show the modal that is open again
  press N | press LABEL  press button N (or the first button with that label)
  fill N VALUE           fill input N (choices by name, several separated by commas,
                         dates as YYYY-MM-DD); `N = VALUE` works too
  submit | close         submit or close the open modal
  advance 4d | 6h | 30m  move time forward: reminders, auto-close and digests happen
  time                   what time it is in the demo
  help | quit"""

DURATION = re.compile(r"^(\d+)\s*([dhm])$")


@dataclass
class Surface:
    kind: str  # "home", "modal", "dm", "chat"
    ref: str | None = None  # view id or channel id


class ConsoleSession:
    """Turns typed commands into what Slack would send, and Slack's state into text."""

    def __init__(
        self,
        sandbox: Sandbox,
        jobs: Jobs,
        me: str,
        out: Callable[[str], None],
        roles: dict[str, str] | None = None,
    ) -> None:
        self.roles = roles or {}
        self.sandbox = sandbox
        self.state = sandbox.state
        self.jobs = jobs
        self.me = me
        self.out = out
        self.surface = Surface("home")
        self.screen = Screen()
        self.values: dict[str, dict[str, Any]] = {}  # view id -> block_id -> value
        self.news = News(self.state, self.name_of, out)
        self.news.mark_all_seen(me)

    # -- names ---------------------------------------------------------------------------
    def name_of(self, user_id: str) -> str:
        user = self.state.user(user_id)
        return user.display_name if user else user_id

    def find_person(self, query: str) -> str | None:
        q = query.strip().lstrip("@").lower()
        for user in self.state.users():
            if user.is_bot or user.deleted:
                continue
            names = {user.id.lower(), user.name.lower(), user.display_name.lower()}
            names.add(user.display_name.split(" ")[0].lower())
            if q in names:
                return user.id
        return None

    # -- the loop body -------------------------------------------------------------------
    def handle(self, line: str) -> bool:
        """Run one command; ``False`` means quit."""
        line = line.strip()
        if not line:
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        try:
            if word in ("quit", "exit"):
                return False
            if word == "help":
                self.out(HELP)
            elif word.startswith("/"):
                self.sandbox.send(self.sandbox.inbound.command(self.me, word, rest))
                self.after_action()
            elif word in ("people", "who"):
                self.show_people()
            elif word == "as":
                self.switch(rest)
            elif word == "home":
                self.sandbox.send(self.sandbox.inbound.app_home_opened(self.me))
                self.surface = Surface("home")
                self.show()
            elif word == "dm":
                self.surface = Surface("dm", self.state.dm_channel(self.me))
                self.show()
            elif word == "chats":
                self.show_chats()
            elif word == "chat":
                self.open_chat(rest)
            elif word == "modal":
                self.show_modal_or_say()
            elif word == "press":
                self.press(rest)
            elif word == "fill":
                number, _, value = rest.partition(" ")
                self.fill(number, value)
            elif re.match(r"^\d+\s*=", line):
                number, _, value = line.partition("=")
                self.fill(number.strip(), value.strip())
            elif word == "submit":
                self.submit()
            elif word == "close":
                self.close()
            elif word == "advance":
                self.advance(rest)
            elif word == "time":
                self.out(f"It is {self.sandbox.clock.now:%A %d %B %Y, %H:%M} UTC in the demo.")
            else:
                self.out(f"I don't know {word!r}. Type `help` for the commands.")
        except ValueError as err:
            self.out(f"! {err}")
        except Exception as err:
            log.exception("console command failed: %s", line)
            self.out(f"! That did not work ({type(err).__name__}: {err}).")
        return True

    # -- people and surfaces -------------------------------------------------------------
    def show_people(self) -> None:
        for user in self.state.users():
            if user.is_bot:
                continue
            marker = " <- you" if user.id == self.me else ""
            role = self.roles.get(user.id, "")
            self.out(
                f"  {user.display_name:<24} `as {user.name}` ".ljust(50)
                + f"{role:<18}{user.tz}{marker}"
            )

    def switch(self, who: str) -> None:
        user_id = self.find_person(who)
        if user_id is None:
            raise ValueError(f"nobody called {who!r}; type `people` to see who is here")
        self.me = user_id
        self.news.mark_all_seen(user_id)
        self.out(f"You are now {self.name_of(user_id)}.")
        self.sandbox.send(self.sandbox.inbound.app_home_opened(self.me))
        self.surface = Surface("home")
        self.show()

    def show_chats(self) -> None:
        chats = [c for c in self.state.conversations_of(self.me) if c.kind == "mpim"]
        if not chats:
            self.out("You have no group conversations yet.")
            return
        for i, convo in enumerate(chats, 1):
            others = ", ".join(self.name_of(m) for m in convo.members if m != self.me)
            self.out(f"  chat {i}: with {others}")

    def open_chat(self, number: str) -> None:
        chats = [c for c in self.state.conversations_of(self.me) if c.kind == "mpim"]
        index = int(number or 1) - 1
        if not 0 <= index < len(chats):
            raise ValueError("no such chat; type `chats` to list them")
        self.surface = Surface("chat", chats[index].id)
        self.show()

    def show_modal_or_say(self) -> None:
        stack = self.state.views_for(self.me)
        if not stack:
            self.out("No modal is open.")
            return
        self.surface = Surface("modal", stack[-1].id)
        self.show()

    # -- rendering -----------------------------------------------------------------------
    def show(self) -> None:
        screen = Screen()
        kind = self.surface.kind
        if kind == "modal":
            record = self.state.view(self.surface.ref or "")
            if record is None or record.closed:
                self.surface = Surface("home")
                return self.show()
            view = record.to_api()
            screen.lines.append(f"+-- {view['title']['text']} " + "-" * 20)
            render_blocks(view["blocks"], screen, self.name_of, self.values.get(record.id, {}))
            footer = [
                f"[{key}: {view[key]['text']}]" for key in ("submit", "close") if view.get(key)
            ]
            screen.lines.append("+-- " + "  ".join(footer))
        elif kind == "home":
            record = self.state.home(self.me)
            screen.lines.append(f"+-- Home of {self.name_of(self.me)} " + "-" * 20)
            if record is None:
                screen.lines.append("(not opened yet: type `home`)")
            else:
                render_blocks(record.to_api()["blocks"], screen, self.name_of)
        else:
            channel = self.surface.ref or ""
            title = "Direct messages from the app" if kind == "dm" else "Group conversation"
            screen.lines.append(f"+-- {title} " + "-" * 20)
            messages = self.state.messages(channel)[-8:]
            if not messages:
                screen.lines.append("(nothing yet)")
            for message in messages:
                self._render_message(screen, message.to_api(), channel)
                self.news.saw(channel, message.ts)
        self.screen = screen
        self.out("\n".join(screen.lines))

    def _render_message(self, screen: Screen, message: Json, channel: str) -> None:
        author = self.name_of(message["user"]) if message.get("user") else "Mentor Match"
        screen.lines.append(f"[{author}]")
        start = len(screen.controls)
        if message.get("blocks"):
            render_blocks(message["blocks"], screen, self.name_of)
        else:
            screen.lines.append(mrkdwn(message.get("text", ""), self.name_of))
        for shared in message.get("files") or []:
            title = shared.get("title") or shared.get("name")
            screen.lines.append(
                f"  [file] {shared.get('name')}: {title} ({shared.get('size')} bytes)"
            )
        for control in screen.controls[start:]:
            control.block = {**control.block, "_message": message, "_channel": channel}
        screen.lines.append("")

    # -- acting --------------------------------------------------------------------------
    def control(self, ref: str, kind: str | None = None) -> Control:
        ref = ref.strip()
        if ref.isdigit():
            number = int(ref)
            for control in self.screen.controls:
                if control.number == number and (kind is None or control.kind == kind):
                    return control
            raise ValueError(f"there is no {kind or 'control'} {number} on the screen")
        for control in self.screen.controls:
            if control.label.lower() == ref.lower() and (kind is None or control.kind == kind):
                return control
        raise ValueError(f"there is no {ref!r} on the screen")

    def press(self, ref: str) -> None:
        control = self.control(ref, "button")
        element = control.element
        action = {
            "action_id": element["action_id"],
            "block_id": control.block_id,
            "value": element.get("value"),
        }
        if element.get("url") and element.get("value"):
            who = self.name_of(element["value"])
            self.out(f"(In Slack this opens a direct message with {who}.)")
        elif element.get("url"):
            self.out(f"(In Slack this opens {element['url']} in the browser.)")
        inbound = self.sandbox.inbound
        if self.surface.kind == "modal":
            record = self.state.view(self.surface.ref or "")
            request = inbound.block_actions(
                self.me, [action], view=record, values=self._nested(record.id if record else "")
            )
        elif self.surface.kind == "home":
            request = inbound.block_actions(self.me, [action], view=self.state.home(self.me))
        else:
            message = control.block["_message"]
            request = inbound.block_actions(
                self.me, [action], message=message, channel=control.block["_channel"]
            )
        self.sandbox.send(request)
        self.after_action()

    def fill(self, ref: str, raw: str) -> None:
        if self.surface.kind != "modal":
            raise ValueError("there is no form open; inputs live in modals")
        control = self.control(ref, "input")
        value = parse_value(control.element, raw)
        view_id = self.surface.ref or ""
        # A select outside an input block acts at once, and the app redraws it as chosen.
        acts_at_once = control.block.get("type") == "actions"
        if not acts_at_once:
            self.values.setdefault(view_id, {})[control.block_id or ""] = value
        if acts_at_once or control.block.get("dispatch_action"):
            # Slack tells the app about this change at once (a filter, for example).
            action = {
                "action_id": control.element["action_id"],
                "block_id": control.block_id,
                "selected": value,
            }
            record = self.state.view(view_id)
            self.sandbox.send(
                self.sandbox.inbound.block_actions(
                    self.me, [action], view=record, values=self._nested(view_id)
                )
            )
        self.show()

    def _nested(self, view_id: str) -> dict[str, Any]:
        record = self.state.view(view_id)
        if record is None:
            return {}
        ids = {
            b.get("block_id"): b["element"]["action_id"]
            for b in record.to_api().get("blocks", [])
            if b.get("type") == "input"
        }
        return {
            block: {ids[block]: value}
            for block, value in self.values.get(view_id, {}).items()
            if block in ids and value not in (None, "", [])
        }

    def submit(self) -> None:
        if self.surface.kind != "modal":
            raise ValueError("there is no modal to submit")
        view_id = self.surface.ref or ""
        record = self.state.view(view_id)
        if record is None:
            raise ValueError("that modal is gone")
        status, body = self.sandbox.send(
            self.sandbox.inbound.view_submission(self.me, record, self._nested(view_id))
        )
        if status == 200:
            self.state.apply_submission_ack(view_id, body)
        answer = json.loads(body) if body.strip().startswith("{") else {}
        if answer.get("response_action") == "errors":
            self.show()
            for message in answer.get("errors", {}).values():
                self.out(f"! {message}")
            return
        self.after_action()

    def close(self) -> None:
        self.state.close_modals(self.me)
        self.surface = Surface("home")
        self.out("Closed.")

    def advance(self, text: str) -> None:
        match = DURATION.match(text.strip().lower())
        if not match:
            raise ValueError("say how long, like `advance 4d`, `advance 6h` or `advance 30m`")
        amount, unit = int(match.group(1)), match.group(2)
        delta = {
            "d": timedelta(days=amount),
            "h": timedelta(hours=amount),
            "m": timedelta(minutes=amount),
        }[unit]
        self.sandbox.clock.now += delta
        sweep = self.jobs.sweep()
        self.jobs.deliver()
        self.out(
            f"Time moves to {self.sandbox.clock.now:%A %d %B, %H:%M} UTC. The scheduler sent "
            f"{sweep.reminded} reminder(s), closed {sweep.expired} request(s), "
            f"escalated {sweep.escalated}, queued {sweep.digests} digest(s)."
        )
        self.news.report(self.me)

    # -- after each action: what changed ---------------------------------------------------
    def after_action(self) -> None:
        stack = self.state.views_for(self.me)
        if stack:
            self.surface = Surface("modal", stack[-1].id)
            self.show()
        elif self.surface.kind == "modal":
            self.surface = Surface("home")
        self.news.report(self.me)
