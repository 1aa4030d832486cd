"""``/find-mentor``: the directory modal, its filters and paging."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from blocks.directory import ONLY_OPEN, search_modal
from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from handlers.deps import caller, explain, services, team_of, user_of
from handlers.forms import state_values, text
from handlers.listening import Listeners
from handlers.offers import open_offers
from handlers.profiles.editing import open_profile_modal
from handlers.replies import apology, fill_in
from handlers.services import Services
from mentoring.core.errors import DomainError
from mentoring.core.members import get_member
from mentoring.directory.search import DirectoryFilters, SearchPage, parse_filters, search_mentors
from mentoring.directory.stats import response_times
from mentoring.program.settings import MatchingMode, ProgramSettings, get_settings

log = logging.getLogger(__name__)
PAGE_SIZE = 8
# Directory filter names -> the search modal's input blocks, for inline errors.
FILTER_BLOCKS = {
    "text": Field.KEYWORDS,
    "functional_area": Field.FUNCTIONAL_AREA,
    "expertise": Field.EXPERTISE,
    "location": Field.LOCATION,
    "gender": Field.GENDER,
}


def build_search_view(
    svc: Services, team_id: str, user_id: str, filters: DirectoryFilters, page: int
) -> View:
    """Run the search and render the modal (one read transaction)."""
    now = svc.now()
    with svc.db.read() as session:
        settings = get_settings(session=session, team_id=team_id)
        results = search_mentors(
            session=session,
            team_id=team_id,
            searcher_user_id=user_id,
            filters=filters,
            now=now,
            page=page,
            page_size=PAGE_SIZE,
        )
        times = response_times(session=session, mentor_ids=[m.mentor.id for m in results.results])
    return _modal(settings, filters, team_id, results, times)


def _modal(
    settings: ProgramSettings,
    filters: DirectoryFilters,
    team_id: str,
    results: SearchPage | None = None,
    times: dict[int, timedelta] | None = None,
    problem: str | None = None,
) -> View:
    return search_modal(
        page=results,
        filters=filters,
        functional_areas=settings.functional_areas,
        expertise_tags=settings.expertise_tags,
        response_times=times or {},
        team_id=team_id,
        words=settings.words,
        meetings_enabled=settings.flash_mentoring_enabled,
        choose=settings.matching_mode is MatchingMode.ADMIN_ROUTED,
        problem=problem,
    )


def open_then_search(
    svc: Services,
    client: WebClient,
    team: str,
    user: str,
    trigger_id: str,
    filters: DirectoryFilters,
    settings: ProgramSettings,
) -> None:
    """Open the modal at once, then fill in the results.

    The trigger id expires three seconds after the click and ranking a large directory takes a
    noticeable moment, so the person first sees the filters and a "finding" line, and the
    results replace it through views.update. The update carries the opened view's hash: if the
    person already changed a filter, that newer search wins and this one is dropped.
    """
    opened = client.views_open(trigger_id=trigger_id, view=_modal(settings, filters, team))
    try:
        results = build_search_view(svc, team, user, filters, 1)
    except DomainError as err:
        results = _modal(settings, filters, team, problem=explain(svc, team, err))
    except Exception as err:  # noqa: BLE001 - never leave the modal saying "finding" for ever
        results = _modal(settings, filters, team, problem=apology(err))
    fill_in(client, opened, results, f"search results for {user}")


def filters_from_view(view: dict[str, Any]) -> DirectoryFilters:
    values = state_values(view)
    return parse_filters(
        {
            "text": text(values, Field.KEYWORDS) or None,
            "functional_area": values.get(Field.FUNCTIONAL_AREA),
            "expertise": values.get(Field.EXPERTISE) or [],
            "location": text(values, Field.LOCATION) or None,
            "gender": text(values, Field.GENDER) or None,
            "only_open": ONLY_OPEN in (values.get(Field.ONLY_OPEN) or []),
        }
    )


def on_find_mentor(
    ack: Ack,
    command: dict[str, Any],
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
) -> None:
    ack()
    svc, team, user = caller(body, context)
    words = command.get("text", "").strip()
    with svc.db.read() as session:
        member = get_member(session=session, team_id=team, slack_user_id=user)
        settings = get_settings(session=session, team_id=team)
    if words.lower() == "profile" or member is None:
        open_profile_modal(svc, client, team, user, command["trigger_id"])
        return
    if words.lower() == "mentees":
        open_offers(svc, client, body, team, user, command["trigger_id"])
        return
    try:
        filters = parse_filters({"text": words or None})
    except DomainError as err:
        respond(text=explain(svc, team, err), response_type="ephemeral")
        return
    open_then_search(svc, client, team, user, command["trigger_id"], filters, settings)


def open_search(svc: Services, client: WebClient, team: str, user: str, trigger_id: str) -> None:
    with svc.db.read() as session:
        settings = get_settings(session=session, team_id=team)
    open_then_search(svc, client, team, user, trigger_id, DirectoryFilters(), settings)


def on_open_search(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    open_search(
        services(context),
        client,
        team_of(body, context),
        user_of(body, context),
        body["trigger_id"],
    )


def on_filter_changed(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    _rerun(body, context, client, page=1)


def on_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    _rerun(body, context, client, page=max(1, int(action.get("value") or 1)))


def _rerun(body: dict[str, Any], context: BoltContext, client: WebClient, page: int) -> None:
    svc = services(context)
    view = body["view"]
    try:
        filters = filters_from_view(view)
    except DomainError:
        # A filter value Slack let through but the directory rejects: keep the last page shown.
        filters = DirectoryFilters()
    updated = build_search_view(svc, team_of(body, context), user_of(body, context), filters, page)
    # No hash: the newest filter wins when a person clicks faster than Slack answers.
    client.views_update(view_id=view["id"], view=updated)


def on_submit_search(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """The Search button applies every filter at once and keeps the modal open."""
    svc = services(context)
    try:
        filters = filters_from_view(view)
    except DomainError as err:
        block = FILTER_BLOCKS.get(err.field or "", Field.KEYWORDS)
        ack(response_action="errors", errors={block: explain(svc, team_of(body, context), err)})
        return
    ack(
        response_action="update",
        view=build_search_view(svc, team_of(body, context), user_of(body, context), filters, 1),
    )


def ack_only(ack: Ack) -> None:
    ack()


def register(app: Listeners) -> None:
    app.command("/find-mentor")(on_find_mentor)
    app.action(Action.OPEN_SEARCH)(on_open_search)
    app.action(Action.SEARCH_FILTER)(on_filter_changed)
    app.action(Action.SEARCH_PAGE_BACK)(on_page)
    app.action(Action.SEARCH_PAGE_NEXT)(on_page)
    app.view(ViewId.SEARCH)(on_submit_search)
    app.action(Action.MESSAGE_MENTOR)(ack_only)  # a link button: Slack opens the DM itself
