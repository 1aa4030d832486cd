"""Every form's input limits are the domain's: one constant each, defined in mentoring/.

Slack refuses a view whose ``initial_value`` is longer than its input's ``max_length``, and a
person cannot type more than it allows; so an input smaller than what the domain accepts
leaves a saved profile that no longer opens, and one larger lets people type what is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from blocks.asks.decline import decline_modal
from blocks.directory import search_modal
from blocks.ids import Field, Setting
from blocks.meetings.forms import meeting_modal
from blocks.profiles import profile_modal
from blocks.relationships.checkins import help_modal
from blocks.relationships.closure import feedback_modal
from blocks.relationships.ending import end_modal
from blocks.relationships.goals import goals_modal
from blocks.relationships.ids import RelField
from blocks.relationships.oversight import admin_end_modal
from blocks.reports.rows import reason_input
from blocks.settings import settings_modal
from mentoring.asks.followups import MAX_CLOSE_REASON_LENGTH, validated_close_reason
from mentoring.asks.moves import MAX_NOTE_LENGTH, validated_note
from mentoring.core.errors import InvalidInput
from mentoring.directory.search import (
    EXPERTISE_FILTER,
    GENDER_FILTER,
    KEYWORDS_FILTER,
    LOCATION_FILTER,
    DirectoryFilters,
)
from mentoring.meetings.rules import MAX_TOPIC_LENGTH, validated_topic
from mentoring.profiles import limits
from mentoring.profiles.editing import ProfileInput
from mentoring.program.settings import MAX_WORD_LENGTH, ProgramSettings, Terminology
from mentoring.program.settings_changes import MAX_LIST_TEXT
from mentoring.relationships import checkins, closure
from mentoring.relationships.goals import MAX_GOAL_LENGTH, validated_goals
from mentoring.relationships.lifecycle import MAX_REASON_LENGTH
from tests.blocks.test_requests_blocks import MENTOR, WORDS, member

Json = dict[str, Any]

LANGUAGE = "L" * limits.LANGUAGE
LARGEST = member(
    9,
    "UBIG",
    "Big Profile",
    is_mentor=True,
    is_mentee=True,
    title="T" * limits.TITLE,
    functional_area="Engineering",
    expertise=tuple(f"tag-{i}" for i in range(limits.TAGS)),
    interests=tuple(f"tag-{i}" for i in range(limits.TAGS)),
    goals="G" * limits.GOALS,
    location="P" * limits.LOCATION,
    languages=(LANGUAGE,) * limits.LANGUAGES,
    gender="X" * limits.GENDER,
    bio="B" * limits.BIO,
)


def inputs(view: Json) -> dict[str, Json]:
    """Each input block's element, by block_id."""
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def largest_profile_form() -> Json:
    return profile_modal(
        current=LARGEST,
        functional_areas=["Engineering"],
        expertise_tags=[f"tag-{i}" for i in range(limits.TAGS)],
        max_capacity=5,
        default_capacity=3,
        display_name=LARGEST.display_name,
        words=WORDS,
    ).to_dict()


def test_the_largest_profile_the_domain_accepts_fits_its_own_form() -> None:
    ProfileInput(  # the domain accepts every field at its limit
        display_name=LARGEST.display_name,
        title=LARGEST.title,
        functional_area=LARGEST.functional_area,
        expertise=list(LARGEST.expertise),
        interests=list(LARGEST.interests),
        goals=LARGEST.goals,
        location=LARGEST.location,
        languages=list(LARGEST.languages),
        gender=LARGEST.gender,
        bio=LARGEST.bio,
    )
    form = inputs(largest_profile_form())
    for field, element in form.items():
        if element["type"] == "plain_text_input" and element.get("initial_value"):
            assert len(element["initial_value"]) <= element["max_length"], field
    assert len(form[Field.LANGUAGES]["initial_value"]) == limits.LANGUAGES_TEXT  # it is full
    assert len(form[Field.EXPERTISE]["initial_options"]) == limits.TAGS


PROFILE_FIELDS = {
    Field.TITLE: ("title", limits.TITLE),
    Field.GOALS: ("goals", limits.GOALS),
    Field.LOCATION: ("location", limits.LOCATION),
    Field.GENDER: ("gender", limits.GENDER),
    Field.BIO: ("bio", limits.BIO),
}


@pytest.mark.parametrize("field", list(PROFILE_FIELDS))
def test_each_profile_text_input_holds_what_the_domain_accepts_and_no_more(field: Field) -> None:
    name, limit = PROFILE_FIELDS[field]
    assert inputs(largest_profile_form())[field]["max_length"] == limit
    ProfileInput(display_name="A", **{name: "x" * limit})
    with pytest.raises(ValidationError):
        ProfileInput(display_name="A", **{name: "x" * (limit + 1)})


def test_the_languages_input_holds_the_longest_list_the_domain_accepts() -> None:
    form = inputs(largest_profile_form())
    assert form[Field.LANGUAGES]["max_length"] == limits.LANGUAGES_TEXT
    with pytest.raises(ValidationError):
        ProfileInput(display_name="A", languages=[LANGUAGE] * (limits.LANGUAGES + 1))
    with pytest.raises(ValidationError):
        ProfileInput(display_name="A", languages=[LANGUAGE + "x"])


