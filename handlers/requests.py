"""Requests: asking a mentor, accepting, declining, withdrawing."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from blocks.ids import Action, Field, View
from blocks.requests.cards import answered_modal, decline_modal, request_modal, request_sent_modal
from handlers.deps import caller, explain
from handlers.forms import DeclineForm, local_day_start, metadata, state_values, text
from handlers.listening import Listeners
from handlers.profiles.editing import open_profile_modal
from handlers.replies import act_then_deliver, in_modal, tell
from handlers.routing.preferences import open_preferences
from mentoring.core.errors import DomainError, NotEnrolled
from mentoring.core.members import get_member
from mentoring.program.settings import MatchingMode, get_settings
from mentoring.requests.answers import accept, check_can_answer, decline, decline_reasons_for
from mentoring.requests.sending import send_request, withdraw
from store.enums import RequestKind

log = logging.getLogger(__name__)


def on_request_mentor(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Open the request modal for the mentor on the clicked card (pushed when inside a modal)."""
    ack()
    svc, team, user = caller(body, context)
    modal = in_modal(body)
    with svc.db.read() as session:
        settings = get_settings(session=session, team_id=team)
        me = get_member(session=session, team_id=team, slack_user_id=user)
        mentor = get_member(session=session, team_id=team, slack_user_id=action["value"])
    if me is None:
        open_profile_modal(svc, client, team, user, body["trigger_id"], push=modal)
        return
    if mentor is None or not mentor.is_mentor:
        tell(client, body, f"That person is no longer {settings.words.a_mentor} in this program.")
        return
    if settings.matching_mode is MatchingMode.ADMIN_ROUTED:
        # Mentees choose preferences for the admins instead of asking mentors directly.
        open_preferences(svc, client, body, team, user, first=mentor.slack_user_id, push=modal)
        return
    view = request_modal(
        mentor=mentor,
        min_length=settings.message_min_length,
        max_length=settings.message_max_length,
        words=settings.words,
    )
    if modal:
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_submit_request(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    mentor_user = str(metadata(view).get("mentor", ""))
    try:
        with svc.db.write() as session:
            send_request(
                session=session,
                team_id=team,
                mentee_user_id=user,
                mentor_user_id=mentor_user,
                message=text(state_values(view), Field.MESSAGE),
                now=svc.now(),
            )
            mentor = get_member(session=session, team_id=team, slack_user_id=mentor_user)
            settings = get_settings(session=session, team_id=team)
    except DomainError as err:
        # Every rule of the program shows next to the message box, where the person is looking.
        ack(response_action="errors", errors={Field.MESSAGE: explain(svc, team, err)})
        return
    assert mentor is not None  # noqa: S101 - send_request checked it
    ack(response_action="update", view=request_sent_modal(mentor=mentor, words=settings.words))
    svc.deliver()


def on_accept(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    act_then_deliver(accept, ack, body, context, client, request_id=_request_id(action))


def on_decline(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Open the decline modal, unless the request can no longer be declined by this person."""
    ack()
    svc, team, user = caller(body, context)
    request_id = _request_id(action)
    with svc.db.read() as session:
        request, initiator, me = check_can_answer(
            session=session, team_id=team, request_id=request_id, actor_user_id=user
        )
        settings = get_settings(session=session, team_id=team)
    view = decline_modal(
        request_id=request.id,
        mentee=initiator,
        reasons=decline_reasons_for(request.kind, settings),
        is_mentor=me.id == request.mentor_id,
        words=settings.words,
        offer=request.kind is RequestKind.MENTOR_OFFER,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def on_submit_decline(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    form = DeclineForm.of(view)
    try:
        with svc.db.read() as session:
            me = get_member(session=session, team_id=team, slack_user_id=user)
        if me is None:
            raise NotEnrolled("You're not in the program any more.")
        pause_until = form.values.get(Field.PAUSE_UNTIL)
        with svc.db.write() as session:
            declined = decline(
                session=session,
                team_id=team,
                request_id=int(metadata(view).get("request", 0)),
                actor_user_id=user,
                reason=form.reason,
                note=form.note,
                pause_until=local_day_start(pause_until, me.tz, Field.PAUSE_UNTIL),
                now=svc.now(),
            )
    except DomainError as err:
        field = (
            err.field
            if err.field in (Field.REASON, Field.NOTE, Field.PAUSE_UNTIL)
            else Field.REASON
        )
        ack(response_action="errors", errors={field: explain(svc, team, err)})
        return
    ack(
        response_action="update",
        view=answered_modal(DeclineForm.said(declined.decline_reason)),
    )
    svc.deliver()


def on_withdraw(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    act_then_deliver(withdraw, ack, body, context, client, request_id=_request_id(action))


def _request_id(action: dict[str, Any]) -> int:
    try:
        return int(action.get("value") or 0)
    except ValueError:
        return 0


def register(app: Listeners) -> None:
    app.action(Action.REQUEST_MENTOR)(on_request_mentor)
    app.view(View.REQUEST)(on_submit_request)
    app.action(Action.ACCEPT)(on_accept)
    app.action(Action.DECLINE)(on_decline)
    app.view(View.DECLINE)(on_submit_decline)
    app.action(Action.WITHDRAW)(on_withdraw)
