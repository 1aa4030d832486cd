"""``/mentor-admin recommend``: push recommended mentors to the mentees still looking."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from blocks.ids import Field
from blocks.ids import View as ViewId
from blocks.recommendations import push_report, recommend_modal, working_modal
from blocks.text import escape
from handlers.access import REFUSAL, refuse_after_ack
from handlers.deps import caller
from handlers.forms import integer, state_values
from handlers.listening import Listeners
from mentoring.core.actors import Actor
from mentoring.core.errors import DomainError
from mentoring.core.wording import Words
from mentoring.program.settings import get_settings
from mentoring.recommendations.service import push_recommendations

if TYPE_CHECKING:
    from handlers.access import AdminCall

log = logging.getLogger(__name__)


def open_recommend(call: AdminCall) -> None:
    """``/mentor-admin recommend`` (the caller checked admin rights)."""

    def build() -> View:
        with call.svc.db.read() as session:
            settings = get_settings(session=session, team_id=call.team)
        return recommend_modal(
            functional_areas=settings.functional_areas,
            words=Words(settings.terminology.mentor, settings.terminology.mentee),
        )

    call.show(build)


def on_submit_recommend(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Push, then report in a direct message: a large program takes longer than an ack may."""
    svc, team, user = caller(body, context)
    known = svc.admin_known(team, user)  # Slack, if it must be asked, is asked after the ack
    if known is False:
        ack(response_action="errors", errors={Field.PER_MENTEE: REFUSAL})
        return
    values = state_values(view)
    with svc.db.read() as session:
        terms = get_settings(session=session, team_id=team).terminology
    words = Words(terms.mentor, terms.mentee)
    try:
        per_mentee = integer(values, Field.PER_MENTEE) or 0
    except DomainError as err:
        ack(response_action="errors", errors={Field.PER_MENTEE: err.say(words)})
        return
    ack(response_action="update", view=working_modal(words))
    if not (known or svc.is_admin(team, user)):
        refuse_after_ack(client, body, user, view_id=view["id"])
        return
    try:
        # Chooses in a read session and writes in short batches: other writers barely wait.
        report = push_recommendations(
            db=svc.db,
            team_id=team,
            actor=Actor(user, is_admin=True),
            per_mentee=per_mentee,
            functional_area=values.get(Field.FUNCTIONAL_AREA),
            now=svc.now(),
        )
    except DomainError as err:
        client.chat_postMessage(
            channel=user, text=f"Recommendations were not sent: {escape(err.say(words))}"
        )
        return
    summary, blocks = push_report(report, words)
    client.chat_postMessage(channel=user, text=escape(summary), blocks=blocks)
    svc.deliver()


def register(app: Listeners) -> None:
    app.view(ViewId.RECOMMEND)(on_submit_recommend)
