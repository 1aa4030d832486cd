"""Registering listeners: every one is guarded, so whatever it raises is answered here.

Listeners let a rule's refusal (a DomainError from a mentoring operation) through, and a bug
may raise anything. Bolt must never see either once a listener has acked: when a listener
raises after ``ack()`` but before Bolt's request thread has noticed the ack, Bolt's thread
runner resets the ack and Slack gets no answer until the 3-second limit has passed (the person
sees "didn't respond"). So each listener runs inside :func:`guarded`, which acks if the listener
had not, then tells the person what happened (their mistake in the program's words, or ours
with an error id to quote). The app's own error handler (bot.app) uses the same words for what
fails outside listeners.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar, cast

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers.deps import explain, services, team_of
from handlers.replies import apology, tell
from mentoring.core.errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])
# What the guard itself needs from Bolt, whatever the listener asks for.
NEEDED = ("ack", "body", "context", "client")


def answer_failure(
    error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Tell the person a rule refused what they did (in the program's words), or apologise."""
    if isinstance(error, DomainError):
        tell(client, body, in_their_words(error, body, context))
    else:
        tell(client, body, apology(error))


def in_their_words(error: DomainError, body: dict[str, Any], context: BoltContext) -> str:
    """The error in the workspace's words for the roles (the default words if unknown)."""
    try:
        return explain(services(context), team_of(body, context), error)
    except (DomainError, RuntimeError):  # no workspace or services to read the words from
        return error.message


def guarded(listener: F) -> F:
    """``listener``, run so that nothing it raises reaches Bolt (see the module docstring).

    Bolt passes a listener the arguments its signature names; the guard's signature names the
    listener's own and the few it needs, and hands the listener only its own.
    """
    own = list(inspect.signature(listener).parameters)

    def run(**kwargs: Any) -> None:
        try:
            listener(**{name: kwargs[name] for name in own})
        except Exception as error:  # noqa: BLE001 - the one place a listener's failure is answered
            ack: Ack = kwargs["ack"]
            if ack.response is None:  # Slack gets its answer in time, whatever happened
                ack()
            answer_failure(error, kwargs["body"], kwargs["client"], kwargs["context"])

    names = list(dict.fromkeys([*own, *NEEDED]))
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )
    run.__name__, run.__qualname__ = listener.__name__, listener.__qualname__
    run.__doc__ = listener.__doc__
    return cast(F, run)


class Listeners:
    """Registers guarded listeners on a Bolt app; what each handlers module's ``register`` gets."""

    def __init__(self, app: App) -> None:
        self.app = app

    def action(self, constraints: Any) -> Callable[[F], F]:
        return self._on(self.app.action(constraints))

    def view(self, constraints: Any) -> Callable[[F], F]:
        return self._on(self.app.view(constraints))

    def command(self, command: str) -> Callable[[F], F]:
        return self._on(self.app.command(command))

    def event(self, event: str) -> Callable[[F], F]:
        return self._on(self.app.event(event))

    @staticmethod
    def _on(register: Callable[..., Any]) -> Callable[[F], F]:
        def add(listener: F) -> F:
            register(guarded(listener))
            return listener

        return add
