"""Reading the settings modal: each input on its own, lines with their numbers."""

from __future__ import annotations

from typing import Any

from blocks.ids import Setting
from blocks.settings import settings_modal
from fakeslack.payloads import state_values
from handlers.settings_form import read_settings_form
from mentoring.core.wording import Words
from mentoring.program.settings import ProgramSettings


def submitted(**typed: Any) -> dict[str, Any]:
    """The default settings modal as Slack submits it, with ``typed`` changed."""
    view = settings_modal(ProgramSettings(), words=Words()).to_dict()
    chosen = {Setting(k.replace("__", ".")).value: v for k, v in typed.items()}
    return {**view, "state": {"values": state_values(view["blocks"], chosen)}}


def test_an_untouched_form_changes_nothing() -> None:
    reading = read_settings_form(submitted())
    assert (reading.changes, reading.renames, reading.errors) == ({}, {}, {})


def test_only_what_the_admin_edited_is_a_change() -> None:
    # Someone else may have saved other settings since this modal opened: those stand.
    reading = read_settings_form(submitted(max_reminders="4", terminology__mentor="guide"))
    assert reading.changes == {
        "max_reminders": 4,
        "terminology": {"mentor": "guide", "mentee": "mentee"},
    }


def test_values_are_parsed_from_what_slack_sends() -> None:
    reading = read_settings_form(
        submitted(
            escalate_after_days=None,
            working_hours_start="8",
            mentor_offers_enabled=["on"],
            weekly_digest=[],
            terminology__mentee="  peer   learner ",
            decline_reasons="\n  Busy  \n\nWrong fit\n",
            expertise_tags="Python\nML -> machine learning\nwriting",
            resources="Guide | https://example.org/g\n\nFAQ|https://example.org/faq|Answers",
        )
    )
    assert reading.errors == {}
    changes = reading.changes
    assert changes["escalate_after_days"] is None
    assert changes["working_hours_start"] == 8
    assert (changes["mentor_offers_enabled"], changes["weekly_digest"]) == (True, False)
    assert changes["terminology"] == {"mentor": "mentor", "mentee": "peer learner"}
    assert changes["decline_reasons"] == ["Busy", "Wrong fit"]
    assert changes["expertise_tags"] == ["Python", "machine learning", "writing"]
    assert reading.renames == {"expertise_tags": {"ML": "machine learning"}}
    assert changes["resources"] == [
        {"title": "Guide", "url": "https://example.org/g", "description": ""},
        {"title": "FAQ", "url": "https://example.org/faq", "description": "Answers"},
    ]


def test_every_unreadable_input_is_reported_and_the_rest_still_read() -> None:
    reading = read_settings_form(
        submitted(
            max_reminders="two",
            max_pending_requests_per_mentee="5",
            functional_areas="Data → \nEngineering",
            resources="\n" + "x" * 81 + " | https://example.org\nOK | https://example.org",
            terminology__mentor="   ",
        )
    )
    assert reading.errors == {
        Setting.MAX_REMINDERS: "Enter a whole number.",
        Setting.FUNCTIONAL_AREAS: "Line 1: write a rename as “old name -> new name”.",
        Setting.RESOURCES: "Line 2: give it a title of up to 80 characters.",
        Setting.MENTOR_WORD: "Fill this in.",
    }
    assert "max_reminders" not in reading.changes and "terminology" not in reading.changes
    assert reading.changes == {"max_pending_requests_per_mentee": 5}


def test_more_than_ten_resources_are_refused() -> None:
    lines = "\n".join(f"R{i} | https://example.org/{i}" for i in range(11))
    reading = read_settings_form(submitted(resources=lines))
    assert reading.errors == {Setting.RESOURCES: "Keep it to 10 resources (there are 11)."}