def test_the_tag_pickers_allow_as_many_tags_as_the_domain() -> None:
    form = inputs(largest_profile_form())
    assert form[Field.EXPERTISE]["max_selected_items"] == limits.TAGS
    assert form[Field.INTERESTS]["max_selected_items"] == limits.TAGS
    with pytest.raises(ValidationError):
        ProfileInput(display_name="A", expertise=[f"t{i}" for i in range(limits.TAGS + 1)])


def refuses_beyond(validate: Callable[[str], object], limit: int) -> bool:
    """``validate`` takes ``limit`` characters and refuses one more."""
    validate("x" * limit)
    try:
        validate("x" * (limit + 1))
    except (InvalidInput, ValidationError):
        return True
    return False


def meeting_form() -> Json:
    return meeting_modal(
        mentor=MENTOR, tz="UTC", min_length=20, max_length=500, words=WORDS
    ).to_dict()


# (form, block_id of the input, the domain's constant, the domain's check of that text)
FORMS: dict[str, tuple[Callable[[], Json], str, int, Callable[[str], object] | None]] = {
    "decline note": (
        lambda: decline_modal(
            "Decline", "decline", "Why?", reasons=["Busy"], note_placeholder="", private_metadata=""
        ).to_dict(),
        Field.NOTE,
        MAX_NOTE_LENGTH,
        validated_note,
    ),
    "admin close reason": (
        lambda: {"blocks": [reason_input("Reason", "").to_dict()]},
        Field.REASON,
        MAX_CLOSE_REASON_LENGTH,
        validated_close_reason,
    ),
    "admin ends a relationship": (
        lambda: admin_end_modal(1, "Max", "Eve").to_dict(),
        RelField.REASON,
        MAX_CLOSE_REASON_LENGTH,
        validated_close_reason,
    ),
    "ending early": (
        lambda: end_modal(relationship_id=1, other_name="Eve", mode="abandon").to_dict(),
        Field.REASON,
        MAX_REASON_LENGTH,
        None,  # checked inside relationships.lifecycle.abandon, with this constant
    ),
    "check-in help": (
        lambda: help_modal(1, WORDS).to_dict(),
        RelField.NOTE,
        checkins.MAX_NOTE_LENGTH,
        None,  # checked inside relationships.checkins, with this constant
    ),
    "closure feedback": (
        lambda: feedback_modal(1, "Eve", WORDS, ratings_public=False).to_dict(),
        RelField.NOTE,
        closure.MAX_NOTE_LENGTH,
        None,  # checked inside relationships.closure, with this constant
    ),
    "a goal": (
        lambda: goals_modal(1, [], "Eve").to_dict(),
        RelField.GOAL_1,
        MAX_GOAL_LENGTH,
        lambda text: validated_goals([text]),
    ),
    "meeting topic": (meeting_form, Field.TOPIC, MAX_TOPIC_LENGTH, validated_topic),
    "mentor word": (
        lambda: settings_modal(ProgramSettings(), words=WORDS).to_dict(),
        Setting.MENTOR_WORD,
        MAX_WORD_LENGTH,
        lambda text: Terminology(mentor=text),
    ),
    "search keywords": (
        lambda: search_form(),
        Field.KEYWORDS,
        KEYWORDS_FILTER,
        lambda text: DirectoryFilters(text=text),
    ),
    "search location": (
        lambda: search_form(),
        Field.LOCATION,
        LOCATION_FILTER,
        lambda text: DirectoryFilters(location=text),
    ),
    "search gender": (
        lambda: search_form(),
        Field.GENDER,
        GENDER_FILTER,
        lambda text: DirectoryFilters(gender=text),
    ),
}


def search_form() -> Json:
    return search_modal(
        page=None,
        filters=DirectoryFilters(),
        functional_areas=["Engineering"],
        expertise_tags=["python"],
        response_times={},
        team_id="T1",
        words=WORDS,
    ).to_dict()


@pytest.mark.parametrize("name", list(FORMS))
def test_each_forms_limit_is_the_domains(name: str) -> None:
    build, block_id, limit, validate = FORMS[name]
    assert inputs(build())[block_id]["max_length"] == limit
    if validate is not None:
        assert refuses_beyond(validate, limit)


def test_the_search_expertise_picker_allows_as_many_tags_as_the_filter() -> None:
    assert inputs(search_form())[Field.EXPERTISE]["max_selected_items"] == EXPERTISE_FILTER
    with pytest.raises(ValidationError):
        DirectoryFilters(expertise=tuple(f"t{i}" for i in range(EXPERTISE_FILTER + 1)))


def test_the_settings_lists_hold_as_much_as_the_domain_accepts() -> None:
    form = inputs(settings_modal(ProgramSettings(), words=WORDS).to_dict())
    assert form[Setting.DECLINE_REASONS]["max_length"] == MAX_LIST_TEXT
