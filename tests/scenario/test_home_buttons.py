"""The Home tab's own buttons: join or edit a profile, find a mentor, end a pair early, show a
hidden pair again, through the real app and the fake Slack."""

from __future__ import annotations

from sqlalchemy import select

from blocks.ids import Action, Field
from store.enums import RelationshipStatus
from store.models import Member, Relationship
from tests.scenario.harness import Harness, texts
from tests.scenario.relationship_helpers import matched_pair
from tests.scenario.test_journey import enroll_cast


def test_join_the_program_from_home_opens_the_profile_form_and_enrolls(slack: Harness) -> None:
    home = slack.open_home("USTRANGER")
    assert "Join the program" in texts(home)
    slack.click("USTRANGER", Action.OPEN_PROFILE, view=home)
    form = slack.modal("USTRANGER")
    assert form["callback_id"] == "profile" and "Sam Stranger" in texts(form)

    answer = slack.submit(
        "USTRANGER",
        form,
        {Field.ROLES: ["mentee"], Field.FUNCTIONAL_AREA: "Data", Field.INTERESTS: ["python"]},
    )
    assert answer["response_action"] == "update"
    assert "Thanks, Sam Stranger!" in texts(answer["view"])
    with slack.db.read() as s:
        member = s.scalars(select(Member).where(Member.slack_user_id == "USTRANGER")).one()
        assert member.is_mentee and member.functional_area == "Data"
    assert "You're in the program as mentee" in texts(slack.home("USTRANGER"))


def test_edit_profile_from_home_opens_the_form_filled_with_what_is_saved(slack: Harness) -> None:
    enroll_cast(slack)
    slack.click("UMAYA", Action.OPEN_PROFILE, view=slack.open_home("UMAYA"))
    form = slack.modal("UMAYA")
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert [o["value"] for o in inputs[Field.ROLES]["initial_options"]] == ["mentor"]
    assert inputs[Field.TITLE]["initial_value"] == "Director"
    assert inputs[Field.FUNCTIONAL_AREA]["initial_option"]["value"] == "Engineering"
    assert [o["value"] for o in inputs[Field.EXPERTISE]["initial_options"]] == [
        "leadership",
        "management",
    ]


def test_find_a_mentor_from_home_opens_the_directory_with_the_mentors(slack: Harness) -> None:
    enroll_cast(slack)
    slack.click("UERIN", Action.OPEN_SEARCH, view=slack.open_home("UERIN"))
    directory = texts(slack.modal("UERIN"))
    assert "Showing 1-2 of 2 mentors" in directory
    assert directory.index("Maya Chen") < directory.index("Omar Haddad")


def test_end_early_from_home_asks_why_then_ends_the_pair_and_tells_the_other(
    slack: Harness,
) -> None:
    relationship = matched_pair(slack)
    home = slack.open_home("UERIN")
    slack.click("UERIN", Action.ABANDON, value=str(relationship.id), view=home)
    form = slack.modal("UERIN")
    assert "End your mentoring with *Maya Chen* early" in texts(form)

    answer = slack.submit("UERIN", form, {Field.REASON: "Our schedules never match"})
    assert "The other person has been told" in texts(answer["view"])
    with slack.db.read() as s:
        ended = s.get(Relationship, relationship.id)
        assert ended is not None and ended.status is RelationshipStatus.ABANDONED
    told = texts(slack.dm("UMAYA")[-1])
    assert "Erin Walsh ended your mentoring relationship" in told
    assert "Our schedules never match" in told
    assert "End early" not in texts(slack.home("UERIN"))  # no live button for an ended pair


def test_show_on_profile_undoes_hide_from_profile(slack: Harness) -> None:
    relationship = matched_pair(slack)
    slack.click("UERIN", Action.HIDE, view=slack.open_home("UERIN"))
    assert "hidden from profiles" in texts(slack.home("UERIN"))

    slack.click("UERIN", Action.SHOW, value=str(relationship.id), view=slack.home("UERIN"))
    home = texts(slack.home("UERIN"))
    assert "hidden from profiles" not in home and "Hide from profile" in home
    with slack.db.read() as s:
        shown = s.get(Relationship, relationship.id)
        assert shown is not None and not shown.hidden_from_profile
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.VIEW_PROFILE, value="UMAYA", view=slack.modal("UERIN"))
    assert "Mentor of *Erin Walsh*" in texts(slack.modal("UERIN"))
