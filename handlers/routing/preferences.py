"""Admin-routed matching, the mentee's side: choosing ranked preferences, withdrawing them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.routing.preferences import PREFERENCE_FIELDS, preferences_modal, preferences_sent_modal
from handlers.deps import caller, explain, services, team_of, user_of
from handlers.forms import id_number, state_values, text
from handlers.home import publish_home
from handlers.listening import Listeners
from handlers.services import Services
from mentoring.core.errors import DomainError
from mentoring.core.wording import Words
from mentoring.program.settings import get_settings
from mentoring.routing.assignment import withdraw_submission
from mentoring.routing.notices import announce_submission
from mentoring.routing.preferences import check_can_submit, choices_for, submit_preferences


def open_preferences(
    svc: Services,
    client: WebClient,
    body: dict[str, Any],
    team: str,
    user: str,
    *,
    first: str | None = None,
    push: bool = False,
) -> None:
    """Open the preferences form (``first``: the mentor whose card it was opened from)."""
    now = svc.now()
    with svc.db.read() as session:
        check_can_submit(session=session, team_id=team, mentee_user_id=user)
        settings = get_settings(session=session, team_id=team)
        choices = choices_for(
            session=session, team_id=team, mentee_user_id=user, now=now, first=first
        )
    view = preferences_modal(
        choices=choices,
        first=first,
        min_length=settings.message_min_length,
        max_length=settings.message_max_length,
        words=Words(settings.terminology.mentor, settings.terminology.mentee),
    )
    if push:
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_open_preferences(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    svc = services(context)
    open_preferences(svc, client, body, team_of(body, context), user_of(body, context))


def on_submit_preferences(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    svc, team, user = caller(body, context)
    values = state_values(view)
    picked = [(field, str(values.get(field) or "")) for field in PREFERENCE_FIELDS]
    filled = [(field, value) for field, value in picked if value]
    try:
        with svc.db.write() as session:
            submission = submit_preferences(
                session=session,
                team_id=team,
                mentee_user_id=user,
                mentor_user_ids=[value for _field, value in filled],
                message=text(values, Field.MESSAGE),
                now=svc.now(),
                admin_user_ids=sorted(svc.admin_user_ids),
            )
            terms = get_settings(session=session, team_id=team).terminology
    except DomainError as err:
        ack(
            response_action="errors",
            errors={_block_for(err.field, filled): explain(svc, team, err)},
        )
        return
    ack(
        response_action="update",
        view=preferences_sent_modal(submission, Words(terms.mentor, terms.mentee)),
    )
    svc.tell_slack_admins_too(
        team,
        lambda session, admins: announce_submission(
            session=session,
            team_id=team,
            submission_id=submission.id,
            admin_user_ids=admins,
            now=svc.now(),
        ),
    )
    svc.deliver()
    publish_home(svc, client, team, user)


def _block_for(field: str | None, filled: Sequence[tuple[str, str]]) -> str:
    """The input an error is about: the domain counts filled preferences, the form all three."""
    if field == "message":
        return Field.MESSAGE
    if field and field.startswith("preference_"):
        rank = int(field.removeprefix("preference_"))
        if 1 <= rank <= len(filled):
            return filled[rank - 1][0]
    return Field.PREFERENCE_1


def on_withdraw_preferences(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    svc, team, user = caller(body, context)
    with svc.db.write() as session:
        withdraw_submission(
            session=session,
            team_id=team,
            request_id=id_number(action.get("value")),
            actor_user_id=user,
            now=svc.now(),
        )
    svc.deliver()  # the admins' notices of it, redrawn
    publish_home(svc, client, team, user)


def register(app: Listeners) -> None:
    app.action(Action.OPEN_PREFERENCES)(on_open_preferences)
    app.view(ViewId.PREFERENCES)(on_submit_preferences)
    app.action(Action.WITHDRAW_PREFERENCES)(on_withdraw_preferences)
