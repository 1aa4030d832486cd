"""The closure survey: open the form from its DM, and save what the person says."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from blocks.profiles import saved_modal
from blocks.relationships.closure import feedback_modal
from blocks.relationships.ids import RelAction, RelField, RelView
from handlers.buttons import opening
from handlers.deps import caller, explain
from handlers.forms import id_number, metadata, state_values, text
from handlers.listening import Listeners
from mentoring.core.errors import DomainError
from mentoring.core.members import get_members
from mentoring.program.settings import get_settings
from mentoring.relationships.closure import answer_feedback, check_can_answer
from mentoring.relationships.parties import load_relationship

FIELDS = (RelField.OUTCOME, RelField.RATING, RelField.NOTE)


def _feedback_form(session: Session, team: str, user: str, action: dict[str, Any]) -> View:
    relationship_id = id_number(action.get("value"))
    mine = check_can_answer(
        session=session, team_id=team, relationship_id=relationship_id, actor_user_id=user
    )
    rel = load_relationship(session, team, relationship_id)
    other_id = rel.mentee_id if mine.member_id == rel.mentor_id else rel.mentor_id
    other = get_members(session=session, team_id=team, ids=[other_id])[other_id]
    settings = get_settings(session=session, team_id=team)
    return feedback_modal(
        relationship_id,
        other.display_name,
        settings.words,
        ratings_public=settings.ratings_public,
    )


def on_submit_feedback(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    values = state_values(view)
    try:
        with svc.db.write() as session:
            answer_feedback(
                session=session,
                team_id=team,
                relationship_id=id_number(metadata(view).get("relationship", 0)),
                actor_user_id=user,
                outcome=text(values, RelField.OUTCOME),
                rating=id_number(values.get(RelField.RATING), default=0) or None,
                note=text(values, RelField.NOTE),
                now=svc.now(),
            )
    except DomainError as err:
        block = err.field if err.field in FIELDS else RelField.OUTCOME
        ack(response_action="errors", errors={block: explain(svc, team, err)})
        return
    ack(response_action="update", view=saved_modal("Thank you", ":pray: Thank you for sharing."))
    svc.deliver()


def register(app: Listeners) -> None:
    app.action(RelAction.FEEDBACK)(opening(_feedback_form))
    app.view(RelView.FEEDBACK)(on_submit_feedback)
