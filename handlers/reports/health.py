"""``/mentor-admin health``: the Program Health Report, for a period picked in the modal."""

from __future__ import annotations

from slack_sdk.models.views import View

from blocks.ids import Action
from blocks.reports.health import health_modal
from blocks.reports.relationships import relationship_blocks
from handlers.access import REFUSAL, AdminCall, AdminClick, admin_action
from handlers.forms import metadata
from handlers.listening import Listeners
from handlers.services import Services
from mentoring.meetings.stats import meeting_stats
from mentoring.program.settings import get_settings
from mentoring.relationships.stats import relationship_health
from mentoring.reports.health import PERIOD_DAYS, program_health, trailing_period
from mentoring.routing.queue import submission_stats

DEFAULT_DAYS = 30


def build_health(svc: Services, team_id: str, days: int) -> View:
    """Compute the report and the meeting figures for the last ``days`` days and draw them
    (one read transaction)."""
    now = svc.now()
    start, end = trailing_period(now, days)
    with svc.db.read() as session:
        report = program_health(session=session, team_id=team_id, start=start, end=end, now=now)
        meetings = meeting_stats(session=session, team_id=team_id, start=start, end=end, now=now)
        submissions = submission_stats(
            session=session, team_id=team_id, start=start, end=end, now=now
        )
        settings = get_settings(session=session, team_id=team_id)
        pairs = relationship_health(session=session, team_id=team_id, start=start, end=end, now=now)
    return health_modal(
        report,
        days=days,
        words=settings.words,
        meetings=meetings,
        meetings_enabled=settings.flash_mentoring_enabled,
        submissions=submissions,
        relationships=relationship_blocks(pairs, settings.words),
    )


def _days(raw: object) -> int | None:
    text = str(raw or "").strip().lower().removesuffix("days").removesuffix("d").strip()
    return int(text) if text.isdigit() and int(text) in PERIOD_DAYS else None


def show_health(call: AdminCall) -> None:
    """``/mentor-admin health [7|30|90|365]`` (the last 30 days by default)."""
    days = _days(call.args) if call.args else DEFAULT_DAYS
    if days is None and not call.allowed():
        call.respond(text=REFUSAL, response_type="ephemeral")
        return
    if days is None:
        *first, last = (str(d) for d in PERIOD_DAYS)
        choices = f"{', '.join(first)} or {last}"
        call.respond(
            text=f"The health report covers the last {choices} days: try "
            f"`/mentor-admin health 90`.",
            response_type="ephemeral",
        )
        return
    # Computing the report takes a moment: it fills in a modal opened at once.
    call.show(lambda: build_health(call.svc, call.team, days), slow=True)


@admin_action(in_place=True)
def on_period(click: AdminClick) -> None:
    """Another period picked: redraw the report in place."""
    days = (
        _days((click.action.get("selected_option") or {}).get("value"))
        or _days(metadata(click.body["view"]).get("days"))
        or DEFAULT_DAYS
    )
    view = build_health(click.svc, click.team, days)
    click.client.views_update(view_id=click.body["view"]["id"], view=view)


def register(app: Listeners) -> None:
    app.action(Action.ADMIN_HEALTH_PERIOD)(on_period)
