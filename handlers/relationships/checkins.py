"""Answering a check-in from its card: Yes, Not yet, We need help (with a note), a rating."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from blocks.profiles import saved_modal
from blocks.relationships.checkins import help_modal
from blocks.relationships.ids import RelAction, RelField, RelView
from handlers.buttons import acting, by_id, opening
from handlers.deps import caller, explain
from handlers.forms import id_number, metadata, state_values, text
from handlers.listening import Listeners
from mentoring.core.errors import DomainError
from mentoring.program.settings import get_settings
from mentoring.relationships.checkins import (
    Answer,
    answer_checkin,
    check_can_answer,
    rate_checkin,
    tell_admins_of_help,
)


def _rating(action: dict[str, Any]) -> dict[str, Any]:
    """The check-in and the rating a rating option stands for ("<checkin>:<1-5>")."""
    raw = str((action.get("selected_option") or {}).get("value") or "")
    checkin, _sep, rating = raw.partition(":")
    return {"checkin_id": id_number(checkin), "rating": id_number(rating)}


def _help_form(session: Session, team: str, user: str, action: dict[str, Any]) -> View:
    """We need help: refuse a stranger or a second answer now, else ask for the note."""
    checkin = check_can_answer(
        session=session,
        team_id=team,
        checkin_id=id_number(action.get("value")),
        actor_user_id=user,
    )
    return help_modal(checkin.id, get_settings(session=session, team_id=team).words)


def on_submit_help(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    checkin_id = id_number(metadata(view).get("checkin", 0))
    try:
        with svc.db.write() as session:
            answer_checkin(
                session=session,
                team_id=team,
                checkin_id=checkin_id,
                actor_user_id=user,
                answer=Answer.HELP,
                note=text(state_values(view), RelField.NOTE),
                admins=sorted(svc.admin_user_ids),
                now=svc.now(),
            )
    except DomainError as err:
        ack(response_action="errors", errors={RelField.NOTE: explain(svc, team, err)})
        return
    ack(
        response_action="update",
        view=saved_modal(
            "Help is on its way",
            ":sos: The program's admins have your note and will be in touch.",
        ),
    )
    svc.tell_slack_admins_too(
        team,
        lambda session, admins: tell_admins_of_help(
            session=session,
            team_id=team,
            checkin_id=checkin_id,
            actor_user_id=user,
            admins=admins,
            now=svc.now(),
        ),
    )
    svc.deliver()


def register(app: Listeners) -> None:
    checkin = by_id("checkin_id")
    app.action(RelAction.CHECKIN_YES)(acting(answer_checkin, checkin, answer=Answer.YES))
    app.action(RelAction.CHECKIN_NOT_YET)(acting(answer_checkin, checkin, answer=Answer.NOT_YET))
    app.action(RelAction.CHECKIN_HELP)(opening(_help_form))
    app.action(RelAction.CHECKIN_RATE)(acting(rate_checkin, _rating))
    app.view(RelView.CHECKIN_HELP)(on_submit_help)
