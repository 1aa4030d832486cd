"""The one length rule for the personal message of a request, a preference or a meeting."""

from __future__ import annotations

import pytest

from mentoring.asks.messages import validated_message
from mentoring.core.errors import InvalidInput
from mentoring.core.wording import Words
from mentoring.program.settings import ProgramSettings

SETTINGS = ProgramSettings(message_min_length=20, message_max_length=60)
HINT = "say why you chose this {mentor}."


def test_the_message_is_trimmed_and_kept_within_the_limits() -> None:
    assert validated_message("  " + "a" * 20 + "\n", SETTINGS, hint=HINT) == "a" * 20
    assert validated_message("b" * 60, SETTINGS, hint=HINT) == "b" * 60


def test_too_short_says_the_minimum_and_what_the_message_is_for() -> None:
    with pytest.raises(InvalidInput) as caught:
        validated_message("  too short   ", SETTINGS, hint=HINT)
    err = caught.value
    assert err.field == "message" and err.values["min"] == 20
    assert err.say(Words("guide", "learner")) == (
        "Please write at least 20 characters: say why you chose this guide."
    )


def test_too_long_says_the_maximum_and_the_length() -> None:
    with pytest.raises(InvalidInput) as caught:
        validated_message("c" * 61, SETTINGS, hint=HINT)
    assert caught.value.field == "message"
    assert caught.value.message == "Please keep your message under 60 characters (it has 61)."


def test_nothing_typed_is_too_short() -> None:
    with pytest.raises(InvalidInput) as caught:
        validated_message("", SETTINGS, hint="say what you'd like to get out of the meeting.")
    assert caught.value.message == (
        "Please write at least 20 characters: say what you'd like to get out of the meeting."
    )
