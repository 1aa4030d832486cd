"""App Home: publishing it, and the buttons that only live there (pause, resume)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from blocks.home import home_view
from blocks.ids import Action, Field, View
from blocks.profiles import pause_modal, saved_modal
from blocks.text import slack_date
from handlers.deps import caller, explain, services, team_of, words
from handlers.forms import local_day_start, state_values
from handlers.listening import Listeners
from handlers.services import Services
from mentoring.core.errors import DomainError
from mentoring.core.members import get_member
from mentoring.home.app_home import home_for
from mentoring.meetings.home import meetings_home
from mentoring.profiles.editing import pause, resume

log = logging.getLogger(__name__)


def publish_home(svc: Services, client: WebClient, team_id: str, user_id: str) -> None:
    """Draw the member's Home tab from the current state."""
    now = svc.now()
    is_admin = svc.is_admin(team_id, user_id)
    with svc.db.read() as session:
        data = home_for(
            session=session, team_id=team_id, slack_user_id=user_id, is_admin=is_admin, now=now
        )
        meetings = meetings_home(session=session, team_id=team_id, slack_user_id=user_id, now=now)
    view = home_view(data, now=now, words=data.settings.words, meetings=meetings)
    client.views_publish(user_id=user_id, view=view)


def on_home_opened(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(services(context), client, team_of(body, context), event["user"])


def open_pause(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    svc = services(context)
    client.views_open(
        trigger_id=body["trigger_id"], view=pause_modal(words=words(svc, team_of(body, context)))
    )


def submit_pause(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    svc, team, user = caller(body, context)
    now = svc.now()
    try:
        with svc.db.read() as session:
            member = get_member(session=session, team_id=team, slack_user_id=user)
        tz = member.tz if member else "UTC"
        until = local_day_start(state_values(view).get(Field.PAUSE_UNTIL), tz, Field.PAUSE_UNTIL)
        if until is None:
            raise DomainError("Pick a date.", field=Field.PAUSE_UNTIL)
        with svc.db.write() as session:
            pause(session=session, team_id=team, slack_user_id=user, until=until, now=now)
    except DomainError as err:
        ack(response_action="errors", errors={Field.PAUSE_UNTIL: explain(svc, team, err)})
        return
    ack(
        response_action="update",
        view=saved_modal("Paused", f"New requests are paused until {slack_date(until)}."),
    )
    publish_home(svc, client, team, user)


def on_resume(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    svc, team, user = caller(body, context)
    with svc.db.write() as session:
        resume(session=session, team_id=team, slack_user_id=user, now=svc.now())
    publish_home(svc, client, team, user)


def register(app: Listeners) -> None:
    app.event("app_home_opened")(on_home_opened)
    app.action(Action.PAUSE)(open_pause)
    app.view(View.PAUSE)(submit_pause)
    app.action(Action.RESUME)(on_resume)
