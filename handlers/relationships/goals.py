"""The pair's goals: the form (from the group DM or Home), saving it, marking one done."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from blocks.profiles import saved_modal
from blocks.relationships.goals import goals_modal
from blocks.relationships.ids import GOAL_FIELDS, RelAction, RelView
from handlers.buttons import acting, by_id, opening
from handlers.deps import caller, explain
from handlers.forms import id_number, metadata, state_values, text
from handlers.home import publish_home
from handlers.listening import Listeners
from mentoring.core.errors import DomainError
from mentoring.relationships.goals import goals_of, mark_goal_done, set_goals
from mentoring.relationships.lifecycle import relationship_party


def _goals_form(session: Session, team: str, user: str, action: dict[str, Any]) -> View:
    rel, other = relationship_party(
        session=session,
        team_id=team,
        relationship_id=id_number(action.get("value")),
        actor_user_id=user,
    )
    return goals_modal(rel.id, goals_of(session, [rel.id]).get(rel.id, ()), other.display_name)


def on_submit_goals(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    svc, team, user = caller(body, context)
    values = state_values(view)
    try:
        with svc.db.write() as session:
            saved = set_goals(
                session=session,
                team_id=team,
                relationship_id=id_number(metadata(view).get("relationship", 0)),
                actor_user_id=user,
                texts=[text(values, field) for field in GOAL_FIELDS],
                now=svc.now(),
            )
    except DomainError as err:
        block = err.field if err.field in GOAL_FIELDS else GOAL_FIELDS[0]
        ack(response_action="errors", errors={block: explain(svc, team, err)})
        return
    ack(
        response_action="update",
        view=saved_modal(
            "Goals saved",
            f":dart: {len(saved)} goal(s) saved. Your group DM and both Home tabs show them.",
        ),
    )
    svc.deliver()
    publish_home(svc, client, team, user)


def register(app: Listeners) -> None:
    app.action(RelAction.EDIT_GOALS)(opening(_goals_form))
    app.action(RelAction.GOAL_DONE)(acting(mark_goal_done, by_id("goal_id")))
    app.view(RelView.GOALS)(on_submit_goals)
