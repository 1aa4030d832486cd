"""The settings modal and the list of what a change did: Slack's limits, words, escaping."""

from __future__ import annotations

import re

from blocks.ids import Setting
from blocks.settings import describe_changes, settings_modal, settings_saved_modal
from mentoring.core.wording import Words
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS, ProgramSettings, Resource
from tests.scenario.harness import texts


def test_the_modal_fits_slack_and_speaks_the_programs_words() -> None:
    settings = ProgramSettings(
        terminology={"mentor": "guide", "mentee": "learner"},  # type: ignore[arg-type]
        escalate_after_days=None,
        resources=(Resource(title="Guide", url="https://example.org/guide"),),
    )
    view = settings_modal(settings, words=settings.words).to_dict()  # validates Slack's limits
    assert len(view["blocks"]) <= 100
    assert view["submit"]["text"] == "Save"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert "initial_value" not in inputs[Setting.ESCALATE]["element"]  # never: empty
    assert inputs[Setting.ESCALATE]["optional"] is True
    assert inputs[Setting.RESOURCES]["element"]["initial_value"] == (
        "Guide | https://example.org/guide"
    )
    assert inputs[Setting.MENTOR_WORD]["element"]["initial_value"] == "guide"
    assert len(inputs[Setting.HOURS_END]["element"]["options"]) == 24
    shown = texts(view)
    assert "Most learners one guide may take" in shown
    assert re.search(r"ment(or|ee)", shown.replace("mentoring", ""), re.IGNORECASE) is None


def test_changes_are_listed_with_user_text_escaped() -> None:
    before = ProgramSettings()
    after = ProgramSettings(
        max_reminders=0,
        working_hours_start=8,
        expertise_tags=tuple(
            ["Python" if t == "python" else t for t in DEFAULT_EXPERTISE_TAGS if t != "data"]
            + ["<ml> & ai"]
        ),
    )
    lines = describe_changes(
        before, after, {"expertise_tags": {"data": "<ml> & ai"}}, words=Words()
    )
    assert lines == [
        "*Reminders at most*: 2 → 0",
        "*Reminders from (local time)*: 09:00 → 08:00",
        "*Expertise tags*: renamed “python” → “Python”, “data” → “&lt;ml&gt; &amp; ai”",
    ]
    assert describe_changes(before, before, {}, words=Words()) == []


def test_a_long_list_of_changes_is_split_within_slacks_section_limit() -> None:
    view = settings_saved_modal(["x" * 1400] * 5).to_dict()
    sections = [b["text"]["text"] for b in view["blocks"]]
    assert all(len(s) <= 3000 for s in sections) and len(sections) == 4
    assert "Nothing changed" in str(settings_saved_modal([]).to_dict())
