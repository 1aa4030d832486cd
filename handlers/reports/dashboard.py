"""``/mentor-admin [pending]`` and the Home tab's dashboard button: the requests dashboard.

The dashboard is one modal. Its kind (mentoring or meeting requests), status filter, order and
paging redraw it in place (views.update); Remind now acts and redraws it with a note; Close
pushes a modal asking for the reason, and its submission closes the request and redraws the
dashboard underneath. Rows of each kind have buttons (and a close form) of their own, so a
button's id says which table its value is an id in. Every click and submission checks admin
rights again, and domain errors are told in the program's own words for the roles.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any, TypeVar

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from blocks.ids import Action
from blocks.ids import View as ViewId
from blocks.reports.dashboard import (
    DashboardState,
    close_modal,
    closed_note,
    dashboard_modal,
    notice_modal,
    reminded_note,
    stale_note,
)
from blocks.reports.meeting_rows import (
    meeting_close_modal,
    meeting_closed_note,
    meeting_reminded_note,
)
from handlers.access import AdminCall, AdminClick, admin_action, admin_closing
from handlers.deps import explain, words
from handlers.forms import id_number, metadata
from handlers.listening import Listeners
from handlers.services import Services
from mentoring.core.actors import Actor
from mentoring.core.errors import DomainError
from mentoring.reports.admin_moves import (
    close_meeting_request,
    close_request,
    pending_meeting_row,
    pending_row,
    remind_meeting_now,
    remind_now,
)
from mentoring.reports.dashboard import (
    AgeOrder,
    PipelineKind,
    PipelineRow,
    StatusFilter,
    pipeline_page,
)
from mentoring.reports.meeting_rows import MeetingRow

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
            kind=state.kind,
        )
    return dashboard_modal(page, now=svc.now(), words=words(svc, team_id), note=note)


def show_pending(call: AdminCall) -> None:
    """``/mentor-admin`` and ``/mentor-admin pending``: pending requests, oldest first."""
    call.show(lambda: build_dashboard(call.svc, call.team, DashboardState()))


def _redraw(click: AdminClick, state: DashboardState, note: str | None = None) -> None:
    # No hash: the latest click wins when an admin clicks faster than Slack answers.
    view = build_dashboard(click.svc, click.team, state, note)
    click.client.views_update(view_id=click.body["view"]["id"], view=view)


def _state(body: dict[str, Any]) -> DashboardState:
    return DashboardState.from_metadata(body["view"].get("private_metadata"))


def _selected(action: dict[str, Any], enum: type[E]) -> E | None:
    """The option chosen in a select, if it is one of ``enum``'s values."""
    try:
        return enum(str((action.get("selected_option") or {}).get("value")))
    except ValueError:
        return None


# Each select at the top of the dashboard: the part of its state it sets, and its values.
SELECTS: dict[str, tuple[str, type[StrEnum]]] = {
    Action.ADMIN_KIND: ("kind", PipelineKind),
    Action.ADMIN_STATUS: ("status", StatusFilter),
    Action.ADMIN_ORDER: ("order", AgeOrder),
}


@admin_action(in_place=True)
def on_select(click: AdminClick) -> None:
    """A kind, status or order picked: the others stay as they were, from the first page."""
    state = _state(click.body)
    field, values = SELECTS[str(click.action.get("action_id"))]
    chosen = _selected(click.action, values)
    if chosen is not None:
        state = state.model_copy(update={field: chosen, "page": 1})
    _redraw(click, state)


@admin_action(in_place=True)
def on_page(click: AdminClick) -> None:
    page = max(1, id_number(click.action.get("value")))
    _redraw(click, _state(click.body).model_copy(update={"page": page}))


