"""``/mentor-admin queue``: the admins' matching queue, assigning and closing submissions.

Every action re-checks admin rights on the server; button values are only ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from blocks.ids import Action
from blocks.ids import View as ViewId
from blocks.routing.preferences import close_submission_modal, queue_modal
from blocks.text import escape
from handlers.access import AdminClick, admin_action, admin_closing
from handlers.deps import explain
from handlers.forms import id_number, metadata
from handlers.listening import Listeners
from handlers.services import Services
from mentoring.core.actors import Actor
from mentoring.core.errors import DomainError
from mentoring.core.wording import Words
from mentoring.program.settings import get_settings
from mentoring.routing.assignment import assign, close_submission
from mentoring.routing.submissions import get_submission, pending_queue

if TYPE_CHECKING:
    from handlers.access import AdminCall

QUEUE_SIZE = 10


def build_queue(svc: Services, team: str, notice: str = "") -> View:
    now = svc.now()
    with svc.db.read() as session:
        queue = pending_queue(session=session, team_id=team, now=now, limit=QUEUE_SIZE)
        terms = get_settings(session=session, team_id=team).terminology
    return queue_modal(queue, now=now, words=Words(terms.mentor, terms.mentee), notice=notice)


def show_queue(call: AdminCall) -> None:
    """``/mentor-admin queue`` (the caller checked admin rights)."""
    call.show(lambda: build_queue(call.svc, call.team))


@admin_action(opens=True)
def on_open_queue(click: AdminClick) -> None:
    """Open queue: from an admin notice or digest (a new modal), or over the dashboard."""
    click.show(build_queue(click.svc, click.team))


@admin_action()
def on_assign(click: AdminClick) -> None:
    svc, team = click.svc, click.team
    try:
        with svc.db.write() as session:
            done = assign(
                session=session,
                team_id=team,
                request_id=id_number(click.action.get("value")),
                actor=Actor(click.user, is_admin=True),
                now=svc.now(),
            )
        mentee = done.submission.mentee.display_name
        mentor = done.submission.assigned.display_name if done.submission.assigned else ""
        notice = (
            f":white_check_mark: *{escape(mentee)}* and *{escape(mentor)}* are matched. Both "
            "were told and get a group DM; the other preferences are closed."
        )
    except DomainError as err:
        notice = f":warning: {escape(explain(svc, team, err))}"
    _show(click.client, click.body, build_queue(svc, team, notice))
    svc.deliver()


@admin_action(opens=True)
def on_close_submission(click: AdminClick) -> None:
    """Ask for the reason in a modal pushed over the queue."""
    svc, team = click.svc, click.team
    with svc.db.read() as session:
        submission = get_submission(
            session=session,
            team_id=team,
            request_id=id_number(click.action.get("value")),
            now=svc.now(),
        )
        terms = get_settings(session=session, team_id=team).terminology
    view = close_submission_modal(
        submission=submission,
        queue_view_id=str((click.body.get("view") or {}).get("id") or ""),
        words=Words(terms.mentor, terms.mentee),
    )
    click.show(view)


def on_submit_close(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Close the submission with the reason: checked before the answer, rights after it (Slack
    may be asked); the queue underneath says what happened."""
    closing = admin_closing(ack, body, view, context, client)
    if closing is None:
        return
    svc, team, user, reason = closing
    meta = metadata(view)
    try:
        with svc.db.write() as session:
            closed = close_submission(
                session=session,
                team_id=team,
                request_id=int(meta.get("submission") or 0),
                actor=Actor(user, is_admin=True),
                reason=reason,
                now=svc.now(),
            )
    except DomainError as err:
        notice = f":warning: {escape(explain(svc, team, err))}"
    else:
        notice = (
            f":lock: Closed *{escape(closed.mentee.display_name)}*'s preferences; they'll see "
            "your reason."
        )
    # The queue is the view under this form (Slack says which); the metadata copy is a fallback.
    queue_view = str(view.get("previous_view_id") or meta.get("queue") or "")
    if queue_view:
        client.views_update(view_id=queue_view, view=build_queue(svc, team, notice))
    svc.deliver()


def _show(client: WebClient, body: dict[str, Any], view: View) -> None:
    """Redraw the queue the button was in."""
    view_id = (body.get("view") or {}).get("id")
    if view_id:
        client.views_update(view_id=view_id, view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: Listeners) -> None:
    app.action(Action.OPEN_QUEUE)(on_open_queue)
    app.action(Action.ASSIGN)(on_assign)
    app.action(Action.CLOSE_SUBMISSION)(on_close_submission)
    app.view(ViewId.CLOSE_SUBMISSION)(on_submit_close)
