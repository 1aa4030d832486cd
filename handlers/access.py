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
from slack_sdk.models.views import View
from slack_sdk.web import SlackResponse

from blocks.ids import Field
from blocks.reports.dashboard import notice_modal
from handlers.deps import caller, explain
from handlers.forms import state_values, text
from handlers.replies import fill_in, in_modal, tell
from handlers.services import Services
from mentoring.asks.followups import validated_close_reason
from mentoring.core.errors import DomainError, InvalidInput

# Says nothing about the program (no counts, no names), to anyone who is not an admin.
REFUSAL = "Sorry, `/mentor-admin` is only for the mentoring program's admins."
LOADING = ":hourglass_flowing_sand: One moment…"


@dataclass(frozen=True, slots=True)
class AdminCall:
    """One ``/mentor-admin`` invocation by an admin (verified, or still to be asked of Slack)."""

    svc: Services
    client: WebClient
    respond: Respond
    team: str
    user: str
    trigger_id: str
    args: str  # whatever followed the subcommand
    verified: bool = True  # False: only Slack can say (checked after the trigger is used)

    def allowed(self) -> bool:
        """Whether the caller is an admin (asks Slack if it must: never before a trigger's use)."""
        return self.verified or self.svc.is_admin(self.team, self.user)

    def show(self, build: Callable[[], View], *, slow: bool = False) -> None:
        """Open the modal ``build`` draws, with the command's trigger.

        When Slack must still confirm the caller's rights, or drawing is ``slow``, a "one
        moment" modal opens at once and is then replaced by the view (or by the refusal): a
        trigger lives three seconds.
        """
        if self.verified and not slow:
            self.client.views_open(trigger_id=self.trigger_id, view=build())
            return
        opened = self.client.views_open(trigger_id=self.trigger_id, view=loading_modal())
        view = build() if self.allowed() else notice_modal(REFUSAL)
        fill_in(self.client, opened, view, f"admin view for {self.user}")


def loading_modal() -> View:
    """What an admin sees for the moment it takes to check rights or draw a report."""
    return notice_modal(LOADING)


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
    # The "one moment" view opened with the click's trigger while Slack checked the rights.
    placeholder: SlackResponse | None = None

    def show(self, view: View) -> None:
        """Show the view this click asked for: in place of the placeholder, pushed over the
        modal clicked in, or as a new modal."""
        if self.placeholder is not None:
            fill_in(self.client, self.placeholder, view, f"admin view for {self.user}")
        elif in_modal(self.body):
            self.client.views_push(trigger_id=self.body["trigger_id"], view=view)
        else:
            self.client.views_open(trigger_id=self.body["trigger_id"], view=view)


AdminListener = Callable[[Ack, dict[str, Any], dict[str, Any], BoltContext, WebClient], None]


def admin_action(
    *, in_place: bool = False, opens: bool = False
) -> Callable[[Callable[[AdminClick], None]], AdminListener]:
    """Make ``handler(click)`` a Bolt action listener for admins only.

    The listener acks, checks admin rights on the server (refusing anyone else), and only then
    runs ``handler``. A handler that ``opens`` a view with the click's trigger shows it with
    :meth:`AdminClick.show`: when only Slack can confirm the rights, a "one moment" view is
    opened (or pushed) first, so the trigger is used before Slack is asked, and the view
    replaces it.
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
            svc, team, user = caller(body, context)
            known = svc.admin_known(team, user)
            placeholder = None
            if known is None and opens:
                show = client.views_push if in_modal(body) else client.views_open
                placeholder = show(trigger_id=body["trigger_id"], view=loading_modal())
            if not (known or svc.is_admin(team, user)):
                fresh = known is not None  # Slack was not asked: the trigger is still young
                refuse_click(client, body, in_place, placeholder, trigger_fresh=fresh)
                return
            click = AdminClick(svc, client, team, user, body, action, placeholder)
            try:
                handler(click)
            except DomainError as err:
                if placeholder is None:
                    raise  # the guard answers it (handlers.listening)
                click.show(notice_modal(explain(svc, team, err)))

        # Not functools.wraps: Bolt injects arguments by the names in the listener's signature,
        # which must stay this function's own, not the handler's.
        listener.__name__, listener.__doc__ = handler.__name__, handler.__doc__
        return listener

    return wrap


def refuse_click(
    client: WebClient,
    body: dict[str, Any],
    in_place: bool,
    placeholder: SlackResponse | None,
    *,
    trigger_fresh: bool,
) -> None:
    """Refuse a click by someone who is not (or no longer) an admin.

    The refusal replaces the placeholder opened for the click if any; with ``in_place`` (a click
    in an admin modal that only admins are shown) it replaces that modal, so what it showed
    goes away too; otherwise the person is told where they clicked.
    """
    if placeholder is not None:
        fill_in(client, placeholder, notice_modal(REFUSAL), "admin refusal")
    elif in_place and in_modal(body):
        refuse_in_modal(client, body)
    else:
        tell(client, body, REFUSAL, trigger_fresh=trigger_fresh)


def admin_submitted(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> tuple[Services, str, str] | None:
    """Answer an admin form whose input was found valid: ack it (it closes), then confirm rights.

    Someone known not to be an admin is refused in place of the form, so what it showed of the
    program goes too. When only Slack can say, it is asked after the ack (nothing remote before
    an ack); on a no, the view under the form (or a direct message) says so and nothing changes.
    ``None``: refused, the listener stops there.
    """
    svc, team, user = caller(body, context)
    known = svc.admin_known(team, user)
    if known is False:
        ack(response_action="update", view=notice_modal(REFUSAL))
        return None
    ack()
    if known or svc.is_admin(team, user):
        return svc, team, user
    refuse_after_ack(client, body, user)
    return None


def admin_closing(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> tuple[Services, str, str, str] | None:
    """An admin's close form (a reason the other side reads): the reason is checked before the
    answer (inline error if it won't do), rights after it (:func:`admin_submitted`).

    Returns the services, team, user and reason; ``None`` when the listener stops there.
    """
    reason = text(state_values(view), Field.REASON)
    try:
        validated_close_reason(reason)
    except InvalidInput as err:
        svc, team, _user = caller(body, context)
        ack(response_action="errors", errors={Field.REASON: explain(svc, team, err)})
        return None
    admin = admin_submitted(ack, body, context, client)
    return None if admin is None else (*admin, reason)


def refuse_after_ack(client: WebClient, body: dict[str, Any], user: str, view_id: str = "") -> None:
    """Refuse a submission already answered: in ``view_id`` (or the view under the submitted
    one), else in a direct message."""
    shown = view_id or (body.get("view") or {}).get("previous_view_id")
    if shown:
        client.views_update(view_id=shown, view=notice_modal(REFUSAL))
    else:
        client.chat_postMessage(channel=user, text=REFUSAL)
