"""Mentor offers: browsing mentees still looking (``/find-mentor mentees``), sending an offer.

Answering an offer goes through the request listeners (handlers.requests): an offer is a request
the mentee answers.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.offers import (
    ANY_AREA,
    browse_refused_modal,
    mentees_modal,
    offer_modal,
    offer_sent_modal,
)
from handlers.deps import caller, explain, services, team_of, user_of
from handlers.forms import metadata, state_values, text
from handlers.listening import Listeners
from handlers.replies import fill_in
from handlers.services import Services
from mentoring.core.errors import DomainError
from mentoring.core.members import get_members
from mentoring.core.wording import Words
from mentoring.offers.browsing import check_can_browse, mentees_looking
from mentoring.offers.sending import check_can_offer, send_offer
from mentoring.program.settings import get_settings

log = logging.getLogger(__name__)
PAGE_SIZE = 8


def build_mentees_view(
    svc: Services, team: str, user: str, *, area: str | None = None, page: int = 1
) -> View:
    """Run the browse and render it (raises the domain's errors, e.g. offers turned off)."""
    with svc.db.read() as session:
        settings = get_settings(session=session, team_id=team)
        found = mentees_looking(
            session=session,
            team_id=team,
            mentor_user_id=user,
            now=svc.now(),
            functional_area=area,
            page=page,
            page_size=PAGE_SIZE,
        )
    return mentees_modal(
        page=found,
        functional_areas=settings.functional_areas,
        area=area,
        words=Words(settings.terminology.mentor, settings.terminology.mentee),
    )


def open_offers(
    svc: Services, client: WebClient, body: dict[str, Any], team: str, user: str, trigger_id: str
) -> None:
    """Open the browse modal at once, then fill in the mentees; or say why this person can't.

    The trigger id expires three seconds after the click and ranking every mentee still looking
    takes a noticeable moment in a large program, so (as ``/find-mentor`` does) the modal opens
    with the filter and a "finding" line, and the ranked mentees replace it through
    views.update. The update carries the opened view's hash: if the person already picked an
    area, that newer browse wins and this one is dropped.
    """
    with svc.db.read() as session:
        check_can_browse(session=session, team_id=team, mentor_user_id=user)
        settings = get_settings(session=session, team_id=team)
    opened = client.views_open(
        trigger_id=trigger_id,
        view=mentees_modal(
            page=None, functional_areas=settings.functional_areas, area=None, words=settings.words
        ),
    )
    try:
        view = build_mentees_view(svc, team, user)
    except DomainError as err:  # the program changed in the moment between: say so in place
        view = browse_refused_modal(explain(svc, team, err))
    fill_in(client, opened, view, f"mentees for {user}")


def on_open_offers(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    svc = services(context)
    open_offers(
        svc, client, body, team_of(body, context), user_of(body, context), body["trigger_id"]
    )


def on_filter(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    area = (action.get("selected_option") or {}).get("value")
    _redraw(body, context, client, area=None if area == ANY_AREA else area, page=1)


def on_submit_filter(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """Filter pressed: show the first page for the chosen area in place."""
    svc = services(context)
    team = team_of(body, context)
    area = state_values(view).get(Field.FUNCTIONAL_AREA)
    try:
        updated = build_mentees_view(
            svc,
            team,
            user_of(body, context),
            area=None if area in (None, ANY_AREA) else str(area),
        )
    except DomainError as err:
        ack(response_action="errors", errors={Field.FUNCTIONAL_AREA: explain(svc, team, err)})
        return
    ack(response_action="update", view=updated)


def on_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    area = metadata(body["view"]).get("area")
    try:
        page = max(1, int(action.get("value") or 1))
    except ValueError:
        page = 1
    _redraw(body, context, client, area=area, page=page)


def _redraw(
    body: dict[str, Any], context: BoltContext, client: WebClient, *, area: Any, page: int
) -> None:
    svc = services(context)
    team = team_of(body, context)
    view = build_mentees_view(
        svc,
        team,
        user_of(body, context),
        area=str(area) if area else None,
        page=page,
    )
    client.views_update(view_id=body["view"]["id"], view=view)


def on_offer_mentee(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Push the offer form for the mentee on the clicked card."""
    ack()
    svc, team, user = caller(body, context)
    with svc.db.read() as session:
        _mentor, mentee = check_can_offer(
            session=session,
            team_id=team,
            mentor_user_id=user,
            mentee_user_id=str(action.get("value") or ""),
        )
        settings = get_settings(session=session, team_id=team)
    view = offer_modal(
        mentee=mentee,
        min_length=settings.message_min_length,
        max_length=settings.message_max_length,
        words=Words(settings.terminology.mentor, settings.terminology.mentee),
    )
    client.views_push(trigger_id=body["trigger_id"], view=view)


def on_submit_offer(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    svc, team, user = caller(body, context)
    try:
        with svc.db.write() as session:
            offer = send_offer(
                session=session,
                team_id=team,
                mentor_user_id=user,
                mentee_user_id=str(metadata(view).get("mentee") or ""),
                message=text(state_values(view), Field.MESSAGE),
                now=svc.now(),
            )
            mentee = get_members(session=session, team_id=team, ids=[offer.mentee_id])[
                offer.mentee_id
            ]
    except DomainError as err:
        # Every rule shows next to the message box, where the person is looking.
        ack(response_action="errors", errors={Field.MESSAGE: explain(svc, team, err)})
        return
    ack(response_action="update", view=offer_sent_modal(mentee=mentee))
    svc.deliver()


def register(app: Listeners) -> None:
    app.action(Action.OPEN_OFFERS)(on_open_offers)
    app.action(Action.OFFERS_FILTER)(on_filter)
    app.action(Action.OFFERS_PAGE)(on_page)
    app.view(ViewId.OFFERS)(on_submit_filter)
    app.action(Action.OFFER_MENTEE)(on_offer_mentee)
    app.view(ViewId.OFFER)(on_submit_offer)
