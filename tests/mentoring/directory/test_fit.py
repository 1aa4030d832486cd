"""Scoring many mentees for one mentor gives each exactly the score pair_score gives them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mentoring.core.views import MemberView
from mentoring.directory.fit import MenteeScorer, pair_score
from tests.conftest import NOW, TEAM

# Spellings that fold together, blanks and unknown zones: what makes memoising per value risky.
TAGS = ["python", "Python", " python ", "data", "Data", "leadership", "sales", ""]
PLACES = ["London", "london ", "Berlin", "", "  "]
ZONES = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Nowhere"]
AREAS = ["Engineering", "engineering", "Sales", ""]


def member(number: int, **profile: Any) -> MemberView:
    fields: dict[str, Any] = {
        "id": number,
        "team_id": TEAM,
        "slack_user_id": f"U{number}",
        "display_name": f"Member {number}",
        "tz": "UTC",
        "is_mentor": False,
        "is_mentee": True,
        "title": "",
        "functional_area": None,
        "expertise": (),
        "interests": (),
        "goals": "",
        "location": None,
        "languages": (),
        "gender": None,
        "bio": "",
        "mentor_capacity": 3,
        "paused_until": None,
        "enrolled_at": NOW - timedelta(days=number),
    }
    fields.update(profile)
    return MemberView(**fields)


tags = st.lists(st.sampled_from(TAGS), max_size=5).map(tuple)
profiles = st.fixed_dictionaries(
    {
        "interests": tags,
        "expertise": tags,
        "functional_area": st.none() | st.sampled_from(AREAS),
        "tz": st.sampled_from(ZONES),
        "languages": st.lists(st.sampled_from(["English", "english", "German", ""])).map(tuple),
        "location": st.none() | st.sampled_from(PLACES),
    }
)


@given(mentor=profiles, mentees=st.lists(profiles, min_size=1, max_size=30))
def test_every_mentee_scores_as_pair_score_says(
    mentor: dict[str, Any], mentees: list[dict[str, Any]]
) -> None:
    them = member(0, is_mentor=True, is_mentee=False, **mentor)
    scorer = MenteeScorer(them, open_slots=1, now=NOW)
    for number, profile in enumerate(mentees, start=1):
        mentee = member(number, **profile)
        expected = pair_score(mentee, them, open_slots=1, now=NOW).total
        assert (
            scorer.total(
                interests=mentee.interests,
                functional_area=mentee.functional_area,
                tz=mentee.tz,
                languages=mentee.languages,
                location=mentee.location,
            )
            == expected
        )
