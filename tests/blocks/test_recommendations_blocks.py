"""The admin's push form and report speak the program's words, articles included."""

from __future__ import annotations

from typing import Any

from blocks.recommendations import push_report, recommend_modal
from mentoring.core.wording import Words
from mentoring.recommendations.service import PushReport

ADVISORS = Words("advisor", "advisee")


def mrkdwn(blocks: list[Any]) -> str:
    return "\n".join(
        b["text"]["text"] if "text" in b else " ".join(e["text"] for e in b["elements"])
        for b in (block.to_dict() for block in blocks)
    )


def test_the_push_form_puts_a_or_an_before_the_programs_word() -> None:
    for words, article in ((Words(), "a mentor"), (ADVISORS, "an advisor")):
        view = recommend_modal(functional_areas=["Data"], words=words).to_dict()
        intro = view["blocks"][0]["text"]["text"]
        assert f"to every {words.mentee} who doesn't have {article} yet." in intro
        assert (
            view["blocks"][2]["hint"]["text"]
            == f"Leave empty for every {words.mentee} without {article}."
        )


def report(**changes: Any) -> PushReport:
    fields: dict[str, Any] = {
        "per_mentee": 3,
        "functional_area": None,
        "mentees_considered": 10,
        "mentees_recommended": 6,
        "mentees_short": 1,
        "recommendations": 17,
        "mentors_available": 5,
        "mentors_used": 5,
        "busiest": (),
        "mentees_changed": 3,
    }
    fields.update(changes)
    return PushReport(**fields)


def test_the_report_tells_who_changed_while_the_push_ran() -> None:
    _summary, blocks = push_report(report(), ADVISORS)
    text = mrkdwn(blocks)
    assert "*6 advisees* got 17 recommendations (up to 3 each)" in text
    assert "1 advisee got fewer than 3: not enough advisors with open slots." in text
    assert (
        "3 advisees changed while the push ran (matched, recommended again, or their "
        "advisors became unavailable) and keep what they had." in text
    )
    assert "1 advisee got none and keeps what they had." in text


def test_a_push_that_found_everyone_changed_says_so() -> None:
    summary, blocks = push_report(
        report(mentees_recommended=0, mentees_short=0, recommendations=0, mentors_used=0),
        ADVISORS,
    )
    assert summary == (
        "No recommendations were sent: the advisees or their advisors changed while it ran; "
        "try again."
    )
    assert summary in mrkdwn(blocks)
