"""The program's words for the roles, and domain errors that speak them."""

from __future__ import annotations

import pytest

from mentoring.core.errors import NotFound
from mentoring.core.wording import Words, fill, plural_noun


@pytest.mark.parametrize(
    ("word", "plural"),
    [
        ("mentor", "mentors"),
        ("mentee", "mentees"),
        ("coach", "coaches"),
        ("buddy", "buddies"),
        ("day", "days"),
        ("peer coach", "peer coaches"),
        ("boss", "bosses"),
    ],
)
def test_plurals_of_role_words(word: str, plural: str) -> None:
    assert plural_noun(word) == plural


def test_every_form_of_the_words() -> None:
    words = Words(mentor="advisor", mentee="learner")
    assert (words.mentors, words.mentees) == ("advisors", "learners")
    assert (words.mentor_title, words.mentees_title) == ("Advisor", "Learners")
    assert (words.a_mentor, words.a_mentee) == ("an advisor", "a learner")


def test_a_domain_error_speaks_the_programs_words() -> None:
    err = NotFound("{name} isn't {a_mentor} in this program.", field="mentor", name="Maya Chen")
    assert err.message == "Maya Chen isn't a mentor in this program."
    assert str(err) == err.message
    assert err.say(Words("guide", "learner")) == "Maya Chen isn't a guide in this program."
    assert err.field == "mentor"


def test_values_are_never_read_as_templates() -> None:
    # A name that looks like a placeholder stays exactly as the person wrote it.
    err = NotFound("{name} isn't {a_mentor} here.", name="{mentor} {x}")
    assert err.say(Words("guide", "learner")) == "{mentor} {x} isn't a guide here."
    assert fill("{unknown} and {Mentees}", Words("guide", "learner")) == "{unknown} and Learners"
