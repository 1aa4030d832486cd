"""``/mentor-admin settings``: the whole program's settings in one modal, through the real app."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from blocks.ids import Action, Field, Setting
from mentoring.program.settings import ProgramSettings, get_settings
from store.models import Event, Request, Workspace
from tests.conftest import TEAM
from tests.scenario.harness import Harness, texts
from tests.scenario.test_journey import MESSAGE, enroll_cast, request_maya


def open_settings(slack: Harness, user: str = "UADMIN") -> dict[str, Any]:
    slack.command(user, "/mentor-admin", "settings")
    return slack.modal(user)


def current(slack: Harness) -> ProgramSettings:
    with slack.db.read() as s:
        return get_settings(session=s, team_id=TEAM)


def settings_events(slack: Harness) -> list[Event]:
    with slack.db.read() as s:
        query = select(Event).where(Event.action == "settings.updated").order_by(Event.id)
        return list(s.scalars(query))


def test_the_modal_holds_every_setting_with_its_current_value(slack: Harness) -> None:
    modal = open_settings(slack)
    blocks = {b.get("block_id"): b for b in modal["blocks"] if b["type"] == "input"}
    assert set(blocks) == {s.value for s in Setting}
    assert len(modal["blocks"]) <= 100
    fields = set(ProgramSettings.model_fields) - {"terminology"}
    assert fields | {"terminology.mentor", "terminology.mentee"} == set(blocks)
    pending = blocks[Setting.MAX_PENDING_REQUESTS]["element"]
    assert (pending["type"], pending["initial_value"]) == ("number_input", "3")
    assert (pending["min_value"], pending["max_value"]) == ("1", "20")
    assert blocks[Setting.HOURS_START]["element"]["initial_option"]["value"] == "9"
    areas = blocks[Setting.FUNCTIONAL_AREAS]["element"]
    assert areas["multiline"] and areas["initial_value"].splitlines()[0] == "Engineering"
    assert blocks[Setting.WEEKLY_DIGEST]["element"]["initial_options"]  # on by default
    assert "initial_options" not in blocks[Setting.MENTOR_OFFERS]["element"]


def test_an_admin_changes_settings_and_sees_exactly_what_changed(slack: Harness) -> None:
    modal = open_settings(slack)
    answer = slack.submit(
        "UADMIN",
        modal,
        {
            Setting.MAX_PENDING_REQUESTS: "2",
            Setting.ESCALATE: "",  # never
            Setting.HOURS_END: "17",
            Setting.WEEKLY_DIGEST: [],
            Setting.MENTOR_OFFERS: ["on"],
            Setting.DIRECTORY_MODE: "recommendations_only",
            Setting.MENTOR_WORD: "guide",
            Setting.DECLINE_REASONS: "No time right now\n\nNot my field\n",
            Setting.RESOURCES: "Kick-off guide | https://example.org/guide | Read <this> first",
        },
    )
    assert answer["response_action"] == "update"
    shown = texts(slack.modal("UADMIN"))
    assert "Settings saved" in shown
    for line in (
        "*Requests a mentee may have waiting*: 3 → 2",
        "*Tell admins about requests waiting (days)*: 10 → never",
        "*Reminders until (local time)*: 18:00 → 17:00",
        "*Weekly digest*: on → off",
        "*Offers*: off → on",
        "*Directory*: Open → Recommendations only",
        "*Word for those who advise*: “mentor” → “guide”",
        "*Decline reasons*: added “No time right now”, “Not my field”; removed",
        "Read &lt;this&gt; first",
    ):
        assert line in shown
    assert "Expertise tags" not in shown  # unchanged settings are not listed
    settings = current(slack)
    assert settings.max_pending_requests_per_mentee == 2
    assert settings.escalate_after_days is None
    assert (settings.working_hours_end, settings.weekly_digest) == (17, False)
    assert settings.mentor_offers_enabled and settings.terminology.mentor == "guide"
    assert settings.decline_reasons == ("No time right now", "Not my field")
    assert settings.resources[0].description == "Read <this> first"
    [event] = settings_events(slack)
    assert event.actor == "UADMIN"
    assert event.before is not None and event.before["max_pending_requests_per_mentee"] == 3
    assert event.after is not None and event.after["max_pending_requests_per_mentee"] == 2


def test_submitting_without_changes_says_nothing_changed(slack: Harness) -> None:
    answer = slack.submit("UADMIN", open_settings(slack), {})
    assert answer["response_action"] == "update"
    assert "Nothing changed" in texts(slack.modal("UADMIN"))
    assert settings_events(slack) == []


def test_every_problem_shows_next_to_its_input_and_nothing_is_saved(slack: Harness) -> None:
    modal = open_settings(slack)
    typed = {
        Setting.DEFAULT_CAPACITY: "12",  # above the maximum of 10
        Setting.ESCALATE: "20",  # requests close after 14 days
        Setting.MENTEE_WORD: "Mentor",  # the same word for both roles
        Setting.EXPERTISE_TAGS: "python\nPython",
        Setting.FUNCTIONAL_AREAS: "Engineering\nData ->",
        Setting.RESOURCES: "Guide | https://example.org/guide\nSlides | slides.example.org",
    }
    answer = slack.submit("UADMIN", modal, typed)
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        Setting.DEFAULT_CAPACITY: "The default mentor capacity cannot exceed the maximum capacity.",
        Setting.ESCALATE: (
            "Requests close after 14 days, so admins would never be told: pick fewer days, "
            "or leave it empty for never."
        ),
        Setting.MENTEE_WORD: "Pick a different word for each role.",
        Setting.EXPERTISE_TAGS: "“Python” is listed twice.",
        Setting.FUNCTIONAL_AREAS: "Line 2: write a rename as “old name -> new name”.",
        Setting.RESOURCES: "Line 2: add a link that starts with https:// (and has no spaces).",
    }
    assert current(slack) == ProgramSettings()
    assert settings_events(slack) == []
    # Slack keeps the modal open with what was typed; fixing the lines saves it all.
    fixed = {
        **typed,
        Setting.DEFAULT_CAPACITY: "4",
        Setting.ESCALATE: "7",
        Setting.MENTEE_WORD: "learner",
        Setting.EXPERTISE_TAGS: "python\nleadership",
        Setting.FUNCTIONAL_AREAS: "Engineering\nData",
        Setting.RESOURCES: "Guide | https://example.org/guide",
    }
    assert slack.submit("UADMIN", slack.modal("UADMIN"), fixed)["response_action"] == "update"
    settings = current(slack)
    assert (settings.default_mentor_capacity, settings.escalate_after_days) == (4, 7)
    assert settings.expertise_tags == ("python", "leadership")


def test_a_value_on_profiles_is_not_removed_but_can_be_renamed(slack: Harness) -> None:
    enroll_cast(slack)  # Maya and Erin work in Engineering, Omar in Data
    areas = "\n".join(a for a in ProgramSettings().functional_areas if a != "Data")
    answer = slack.submit("UADMIN", open_settings(slack), {Setting.FUNCTIONAL_AREAS: areas})
    assert answer["errors"] == {
        Setting.FUNCTIONAL_AREAS: (
            "Still used, so not removed: “Data” (1 profile). Keep them, or rename one with a "
            "line like “Data -> new name” to move its profiles."
        )
    }
    assert "Data" in current(slack).functional_areas

    renamed = areas + "\nData -> Data & Analytics"
    answer = slack.submit("UADMIN", slack.modal("UADMIN"), {Setting.FUNCTIONAL_AREAS: renamed})
    assert answer["response_action"] == "update"
    assert "renamed “Data” → “Data &amp; Analytics”" in texts(slack.modal("UADMIN"))
    # Omar's profile moved with it: his profile form shows the new name chosen.
    slack.command("UOMAR", "/find-mentor", "profile")
    area = next(
        b for b in slack.modal("UOMAR")["blocks"] if b.get("block_id") == Field.FUNCTIONAL_AREA
    )
    assert area["element"]["initial_option"]["value"] == "Data & Analytics"


def test_only_admins_change_settings_even_with_the_modal_open(slack: Harness) -> None:
    slack.command("USTRANGER", "/mentor-admin", "settings")
    assert slack.told("USTRANGER") == [
        "Sorry, `/mentor-admin` is only for the mentoring program's admins."
    ]
    assert slack.state.views_for("USTRANGER") == []
    modal = open_settings(slack)
    slack.services.admin_user_ids = frozenset()  # no longer an admin when pressing Save
    answer = slack.submit("UADMIN", modal, {Setting.MAX_PENDING_REQUESTS: "1"})
    assert answer["response_action"] == "update"
    assert "Only the program's admins can change its settings" in texts(slack.modal("UADMIN"))
    assert current(slack) == ProgramSettings()
    assert settings_events(slack) == []


def test_a_lower_pending_limit_applies_to_the_next_request(slack: Harness) -> None:
    enroll_cast(slack)
    slack.submit("UADMIN", open_settings(slack), {Setting.MAX_PENDING_REQUESTS: "1"})
    assert current(slack).max_pending_requests_per_mentee == 1
    request_maya(slack)  # the first request still goes out
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UERIN"))
    answer = slack.submit("UERIN", slack.modal("UERIN"), {Field.MESSAGE: MESSAGE})
    assert answer["response_action"] == "errors"
    assert answer["errors"][Field.MESSAGE] == (
        "You have 1 request waiting for an answer, the most the program allows. "
        "Withdraw one or wait for an answer before sending another."
    )
    with slack.db.read() as s:
        assert len(s.scalars(select(Request)).all()) == 1
        assert s.get(Workspace, TEAM).settings == {  # type: ignore[union-attr]
            "max_pending_requests_per_mentee": 1
        }


def test_a_lower_maximum_capacity_keeps_existing_profiles_editable(slack: Harness) -> None:
    enroll_cast(slack)  # Maya takes 3 mentees, the default
    changes = {Setting.DEFAULT_CAPACITY: "2", Setting.MAX_CAPACITY: "2"}
    slack.submit("UADMIN", open_settings(slack), changes)
    slack.command("UMAYA", "/find-mentor", "profile")
    profile = slack.modal("UMAYA")
    capacity = next(b for b in profile["blocks"] if b.get("block_id") == Field.CAPACITY)
    assert (capacity["element"]["initial_value"], capacity["element"]["max_value"]) == ("3", "3")
    answer = slack.submit("UMAYA", profile, {})
    assert answer["errors"] == {Field.CAPACITY: "Mentee capacity must be between 1 and 2."}
    answer = slack.submit("UMAYA", slack.modal("UMAYA"), {Field.CAPACITY: "2"})
    assert answer["response_action"] == "update"


def test_two_admins_editing_different_settings_both_keep_their_change(slack: Harness) -> None:
    slack.services.admin_user_ids = frozenset({"UADMIN", "UOMAR"})
    first = open_settings(slack, "UADMIN")
    second = open_settings(slack, "UOMAR")
    slack.submit("UOMAR", second, {Setting.MAX_PENDING_REQUESTS: "2"})
    answer = slack.submit("UADMIN", first, {Setting.AUTO_CLOSE: "21"})
    assert "*Close unanswered requests after (days)*: 14 → 21" in texts(slack.modal("UADMIN"))
    assert "Requests a mentee" not in texts(slack.modal("UADMIN"))
    assert answer["response_action"] == "update"
    settings = current(slack)
    assert (settings.max_pending_requests_per_mentee, settings.auto_close_after_days) == (2, 21)
    assert [e.actor for e in settings_events(slack)] == ["UOMAR", "UADMIN"]


def test_an_admin_sets_check_ins_a_term_and_public_ratings(slack: Harness) -> None:
    answer = slack.submit(
        "UADMIN",
        open_settings(slack),
        {
            Setting.CHECKIN_EVERY: "7",
            Setting.TERM_DAYS: "180",
            Setting.RATINGS_PUBLIC: ["on"],
        },
    )
    assert answer["response_action"] == "update"
    saved = current(slack)
    assert (saved.checkin_every_days, saved.relationship_term_days, saved.ratings_public) == (
        7,
        180,
        True,
    )
    answer = slack.submit("UADMIN", open_settings(slack), {Setting.TERM_DAYS: "10"})
    assert answer["response_action"] == "errors" and Setting.TERM_DAYS in answer["errors"]
    assert current(slack).relationship_term_days == 180
