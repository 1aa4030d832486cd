"""``/mentor-admin relationships``: pairs at risk and terms ending soon, with Nudge and End."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from blocks.relationships.ids import RelAction, RelField, RelView
from blocks.relationships.oversight import admin_end_modal, oversight_modal
from blocks.reports.dashboard import notice_modal
from handlers.access import REFUSAL, AdminClick, admin_action
from handlers.deps import caller, explain, words
from handlers.forms import id_number, metadata, state_values, text
from handlers.listening import Listeners
from handlers.services import Services
from mentoring.asks.followups import validated_close_reason
from mentoring.core.actors import Actor
from mentoring.core.errors import DomainError, InvalidInput
from mentoring.core.members import get_members
from mentoring.relationships.oversight import end_by_admin, nudge, oversight
from mentoring.relationships.parties import load_relationship, require_active

if TYPE_CHECKING:
    from handlers.access import AdminCall


def _view(svc: Services, team: str, note: str | None = None) -> Any:
    with svc.db.read() as session:
        data = oversight(session=session, team_id=team, now=svc.now())
    return oversight_modal(data, words(svc, team), note)


def show_relationships(call: AdminCall) -> None:
    """Open the view (the caller was verified as an admin)."""
    call.show(lambda: _view(call.svc, call.team))


@admin_action(in_place=True)
def on_nudge(click: AdminClick) -> None:
    svc, team = click.svc, click.team
    try:
        with svc.db.write() as session:
            nudge(
                session=session,
                team_id=team,
                relationship_id=id_number(click.action.get("value")),
                actor=Actor(click.user, is_admin=True),
                now=svc.now(),
            )
    except DomainError as err:
        note = explain(svc, team, err)
    else:
        svc.deliver()
        note = "Nudged: both got a friendly message."
    click.client.views_update(view_id=click.body["view"]["id"], view=_view(svc, team, note))


@admin_action(in_place=True, opens=True)
def on_end(click: AdminClick) -> None:
    """End relationship: ask for the reason in a modal pushed over the list."""
    svc, team = click.svc, click.team
    try:
        with svc.db.read() as session:
            rel = load_relationship(session, team, id_number(click.action.get("value")))
            require_active(rel)
            people = get_members(session=session, team_id=team, ids=[rel.mentor_id, rel.mentee_id])
            view = admin_end_modal(
                rel.id, people[rel.mentor_id].display_name, people[rel.mentee_id].display_name
            )
    except DomainError as err:
        note = explain(svc, team, err)
        if click.placeholder is not None:  # the "one moment" view on top says it too
            click.show(notice_modal(note))
        click.client.views_update(view_id=click.body["view"]["id"], view=_view(svc, team, note))
        return
    click.show(view)


def on_submit_end(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Check the reason here (nothing remote before the answer), then act and redraw the list."""
    svc, team, user = caller(body, context)
    reason = text(state_values(view), RelField.REASON)
    try:
        validated_close_reason(reason)
    except InvalidInput as err:
        ack(response_action="errors", errors={RelField.REASON: explain(svc, team, err)})
        return
    ack()  # back on the list, which is redrawn below
    parent = view.get("previous_view_id")
    if not svc.is_admin(team, user):
        if parent:
            client.views_update(view_id=parent, view=notice_modal(REFUSAL))
        return
    try:
        with svc.db.write() as session:
            end_by_admin(
                session=session,
                team_id=team,
                relationship_id=id_number(metadata(view).get("relationship", 0)),
                actor=Actor(user, is_admin=True),
                reason=reason,
                now=svc.now(),
            )
    except DomainError as err:
        note = explain(svc, team, err)
    else:
        svc.deliver()
        note = "Ended: both were told your reason and asked for feedback."
    if parent:
        client.views_update(view_id=parent, view=_view(svc, team, note))


def register(app: Listeners) -> None:
    app.action(RelAction.ADMIN_NUDGE)(on_nudge)
    app.action(RelAction.ADMIN_END)(on_end)
    app.view(RelView.ADMIN_END)(on_submit_end)
