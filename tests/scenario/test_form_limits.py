"""The largest profile the program accepts is saved through its form and opens in it again."""

from __future__ import annotations

from sqlalchemy import select

from blocks.ids import Field
from mentoring.profiles import limits
from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS
from store.models import Member
from tests.scenario.harness import Harness
from tests.scenario.test_journey import enroll

LANGUAGES = [f"{i}" + "L" * (limits.LANGUAGE - 1) for i in range(limits.LANGUAGES)]
LARGEST = {
    Field.ROLES: ["mentor", "mentee"],
    Field.TITLE: "T" * limits.TITLE,
    Field.FUNCTIONAL_AREA: "Engineering",
    Field.EXPERTISE: list(DEFAULT_EXPERTISE_TAGS[: limits.TAGS]),
    Field.INTERESTS: list(DEFAULT_EXPERTISE_TAGS[: limits.TAGS]),
    Field.GOALS: "G" * limits.GOALS,
    Field.LOCATION: "P" * limits.LOCATION,
    Field.LANGUAGES: limits.LANGUAGE_SEPARATOR.join(LANGUAGES),
    Field.GENDER: "X" * limits.GENDER,
    Field.BIO: "B" * limits.BIO,
}


def test_the_largest_profile_saved_from_the_form_opens_in_it_again(slack: Harness) -> None:
    assert len(DEFAULT_EXPERTISE_TAGS) >= limits.TAGS
    assert len(LARGEST[Field.LANGUAGES]) == limits.LANGUAGES_TEXT
    answer = enroll(slack, "UMAYA", LARGEST)
    assert answer.get("response_action") == "update", answer  # saved, not refused
    with slack.db.read() as s:
        maya = s.scalars(select(Member).where(Member.slack_user_id == "UMAYA")).one()
        assert maya.languages == LANGUAGES and len(maya.bio) == limits.BIO

    slack.state.close_modals("UMAYA")
    slack.command("UMAYA", "/find-mentor", "profile")  # the strict fake refuses an overlong value
    form = {
        b["block_id"]: b["element"] for b in slack.modal("UMAYA")["blocks"] if b["type"] == "input"
    }
    assert form[Field.LANGUAGES]["initial_value"] == LARGEST[Field.LANGUAGES]
    assert form[Field.BIO]["initial_value"] == LARGEST[Field.BIO]
    assert len(form[Field.EXPERTISE]["initial_options"]) == limits.TAGS
