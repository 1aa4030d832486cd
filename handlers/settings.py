"""``/mentor-admin settings``: every program setting in one modal, validated inline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk.models.views import View

from blocks.ids import Setting
from blocks.ids import View as ViewId
from blocks.settings import describe_changes, refused_modal, settings_modal, settings_saved_modal
from handlers.deps import caller, words
from handlers.listening import Listeners
from handlers.settings_form import read_settings_form
from mentoring.core.errors import InvalidInput
from mentoring.program.settings import get_settings
from mentoring.program.settings_changes import InvalidSettings, settings_problems, update_settings

if TYPE_CHECKING:
    from handlers.access import AdminCall

NOT_ADMIN = "Only the program's admins can change its settings. Nothing was saved."
BLOCKS = frozenset(s.value for s in Setting)


def open_settings(call: AdminCall) -> None:
    """Open the settings modal, filled in with the workspace's current settings."""

    def build() -> View:
        with call.svc.db.read() as session:
            settings = get_settings(session=session, team_id=call.team)
        return settings_modal(settings, words=settings.words)

    call.show(build)


def on_submit_settings(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """Save every setting at once, or show every problem next to its input and save nothing."""
    svc, team, user = caller(body, context)
    if not svc.is_admin(team, user):  # rights may have changed since the modal opened
        ack(response_action="update", view=refused_modal(NOT_ADMIN))
        return
    form = read_settings_form(view)
    problems: dict[str, InvalidInput] = {}
    if form.errors:
        # What was typed wrong is the form's to say; the domain judges everything else.
        with svc.db.read() as session:
            current = get_settings(session=session, team_id=team).model_dump(mode="json")
        problems = settings_problems({**current, **form.changes}, unreadable=form.unreadable)
    else:
        try:
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
        except InvalidSettings as err:
            problems = err.problems
    if form.errors or problems:
        said = words(svc, team)
        errors = {_block(key): problem.say(said) for key, problem in problems.items()}
        ack(response_action="errors", errors={**errors, **form.errors})
        return
    changed = describe_changes(before, after, form.renames, words=after.words)
    ack(response_action="update", view=settings_saved_modal(changed))


def _block(key: str) -> str:
    """The input a problem about ``key`` belongs next to."""
    if key in BLOCKS:
        return key
    if key == "terminology":
        return Setting.MENTOR_WORD
    return Setting.MAX_PENDING_REQUESTS  # not tied to one input: the top of the form


def register(app: Listeners) -> None:
    app.view(ViewId.SETTINGS)(on_submit_settings)
