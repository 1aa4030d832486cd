"""Viewing a member's whole profile, and the link buttons to the program's resources."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.directory import dm_link
from blocks.ids import Action
from blocks.ids import View as ViewId
from blocks.profiles import member_profile_modal
from handlers.deps import caller
from handlers.listening import Listeners
from handlers.replies import in_modal
from mentoring.core.wording import Words
from mentoring.profiles.page import profile_page
from mentoring.program.settings import get_settings


def on_view_profile(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Show the person's profile: pushed on top when clicked inside a modal, opened otherwise.

    A profile opened from another profile replaces it (and a full stack of modals gets the
    profile in place of its top view), since Slack stacks three views at most.
    """
    ack()
    svc, team, user = caller(body, context)
    now = svc.now()
    person = str(action.get("value") or "")
    with svc.db.read() as session:
        page = profile_page(
            session=session, team_id=team, slack_user_id=person, viewer_user_id=user, now=now
        )
        terms = get_settings(session=session, team_id=team).terminology
    view = member_profile_modal(
        page, now=now, words=Words(terms.mentor, terms.mentee), dm_url=dm_link(team, person)
    )
    if not in_modal(body):
        client.views_open(trigger_id=body["trigger_id"], view=view)
        return
    shown = body["view"]
    if shown.get("callback_id") == ViewId.MEMBER_PROFILE:
        # From one profile to the next (a mentor's mentee, say): replace it, so browsing never
        # runs into Slack's limit of three stacked views.
        client.views_update(view_id=shown["id"], view=view)
        return
    try:
        client.views_push(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as err:
        if err.response.get("error") != "push_limit_reached":
            raise
        client.views_update(view_id=shown["id"], view=view)


def ack_link(ack: Ack) -> None:
    """A link button: Slack opens the URL itself and still tells the app; nothing to do."""
    ack()


def register(app: Listeners) -> None:
    app.action(Action.VIEW_PROFILE)(on_view_profile)
    app.action(Action.OPEN_RESOURCE)(ack_link)