@admin_action(in_place=True)
def on_remind(click: AdminClick) -> None:
    """Remind now: queue the reminder, deliver it, and say so at the top of the dashboard."""
    svc, team = click.svc, click.team
    item, actor = id_number(click.action.get("value")), Actor(click.user, is_admin=True)
    row: PipelineRow | MeetingRow
    try:
        with svc.db.write() as session:
            if click.action.get("action_id") == Action.ADMIN_MEETING_REMIND:
                row = remind_meeting_now(
                    session=session, team_id=team, meeting_id=item, actor=actor, now=svc.now()
                )
            else:
                row = remind_now(
                    session=session, team_id=team, request_id=item, actor=actor, now=svc.now()
                )
    except DomainError as err:
        # Answered or closed meanwhile: say so, and show the row as it is now.
        _redraw(click, _state(click.body), stale_note(explain(svc, team, err)))
        return
    svc.deliver()
    note = meeting_reminded_note(row) if isinstance(row, MeetingRow) else reminded_note(row)
    _redraw(click, _state(click.body), note)


@admin_action(in_place=True, opens=True)
def on_close(click: AdminClick) -> None:
    """Close…: ask for the reason in a modal pushed over the dashboard."""
    svc, team = click.svc, click.team
    item, state = id_number(click.action.get("value")), _state(click.body)
    row: PipelineRow | MeetingRow
    try:
        with svc.db.read() as session:
            if click.action.get("action_id") == Action.ADMIN_MEETING_CLOSE:
                row = pending_meeting_row(session=session, team_id=team, meeting_id=item)
            else:
                row = pending_row(session=session, team_id=team, request_id=item)
    except DomainError as err:
        note = stale_note(explain(svc, team, err))
        if click.placeholder is not None:  # the "one moment" view on top says it too
            click.show(notice_modal(note, title="Nothing to close"))
        _redraw(click, state, note)
        return
    if isinstance(row, MeetingRow):
        view = meeting_close_modal(
            row, private_metadata=state.metadata(meeting=item), words=words(svc, team)
        )
    else:
        view = close_modal(row, state=state, words=words(svc, team))
    click.show(view)


def on_submit_close(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Close the request with the reason; back on the dashboard, a note says it is done.

    The reason is checked before the answer; rights are confirmed after it (Slack may be
    asked), so the dashboard underneath says what happened, including a refusal.
    """
    closing = admin_closing(ack, body, view, context, client)
    if closing is None:
        return
    svc, team, user, reason = closing
    state = DashboardState.from_metadata(view.get("private_metadata"))
    ids, actor = metadata(view), Actor(user, is_admin=True)
    row: PipelineRow | MeetingRow
    try:
        with svc.db.write() as session:
            if view.get("callback_id") == ViewId.ADMIN_CLOSE_MEETING:
                row = close_meeting_request(
                    session=session,
                    team_id=team,
                    meeting_id=id_number(ids.get("meeting", 0)),
                    actor=actor,
                    reason=reason,
                    now=svc.now(),
                )
            else:
                row = close_request(
                    session=session,
                    team_id=team,
                    request_id=id_number(ids.get("request", 0)),
                    actor=actor,
                    reason=reason,
                    now=svc.now(),
                )
    except DomainError as err:
        # Answered meanwhile: nothing was closed. The dashboard says so, refreshed.
        _redraw_parent(svc, client, team, view, state, stale_note(explain(svc, team, err)))
        return
    svc.deliver()
    said = words(svc, team)
    note = meeting_closed_note(row, said) if isinstance(row, MeetingRow) else closed_note(row, said)
    _redraw_parent(svc, client, team, view, state, note)


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


def register(app: Listeners) -> None:
    for select in SELECTS:
        app.action(select)(on_select)
    app.action(Action.ADMIN_PAGE_BACK)(on_page)
    app.action(Action.ADMIN_PAGE_NEXT)(on_page)
    app.action(Action.ADMIN_REMIND)(on_remind)
    app.action(Action.ADMIN_MEETING_REMIND)(on_remind)
    app.action(Action.ADMIN_CLOSE)(on_close)
    app.action(Action.ADMIN_MEETING_CLOSE)(on_close)
    app.view(ViewId.ADMIN_CLOSE)(on_submit_close)
    app.view(ViewId.ADMIN_CLOSE_MEETING)(on_submit_close)
