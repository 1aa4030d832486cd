"""Finishing, ending early, and hiding relationships."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.profiles import saved_modal
from blocks.relationships.ending import ABANDON, FINISH, end_modal
from handlers.buttons import Build, acting, by_id, opening
from handlers.deps import caller, explain
from handlers.forms import id_number, metadata, state_values, text
from handlers.home import publish_home
from handlers.listening import Listeners
from mentoring.core.errors import DomainError
from mentoring.relationships.lifecycle import abandon, finish, relationship_party, set_hidden


def _end_form(mode: str) -> Build:
    def build(session: Session, team: str, user: str, action: dict[str, Any]) -> View:
        rel, other = relationship_party(
            session=session,
            team_id=team,
            relationship_id=id_number(action.get("value")),
            actor_user_id=user,
        )
        return end_modal(relationship_id=rel.id, other_name=other.display_name, mode=mode)

    return build


def on_submit_end(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    meta, values = metadata(view), state_values(view)
    relationship_id = int(meta.get("relationship", 0))
    finishing = meta.get("mode") == FINISH
    try:
        with svc.db.write() as session:
            if finishing:
                finish(
                    session=session,
                    team_id=team,
                    relationship_id=relationship_id,
                    actor_user_id=user,
                    note=text(values, Field.NOTE),
                    now=svc.now(),
                )
            else:
                abandon(
                    session=session,
                    team_id=team,
                    relationship_id=relationship_id,
                    actor_user_id=user,
                    reason=text(values, Field.REASON),
                    now=svc.now(),
                )
    except DomainError as err:
        ack(
            response_action="errors",
            errors={Field.NOTE if finishing else Field.REASON: explain(svc, team, err)},
        )
        return
    ack(
        response_action="update",
        view=saved_modal(
            "Mentoring finished" if finishing else "Mentoring ended",
            ":white_check_mark: Done. The other person has been told."
            + (" Thank you for mentoring together!" if finishing else ""),
        ),
    )
    svc.deliver()


def _republish_home(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    svc, team, user = caller(body, context)
    publish_home(svc, client, team, user)


def register(app: Listeners) -> None:
    app.action(Action.FINISH)(opening(_end_form(FINISH)))
    app.action(Action.ABANDON)(opening(_end_form(ABANDON)))
    app.view(ViewId.END_RELATIONSHIP)(on_submit_end)
    hidden = by_id("relationship_id")
    app.action(Action.HIDE)(acting(set_hidden, hidden, then=_republish_home, hidden=True))
    app.action(Action.SHOW)(acting(set_hidden, hidden, then=_republish_home, hidden=False))
