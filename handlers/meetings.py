"""Flash mentoring: requesting a one-time meeting, accepting a time, declining, withdrawing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from blocks.ids import SLOT_FIELDS, Action, Field, View
from blocks.meetings.forms import (
    meeting_decline_modal,
    meeting_done_modal,
    meeting_modal,
    meeting_sent_modal,
)
from handlers.deps import caller, explain
from handlers.forms import DeclineForm, id_number, integer, metadata, state_values, text
from handlers.listening import Listeners
from handlers.profiles.editing import open_profile_modal
from handlers.replies import act_then_deliver, in_modal
from mentoring.core.errors import DomainError
from mentoring.core.members import get_member
from mentoring.core.wording import Words
from mentoring.meetings.asking import (
    accept_slot,
    check_can_answer,
    check_can_request_meeting,
    decline,
    send_meeting_request,
    withdraw,
)
from mentoring.meetings.rules import local_time, meeting_decline_reasons, slot_field
from mentoring.program.settings import get_settings

# Domain error fields -> the form's input blocks; anything else shows by the topic.
FORM_BLOCKS: dict[str, str] = {
    "topic": Field.TOPIC,
    "message": Field.MESSAGE,
    "duration": Field.DURATION,
    **{slot_field(i): day for i, (day, _time) in enumerate(SLOT_FIELDS)},
}


def on_request_meeting(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Open the meeting form for the mentor on the clicked card, if the rules allow it."""
    ack()
    svc, team, user = caller(body, context)
    with svc.db.read() as session:
        me = get_member(session=session, team_id=team, slack_user_id=user)
    if me is None:
        open_profile_modal(svc, client, team, user, body["trigger_id"], push=in_modal(body))
        return
    with svc.db.read() as session:
        mentee, mentor = check_can_request_meeting(
            session=session,
            team_id=team,
            mentee_user_id=user,
            mentor_user_id=str(action.get("value") or ""),
            now=svc.now(),
        )
        settings = get_settings(session=session, team_id=team)
    view = meeting_modal(
        mentor=mentor,
        tz=mentee.tz,
        min_length=settings.message_min_length,
        max_length=settings.message_max_length,
        words=Words(settings.terminology.mentor, settings.terminology.mentee),
    )
    if in_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def proposed_times(values: dict[str, Any], tz: str) -> list[datetime | None]:
    """The form's three date + time pairs, read in the mentee's timezone (``None``: empty)."""
    return [
        local_time(values.get(day), values.get(clock), tz, slot_field(i))
        for i, (day, clock) in enumerate(SLOT_FIELDS)
    ]


def on_submit_meeting(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    mentor_user = str(metadata(view).get("mentor", ""))
    values = state_values(view)
    try:
        with svc.db.read() as session:
            me = get_member(session=session, team_id=team, slack_user_id=user)
        with svc.db.write() as session:
            send_meeting_request(
                session=session,
                team_id=team,
                mentee_user_id=user,
                mentor_user_id=mentor_user,
                topic=text(values, Field.TOPIC),
                message=text(values, Field.MESSAGE),
                proposed_times=proposed_times(values, me.tz if me else "UTC"),
                duration_minutes=integer(values, Field.DURATION),
                now=svc.now(),
            )
            mentor = get_member(session=session, team_id=team, slack_user_id=mentor_user)
            terms = get_settings(session=session, team_id=team).terminology
    except DomainError as err:
        # Nothing typed is lost: the modal stays open with the error next to its input.
        ack(
            response_action="errors",
            errors={FORM_BLOCKS.get(err.field or "", Field.TOPIC): explain(svc, team, err)},
        )
        return
    assert mentor is not None  # noqa: S101 - send_meeting_request checked it
    words = Words(terms.mentor, terms.mentee)
    ack(response_action="update", view=meeting_sent_modal(mentor=mentor, words=words))
    svc.deliver()


def on_accept_slot(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    meeting_id, _sep, slot = str(action.get("value") or "").partition(":")
    act_then_deliver(
        accept_slot,
        ack,
        body,
        context,
        client,
        meeting_id=id_number(meeting_id),
        slot=id_number(slot, -1),
    )


def on_withdraw(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    act_then_deliver(
        withdraw, ack, body, context, client, meeting_id=id_number(action.get("value"))
    )


def on_decline(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Open the decline form, unless this person can no longer decline this request."""
    ack()
    svc, team, user = caller(body, context)
    with svc.db.read() as session:
        meeting, mentee = check_can_answer(
            session=session,
            team_id=team,
            meeting_id=id_number(action.get("value")),
            actor_user_id=user,
        )
        settings = get_settings(session=session, team_id=team)
    view = meeting_decline_modal(
        meeting_id=meeting.id,
        mentee=mentee,
        reasons=meeting_decline_reasons(settings.words),
        words=settings.words,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def on_submit_decline(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    form = DeclineForm.of(view)
    try:
        with svc.db.write() as session:
            declined = decline(
                session=session,
                team_id=team,
                meeting_id=id_number(metadata(view).get("meeting")),
                actor_user_id=user,
                reason=form.reason,
                note=form.note,
                now=svc.now(),
            )
    except DomainError as err:
        field = Field.NOTE if err.field == Field.NOTE else Field.REASON
        ack(response_action="errors", errors={field: explain(svc, team, err)})
        return
    ack(
        response_action="update",
        view=meeting_done_modal("Meeting declined", DeclineForm.said(declined.decline_reason)),
    )
    svc.deliver()


def register(app: Listeners) -> None:
    app.action(Action.REQUEST_MEETING)(on_request_meeting)
    app.view(View.MEETING)(on_submit_meeting)
    app.action(Action.MEETING_ACCEPT)(on_accept_slot)
    app.action(Action.MEETING_DECLINE)(on_decline)
    app.view(View.MEETING_DECLINE)(on_submit_decline)
    app.action(Action.MEETING_WITHDRAW)(on_withdraw)
