"""Who may use the admin features, and what everyone else is told.

Every admin entry point checks ``Services.is_admin`` itself, from the server side, on every
command, click and submission: a modal that was opened by an admin can be clicked after their
rights were taken away, and button values are only ever lookup keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from blocks.reports.dashboard import notice_modal
from handlers.deps import caller
from handlers.replies import in_modal, tell
from handlers.services import Services

# Says nothing about the program (no counts, no names), to anyone who is not an admin.
REFUSAL = "Sorry, `/mentor-admin` is only for the mentoring program's admins."


@dataclass(frozen=True, slots=True)
class AdminCall:
    """One ``/mentor-admin`` invocation by a verified admin."""

    svc: Services
    client: WebClient
    respond: Respond
    team: str
    user: str
    trigger_id: str
    args: str  # whatever followed the subcommand


def refuse_in_modal(client: WebClient, body: dict[str, Any]) -> None:
    """Answer a click in an admin modal by someone who is not (or no longer) an admin.

    The modal is replaced by the refusal, so the admin data it showed goes away too.
    """
    client.views_update(view_id=body["view"]["id"], view=notice_modal(REFUSAL))


@dataclass(frozen=True, slots=True)
class AdminClick:
    """A click (or choice) in an admin surface by a verified admin."""

    svc: Services
    client: WebClient
    team: str
    user: str
    body: dict[str, Any]
    action: dict[str, Any]


AdminListener = Callable[[Ack, dict[str, Any], dict[str, Any], BoltContext, WebClient], None]


def admin_action(
    *, in_place: bool = False
) -> Callable[[Callable[[AdminClick], None]], AdminListener]:
    """Make ``handler(click)`` a Bolt action listener for admins only.

    The listener acks, checks admin rights on the server (:func:`admin_click`, refusing
    anyone else), and only then runs ``handler``.
    """

    def wrap(handler: Callable[[AdminClick], None]) -> AdminListener:
        def listener(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            context: BoltContext,
            client: WebClient,
        ) -> None:
            ack()
            verified = admin_click(body, context, client, in_place=in_place)
            if verified is not None:
                svc, team, user = verified
                handler(AdminClick(svc, client, team, user, body, action))

        # Not functools.wraps: Bolt injects arguments by the names in the listener's signature,
        # which must stay this function's own, not the handler's.
        listener.__name__, listener.__doc__ = handler.__name__, handler.__doc__
        return listener

    return wrap


def admin_click(
    body: dict[str, Any], context: BoltContext, client: WebClient, *, in_place: bool = False
) -> tuple[Services, str, str] | None:
    """The services, team and user behind a click, when the user is a program admin.

    Anyone else is refused and ``None`` is returned: the listener stops there. With
    ``in_place`` (a click in an admin modal that only admins are shown), the refusal replaces
    that modal, so what it showed goes away too; otherwise the person is told privately.
    """
    svc, team, user = caller(body, context)
    if svc.is_admin(team, user):
        return svc, team, user
    if in_place and in_modal(body):
        refuse_in_modal(client, body)
    else:
        tell(client, body, REFUSAL)
    return None


def admin_submitting(
    ack: Ack, body: dict[str, Any], context: BoltContext
) -> tuple[Services, str, str] | None:
    """The services, team and user of an admin form's submission, when the user is an admin.

    Anyone else is refused in place of the form, so what it showed of the program goes too,
    and ``None`` is returned: the listener stops there.
    """
    svc, team, user = caller(body, context)
    if svc.is_admin(team, user):
        return svc, team, user
    ack(response_action="update", view=notice_modal(REFUSAL))
    return None
