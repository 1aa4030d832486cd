"""Registering listeners: every one is guarded, so whatever it raises is answered here.

Listeners let a rule's refusal (a DomainError from a mentoring operation) through, and a bug
may raise anything. Bolt must never see either once a listener has acked: when a listener
raises after ``ack()`` but before Bolt's request thread has noticed the ack, Bolt's thread
runner resets the ack and Slack gets no answer until the 3-second limit has passed (the person
sees "didn't respond"). So each listener runs inside :func:`guarded`, which acks if the listener
had not, then tells the person what happened (their mistake in the program's words, or ours
with an error id to quote). The app's own error handler (bot.app) uses the same words for what
fails outside listeners.

:class:`Listeners` also keeps the list of what it registered (:class:`ListenerKey`: a command,
an action_id, a view's callback_id, an event type) and can tell an observer each time one runs:
how the scenario tests prove that every listener is exercised.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from blocks.text import escape
from handlers.deps import explain, services, team_of
from handlers.replies import apology, notice, tell
from mentoring.core.errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])
# What the guard itself needs from Bolt, whatever the listener asks for.
NEEDED = ("ack", "body", "context", "client")


def answer_failure(
    error: Exception,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    *,
    trigger_fresh: bool = False,
) -> None:
    """Tell the person a rule refused what they did (in the program's words), or apologise.

    The click's trigger_id is used only when the caller knows it is still unspent
    (``trigger_fresh``); otherwise the view the person is looking at is updated, or they are
    told privately (see :func:`handlers.replies.tell`).
    """
    tell(client, body, failure_words(error, body, context), trigger_fresh=trigger_fresh)


def failure_words(error: Exception, body: dict[str, Any], context: BoltContext) -> str:
    """What to say about ``error``: a rule's refusal in the program's words, or an apology."""
    if isinstance(error, DomainError):
        return in_their_words(error, body, context)
    return apology(error)


def in_their_words(error: DomainError, body: dict[str, Any], context: BoltContext) -> str:
    """The error in the workspace's words for the roles (the default words if unknown)."""
    try:
        return explain(services(context), team_of(body, context), error)
    except (DomainError, RuntimeError):  # no workspace or services to read the words from
        return error.message


@dataclass(frozen=True, order=True)
class ListenerKey:
    """What a listener answers: its kind and the id Slack sends for it."""

    kind: str  # "command", "action", "view" (submission), "view_closed", "event"
    id: str

    @classmethod
    def of(cls, kind: str, constraints: Any) -> ListenerKey:
        """The key of a listener registered with Bolt ``constraints`` (an id, a pattern, a
        dict of ``action_id``/``callback_id``/``type``)."""
        if isinstance(constraints, dict):
            kind = constraints.get("type", kind)
            constraints = constraints.get("action_id") or constraints.get("callback_id")
        if isinstance(constraints, re.Pattern):
            return cls(kind, constraints.pattern)
        return cls(kind, str(constraints))


def guarded(listener: F, ran: Callable[[], None] | None = None) -> F:
    """``listener``, run so that nothing it raises reaches Bolt (see the module docstring).

    Bolt passes a listener the arguments its signature names; the guard's signature names the
    listener's own and the few it needs, and hands the listener only its own. ``ran`` is told
    each time the listener is about to run.
    """
    own = list(inspect.signature(listener).parameters)

    def run(**kwargs: Any) -> None:
        if ran is not None:
            ran()
        body: dict[str, Any] = kwargs["body"]
        watch = TriggerWatch(kwargs["client"], body.get("trigger_id"))
        given = {**kwargs, "client": watch}
        try:
            listener(**{name: given[name] for name in own})
        except Exception as error:  # noqa: BLE001 - the one place a listener's failure is answered
            ack: Ack = kwargs["ack"]
            words = failure_words(error, body, kwargs["context"])
            if ack.response is None:  # Slack gets its answer in time, whatever happened
                if body.get("type") == "view_submission":
                    # The form the person submitted shows what happened, in its place.
                    ack(response_action="update", view=notice(escape(words)))
                    return
                ack()
            tell(kwargs["client"], body, words, trigger_fresh=not watch.spent)

    names = list(dict.fromkeys([*own, *NEEDED]))
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )
    run.__name__, run.__qualname__ = listener.__name__, listener.__qualname__
    run.__doc__ = listener.__doc__
    return cast(F, run)


class TriggerWatch:
    """The client a listener is given: notes whether it used the request's trigger_id.

    A trigger is good for one views.open or views.push; the guard must know whether the
    listener spent it before answering a failure with a modal of its own.
    """

    def __init__(self, client: WebClient, trigger_id: str | None) -> None:
        self._client = client
        self._trigger_id = trigger_id
        self.spent = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def views_open(self, **kwargs: Any) -> Any:
        self._note(kwargs)
        return self._client.views_open(**kwargs)

    def views_push(self, **kwargs: Any) -> Any:
        self._note(kwargs)
        return self._client.views_push(**kwargs)

    def _note(self, kwargs: dict[str, Any]) -> None:
        if self._trigger_id and kwargs.get("trigger_id") == self._trigger_id:
            self.spent = True


Observer = Callable[[ListenerKey], None]


class Listeners:
    """Registers guarded listeners on a Bolt app; what each handlers module's ``register`` gets.

    ``keys`` lists what was registered; ``observe`` (if given) is told the key of each listener
    that runs.
    """

    def __init__(self, app: App, observe: Observer | None = None) -> None:
        self.app = app
        self.keys: list[ListenerKey] = []
        self._observe = observe

    def action(self, constraints: Any) -> Callable[[F], F]:
        return self._on(self.app.action(constraints), ListenerKey.of("action", constraints))

    def view(self, constraints: Any) -> Callable[[F], F]:
        return self._on(self.app.view(constraints), ListenerKey.of("view", constraints))

    def command(self, command: str) -> Callable[[F], F]:
        return self._on(self.app.command(command), ListenerKey("command", command))

    def event(self, event: str) -> Callable[[F], F]:
        return self._on(self.app.event(event), ListenerKey("event", event))

    def _on(self, register: Callable[..., Any], key: ListenerKey) -> Callable[[F], F]:
        self.keys.append(key)
        observe = self._observe
        ran = None if observe is None else lambda: observe(key)

        def add(listener: F) -> F:
            register(guarded(listener, ran))
            return listener

        return add
