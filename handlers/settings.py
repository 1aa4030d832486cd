"""``/mentor-admin settings``: every program setting in one modal, validated inline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from blocks.ids import Setting
from blocks.ids import View as ViewId
from blocks.settings import describe_changes, refused_modal, settings_modal, settings_saved_modal
from handlers.deps import caller, words
from handlers.listening import Listeners
from handlers.services import Services
from handlers.settings_form import FormReading, read_settings_form
from mentoring.core.errors import InvalidInput
from mentoring.program.settings import get_settings
from mentoring.program.settings_changes import InvalidSettings, settings_problems, update_settings

if TYPE_CHECKING:
    from handlers.access import AdminCall

NOT_ADMIN = "Only the program's admins can change its settings. Nothing was saved."
SAVING = ":hourglass_flowing_sand: Saving…"
BLOCKS = frozenset(s.value for s in Setting)


def open_settings(call: AdminCall) -> None:
    """Open the settings modal, filled in with the workspace's current settings."""

    def build() -> View:
        with call.svc.db.read() as session:
            settings = get_settings(session=session, team_id=call.team)
        return settings_modal(settings, words=settings.words)

    call.show(build)


def on_submit_settings(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save every setting at once, or show every problem next to its input and save nothing.

    Rights may have changed since the modal opened, so they are checked again; when only Slack
    can say, the form is checked first, answered with a "saving" view, and Slack is asked after
    the answer (nothing remote before an ack): the view then says saved, or refused.
    """
    svc, team, user = caller(body, context)
    known = svc.admin_known(team, user)
    if known is False:
        ack(response_action="update", view=refused_modal(NOT_ADMIN))
        return
    form = read_settings_form(view)
    with svc.db.read() as session:
        current = get_settings(session=session, team_id=team).model_dump(mode="json")
    # What was typed wrong is the form's to say; the domain judges everything else.
    problems = settings_problems({**current, **form.changes}, unreadable=form.unreadable)
    if form.errors or problems:
        _refuse(ack, svc, team, problems, form.errors)
        return
    if known:
        try:
            ack(response_action="update", view=_save(svc, team, user, form))
        except InvalidSettings as err:  # another admin's change made these wrong meanwhile
            _refuse(ack, svc, team, err.problems, {})
        return
    ack(response_action="update", view=refused_modal(SAVING))
    if not svc.is_admin(team, user):
        client.views_update(view_id=view["id"], view=refused_modal(NOT_ADMIN))
        return
    try:
        done = _save(svc, team, user, form)
    except InvalidSettings as err:
        said = words(svc, team)
        lines = "\n".join(f"• {p.say(said)}" for p in err.problems.values())
        done = refused_modal(f"Nothing was saved:\n{lines}")
    client.views_update(view_id=view["id"], view=done)


def _save(svc: Services, team: str, user: str, form: FormReading) -> View:
    """Save the form's settings; the view that says what changed (raises InvalidSettings)."""
    with svc.db.write() as session:
        before = get_settings(session=session, team_id=team)
        after = update_settings(
            session=session,
            team_id=team,
            actor=user,
            changes=form.changes,
            renames=form.renames,
            now=svc.now(),
        )
    return settings_saved_modal(describe_changes(before, after, form.renames, words=after.words))


def _refuse(
    ack: Ack,
    svc: Services,
    team: str,
    problems: dict[str, InvalidInput],
    form_errors: dict[str, str],
) -> None:
    said = words(svc, team)
    errors = {_block(key): problem.say(said) for key, problem in problems.items()}
    ack(response_action="errors", errors={**errors, **form_errors})


def _block(key: str) -> str:
    """The input a problem about ``key`` belongs next to."""
    if key in BLOCKS:
        return key
    if key == "terminology":
        return Setting.MENTOR_WORD
    return Setting.MAX_PENDING_REQUESTS  # not tied to one input: the top of the form


def register(app: Listeners) -> None:
    app.view(ViewId.SETTINGS)(on_submit_settings)
