"""``/mentor-admin [pending]`` and the Home tab's dashboard button: the requests dashboard.

The dashboard is one modal. Its status filter, order and paging redraw it in place
(views.update); Remind now acts and redraws it with a note; Close pushes a modal asking for the
reason, and its submission closes the request and redraws the dashboard underneath. Every click
and submission checks admin rights again.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from blocks.admin_dashboard import (
    DashboardState,
    close_modal,
    closed_note,
    dashboard_modal,
    notice_modal,
    reminded_note,
    stale_note,
)
from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from handlers.admin_access import REFUSAL, AdminCall, refuse_in_modal
from handlers.deps import explain, services, team_of, user_of, words
from handlers.forms import metadata, state_values, text
from handlers.services import Services
from mentoring.errors import DomainError, InvalidInput
from mentoring.pipeline import (
    AgeOrder,
    StatusFilter,
    close_request,
    pending_row,
    pipeline_page,
    remind_now,
)
from mentoring.transitions import Actor

log = logging.getLogger(__name__)
PAGE_SIZE = 20
E = TypeVar("E", bound=StrEnum)


def build_dashboard(
    svc: Services, team_id: str, state: DashboardState, note: str | None = None
) -> View:
    """Read one page of the pipeline and draw the dashboard (one read transaction)."""
    with svc.db.read() as session:
        page = pipeline_page(
            session=session,
            team_id=team_id,
            status=state.status,
            order=state.order,
            page=state.page,
            page_size=PAGE_SIZE,
        )
    return dashboard_modal(page, now=svc.now(), words=words(svc, team_id), note=note)


def open_dashboard(svc: Services, client: WebClient, team_id: str, trigger_id: str) -> None:
    """Open the dashboard on pending requests, oldest first (the caller checked admin rights)."""
    client.views_open(trigger_id=trigger_id, view=build_dashboard(svc, team_id, DashboardState()))


def show_pending(call: AdminCall) -> None:
    """``/mentor-admin`` and ``/mentor-admin pending``."""
    open_dashboard(call.svc, call.client, call.team, call.trigger_id)


def _verified(
    body: dict[str, Any], context: BoltContext, client: WebClient
) -> tuple[Services, str, str] | None:
    """The services, team and user of a click in the dashboard, if the user is an admin."""
    svc = services(context)
    team, user = team_of(body, context), user_of(body, context)
    if not svc.is_admin(team, user):
        refuse_in_modal(client, body)
        return None
    return svc, team, user


def _redraw(
    svc: Services,
    client: WebClient,
    team: str,
    body: dict[str, Any],
    state: DashboardState,
    note: str | None = None,
) -> None:
    # No hash: the latest click wins when an admin clicks faster than Slack answers.
    client.views_update(view_id=body["view"]["id"], view=build_dashboard(svc, team, state, note))


def _state(body: dict[str, Any]) -> DashboardState:
    return DashboardState.from_metadata(body["view"].get("private_metadata"))


def _selected(action: dict[str, Any], enum: type[E]) -> E | None:
    """The option chosen in a select, if it is one of ``enum``'s values."""
    try:
        return enum(str((action.get("selected_option") or {}).get("value")))
    except ValueError:
        return None


def _number(raw: object) -> int:
    try:
        return int(str(raw))
    except ValueError:
        return 0


def on_status(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    verified = _verified(body, context, client)
    if verified is None:
        return
    svc, team, _user = verified
    state = _state(body)
    status = _selected(action, StatusFilter)
    if status is not None:
        state = state.model_copy(update={"status": status, "page": 1})
    _redraw(svc, client, team, body, state)


def on_order(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    verified = _verified(body, context, client)
    if verified is None:
        return
    svc, team, _user = verified
    state = _state(body)
    order = _selected(action, AgeOrder)
    if order is not None:
        state = state.model_copy(update={"order": order, "page": 1})
    _redraw(svc, client, team, body, state)


def on_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    verified = _verified(body, context, client)
    if verified is None:
        return
    svc, team, _user = verified
    page = max(1, _number(action.get("value")))
    _redraw(svc, client, team, body, _state(body).model_copy(update={"page": page}))


def on_remind(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Remind now: queue the reminder, deliver it, and say so at the top of the dashboard."""
    ack()
    verified = _verified(body, context, client)
    if verified is None:
        return
    svc, team, user = verified
    try:
        with svc.db.write() as session:
            row = remind_now(
                session=session,
                team_id=team,
                request_id=_number(action.get("value")),
                actor=Actor(user, is_admin=True),
                now=svc.now(),
            )
    except DomainError as err:
        # Answered or closed meanwhile: say so, and show the row as it is now.
        _redraw(svc, client, team, body, _state(body), stale_note(explain(svc, team, err)))
        return
    svc.deliver()
    _redraw(svc, client, team, body, _state(body), reminded_note(row))


def on_close(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Close…: ask for the reason in a modal pushed over the dashboard."""
    ack()
    verified = _verified(body, context, client)
    if verified is None:
        return
    svc, team, _user = verified
    try:
        with svc.db.read() as session:
            row = pending_row(
                session=session, team_id=team, request_id=_number(action.get("value"))
            )
    except DomainError as err:
        _redraw(svc, client, team, body, _state(body), stale_note(explain(svc, team, err)))
        return
    view = close_modal(row, state=_state(body), words=words(svc, team))
    client.views_push(trigger_id=body["trigger_id"], view=view)


def on_submit_close(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Close the request with the reason; back on the dashboard, a note says it is done."""
    svc = services(context)
    team, user = team_of(body, context), user_of(body, context)
    if not svc.is_admin(team, user):
        ack(response_action="update", view=notice_modal(REFUSAL))
        return
    state = DashboardState.from_metadata(view.get("private_metadata"))
    try:
        with svc.db.write() as session:
            row = close_request(
                session=session,
                team_id=team,
                request_id=_number(metadata(view).get("request", 0)),
                actor=Actor(user, is_admin=True),
                reason=text(state_values(view), Field.REASON),
                now=svc.now(),
            )
    except InvalidInput as err:
        ack(response_action="errors", errors={Field.REASON: explain(svc, team, err)})
        return
    except DomainError as err:
        # Answered meanwhile: nothing was closed. Say so here, and refresh the dashboard.
        note = stale_note(explain(svc, team, err))
        ack(response_action="update", view=notice_modal(note, title="Nothing to close"))
        _redraw_parent(svc, client, team, view, state, note)
        return
    ack()  # closes this modal: the admin is back on the dashboard
    svc.deliver()
    _redraw_parent(svc, client, team, view, state, closed_note(row, words(svc, team)))


def _redraw_parent(
    svc: Services,
    client: WebClient,
    team: str,
    view: dict[str, Any],
    state: DashboardState,
    note: str,
) -> None:
    # Slack names the view this one was pushed over; the app never trusts its own metadata for
    # which view to change.
    parent = view.get("previous_view_id")
    if parent:
        client.views_update(view_id=parent, view=build_dashboard(svc, team, state, note))


def register(app: App) -> None:
    app.action(Action.ADMIN_STATUS)(on_status)
    app.action(Action.ADMIN_ORDER)(on_order)
    app.action(Action.ADMIN_PAGE_BACK)(on_page)
    app.action(Action.ADMIN_PAGE_NEXT)(on_page)
    app.action(Action.ADMIN_REMIND)(on_remind)
    app.action(Action.ADMIN_CLOSE)(on_close)
    app.view(ViewId.ADMIN_CLOSE)(on_submit_close)
