"""The /find-mentor search modal: filters on top, ranked mentors below, paging at the end."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.blocks.basic_components import DispatchActionConfig
from slack_sdk.models.views import View

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.kit import actions, button, context, divider, modal, option, section
from blocks.profiles import profile_button
from blocks.text import duration_words, escape, plural
from mentoring.core.wording import Words
from mentoring.directory.search import (
    EXPERTISE_FILTER,
    GENDER_FILTER,
    KEYWORDS_FILTER,
    LOCATION_FILTER,
    DirectoryFilters,
    MentorMatch,
    SearchPage,
)

ONLY_OPEN = "only_open"
ON_ENTER = DispatchActionConfig(trigger_actions_on=["on_enter_pressed"])


def search_modal(
    *,
    page: SearchPage | None,
    filters: DirectoryFilters,
    functional_areas: Sequence[str],
    expertise_tags: Sequence[str],
    response_times: dict[int, timedelta],
    team_id: str,
    words: Words,
    meetings_enabled: bool = False,
    choose: bool = False,
    problem: str | None = None,
) -> View:
    """The directory with its filters. Changing a filter re-runs the search in place.

    With ``page=None`` the modal shows the filters and a line saying the search is running: it
    opens at once, and the results replace that line a moment later.
    With ``meetings_enabled`` (flash mentoring), each mentor also offers "Request meeting".
    ``choose``: the program matches through its admins, so each mentor's button adds them to
    the mentee's preferences instead of opening a request. ``problem`` (with ``page=None``): why
    the search could not run, shown instead of the results.
    """
    blocks: list[Block] = [
        *_filter_blocks(filters, functional_areas, expertise_tags, words),
        divider(),
    ]
    if problem is not None:
        blocks.append(section(f":warning: {escape(problem)}"))
    elif page is None:
        blocks.append(
            context(f":hourglass_flowing_sand: Finding the best {words.mentors} for you…")
        )
    else:
        blocks += _results(page, response_times, team_id, words, meetings_enabled, choose)
    return modal(
        f"Find {words.a_mentor}",
        ViewId.SEARCH,
        blocks,
        submit="Search",
        close="Done",
        private_metadata=json.dumps({"page": page.page if page else 1}),
    )


def _results(
    page: SearchPage,
    response_times: dict[int, timedelta],
    team_id: str,
    words: Words,
    meetings_enabled: bool,
    choose: bool,
) -> list[Block]:
    """The ranked mentors of one page, with paging, or what to do when there are none."""
    blocks: list[Block] = []
    if page.recommended_only:
        blocks.append(
            context(f":star: You're seeing the {words.mentors} the program recommended for you.")
        )
    if not page.results and page.recommended_only:
        blocks.append(
            section(
                f":mag: *No recommended {words.mentors} match.* The program admins recommend "
                f"{words.mentors} to each {words.mentee}; yours will appear here and on the "
                "app's Home tab. Try fewer filters if you have some."
            )
        )
    elif not page.results:
        blocks.append(
            section(
                f":mag: *No {words.mentors} match these filters.*\n"
                "Try fewer filters: clear the expertise or keywords, or include "
                f"{words.mentors} whose slots are full."
            )
        )
    else:
        first = (page.page - 1) * page.page_size + 1
        last = first + len(page.results) - 1
        blocks.append(
            context(
                f"Showing {first}-{last} of {plural(page.total, words.mentor, words.mentors)}, "
                "best match first."
            )
        )
        for match in page.results:
            blocks.extend(
                mentor_result(
                    match,
                    response_times.get(match.mentor.id),
                    team_id,
                    words,
                    meetings_enabled=meetings_enabled,
                    choose=choose,
                )
            )
        pager = []
        if page.page > 1:
            pager.append(button("← Previous", Action.SEARCH_PAGE_BACK, str(page.page - 1)))
        if page.has_more:
            pager.append(button("Next →", Action.SEARCH_PAGE_NEXT, str(page.page + 1)))
        if pager:
            blocks.append(actions(*pager))
    return blocks


def _filter(field: Field, label: str, element: Any) -> InputBlock:
    """An optional filter input that tells the app at once when it changes."""
    return InputBlock(
        block_id=field, label=label, optional=True, dispatch_action=True, element=element
    )


def _text_filter(field: Field, label: str, value: str | None, hint: str, size: int) -> InputBlock:
    return _filter(
        field,
        label,
        PlainTextInputElement(
            action_id=Action.SEARCH_FILTER,
            initial_value=value or None,
            placeholder=hint,
            max_length=size,
            dispatch_action_config=ON_ENTER,
        ),
    )


def _filter_blocks(
    filters: DirectoryFilters, areas: Sequence[str], tags: Sequence[str], words: Words
) -> list[Block]:
    open_option = option(f"Only {words.mentors} with open slots", ONLY_OPEN)
    area = filters.functional_area or ""
    return [
        _text_filter(
            Field.KEYWORDS,
            "Keywords",
            filters.text,
            "Name, title, skill… then press Enter",
            KEYWORDS_FILTER,
        ),
        _filter(
            Field.FUNCTIONAL_AREA,
            "Functional area",
            StaticSelectElement(
                action_id=Action.SEARCH_FILTER,
                placeholder="Any area",
                options=[option(a, a) for a in areas],
                initial_option=option(area, area) if area in areas else None,
            ),
        ),
        _filter(
            Field.EXPERTISE,
            "Expertise (any of)",
            StaticMultiSelectElement(
                action_id=Action.SEARCH_FILTER,
                placeholder="Any expertise",
                options=[option(t, t) for t in tags],
                initial_options=[option(t, t) for t in filters.expertise if t in tags] or None,
                max_selected_items=EXPERTISE_FILTER,
            ),
        ),
        _text_filter(
            Field.LOCATION,
            "Location",
            filters.location,
            "City or country, then press Enter",
            LOCATION_FILTER,
        ),
        _text_filter(
            Field.GENDER,
            "Gender",
            filters.gender,
            f"As the {words.mentor} describes it, then press Enter",
            GENDER_FILTER,
        ),
        _filter(
            Field.ONLY_OPEN,
            "Availability",
            CheckboxesElement(
                action_id=Action.SEARCH_FILTER,
                options=[open_option],
                initial_options=[open_option] if filters.only_open else None,
            ),
        ),
    ]


def mentor_result(
    match: MentorMatch,
    response_time: timedelta | None,
    team_id: str,
    words: Words,
    *,
    meetings_enabled: bool = False,
    choose: bool = False,
) -> list[Block]:
    """One mentor in a list: who they are, why they match, how available they are."""
    m = match.mentor
    headline = f"*{escape(m.display_name)}*"
    if m.title:
        headline += f" · {escape(m.title)}"
    if m.functional_area:
        headline += f" · {escape(m.functional_area)}"
    lines = [headline, f"*{match.score.total}% match*"]
    reasons = match.score.reasons
    if reasons:
        lines[-1] += ": " + escape("; ".join(reasons))
    if m.expertise:
        lines.append("Expertise: " + escape(", ".join(m.expertise)))
    capacity = m.mentor_capacity
    availability = [
        f"{match.open_slots} of {capacity} slots open" if match.open_slots else "No open slots"
    ]
    if response_time is not None:
        availability.append(f"usually answers within {duration_words(response_time)}")
    if m.location:
        availability.append(escape(m.location))
    request = "Choose" if choose else "Request"
    buttons = [button(request, Action.REQUEST_MENTOR, m.slack_user_id, style="primary")]
    if meetings_enabled:
        buttons.append(button("Request meeting", Action.REQUEST_MEETING, m.slack_user_id))
    buttons += [
        profile_button(m.slack_user_id),
        button(
            "Message",
            Action.MESSAGE_MENTOR,
            m.slack_user_id,
            url=dm_link(team_id, m.slack_user_id),
        ),
    ]
    return [
        section("\n".join(lines)),
        context(" · ".join(availability)),
        actions(*buttons),
    ]


def dm_link(team_id: str, user_id: str) -> str:
    """A deep link that opens a direct message with the user in the Slack client."""
    return f"slack://user?team={team_id}&id={user_id}"
