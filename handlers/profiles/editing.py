"""Enrollment: the profile modal, from App Home or ``/find-mentor profile``."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.profiles import ROLE_MENTEE, ROLE_MENTOR, profile_modal, saved_modal
from blocks.text import escape
from handlers.deps import caller, explain, services, team_of, user_of
from handlers.forms import integer, metadata, split_list, state_values, text
from handlers.home import publish_home
from handlers.listening import Listeners
from handlers.replies import fill_in
from handlers.services import Services
from mentoring.core.errors import DomainError
from mentoring.core.members import get_member
from mentoring.profiles.editing import enroll, parse_profile
from mentoring.program.settings import get_settings

log = logging.getLogger(__name__)
# Fields of the profile that have an input block of their own; errors on others go to roles.
FORM_FIELDS = {f.value for f in Field}


def slack_identity(client: WebClient, user_id: str) -> tuple[str, str] | None:
    """The person's display name and timezone from Slack (None if Slack would not say)."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError:
        log.warning("users.info failed for %s; keeping what we had", user_id, exc_info=True)
        return None
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user_id
    )
    return str(name)[:120], str(user.get("tz") or "UTC")


def open_profile_modal(
    svc: Services,
    client: WebClient,
    team_id: str,
    user_id: str,
    trigger_id: str,
    *,
    push: bool = False,
) -> None:
    """Open (or push onto a modal stack) the profile form, filled in with the current profile.

    The trigger is used first, with the name and timezone the program already has (none for a
    newcomer); Slack is asked for the current ones only then, and the form is updated with
    them (users.info may be slow, and a trigger lives three seconds).
    """
    with svc.db.read() as session:
        settings = get_settings(session=session, team_id=team_id)
        current = get_member(session=session, team_id=team_id, slack_user_id=user_id)

    def form(name: str, tz: str) -> View:
        view = profile_modal(
            current=current,
            functional_areas=settings.functional_areas,
            expertise_tags=settings.expertise_tags,
            max_capacity=settings.max_mentor_capacity,
            default_capacity=settings.default_mentor_capacity,
            display_name=name,
            words=settings.words,
        )
        view.private_metadata = json.dumps({"name": name or user_id, "tz": tz})
        return view

    known = form(current.display_name, current.tz) if current else form("", "UTC")
    show = client.views_push if push else client.views_open
    opened = show(trigger_id=trigger_id, view=known)
    identity = slack_identity(client, user_id)
    if identity is not None:
        fill_in(client, opened, form(*identity), f"profile form of {user_id}")


def on_open_profile(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    open_profile_modal(
        services(context),
        client,
        team_of(body, context),
        user_of(body, context),
        body["trigger_id"],
    )


def profile_input(view: dict[str, Any]) -> dict[str, Any]:
    """The form as the raw dict that mentoring.profiles.editing.parse_profile validates."""
    values = state_values(view)
    meta = metadata(view)
    roles = values.get(Field.ROLES) or []
    return {
        "display_name": meta.get("name") or "",
        "tz": meta.get("tz") or "UTC",
        "as_mentor": ROLE_MENTOR in roles,
        "as_mentee": ROLE_MENTEE in roles,
        "title": text(values, Field.TITLE),
        "functional_area": values.get(Field.FUNCTIONAL_AREA),
        "expertise": values.get(Field.EXPERTISE) or [],
        "interests": values.get(Field.INTERESTS) or [],
        "goals": text(values, Field.GOALS),
        "location": text(values, Field.LOCATION),
        "languages": split_list(text(values, Field.LANGUAGES)),
        "gender": text(values, Field.GENDER),
        "bio": text(values, Field.BIO),
        "mentor_capacity": integer(values, Field.CAPACITY),
    }


def on_submit_profile(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    svc, team, user = caller(body, context)
    data = profile_input(view)
    if data["display_name"] in ("", user):
        # Submitted before Slack said the newcomer's name: their handle, from the submission
        # itself (nothing remote before the ack); the next profile edit brings the full name.
        data["display_name"] = str((body.get("user") or {}).get("name") or user)
    try:
        profile = parse_profile(data)
        with svc.db.write() as session:
            member = enroll(
                session=session, team_id=team, slack_user_id=user, profile=profile, now=svc.now()
            )
    except DomainError as err:
        block = err.field if err.field in FORM_FIELDS else Field.ROLES
        ack(response_action="errors", errors={block: explain(svc, team, err)})
        return
    next_step = (
        "Type `/find-mentor` to browse the directory."
        if member.is_mentee
        else "Requests will reach you here in Slack."
    )
    ack(
        response_action="update",
        view=saved_modal(
            "Profile saved",
            f":white_check_mark: Thanks, {escape(member.display_name)}! {next_step}",
        ),
    )
    publish_home(svc, client, team, user)


def register(app: Listeners) -> None:
    app.action(Action.OPEN_PROFILE)(on_open_profile)
    app.view(ViewId.PROFILE)(on_submit_profile)
