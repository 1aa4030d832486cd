"""The people of the demo program: names, places, titles, profiles (no database here).

Everything is drawn from a seeded ``random.Random``, so the same seed gives the same people: a
console can rebuild the list of people to register in its fake Slack without reading the
database. Names come from per-country pools (first names with surnames of the same place) so
that combinations stay plausible; people mostly live where their name pool does, some moved.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.demo.texts import AREAS, GENERAL_TAGS, GOALS, PERSONAL, POOLS, Home

ADMIN_ID = "U0DEMO000"
MENTORS = 40
MENTEES = 60


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """Someone in the demo: what a fake Slack needs to show them, and their program roles."""

    user_id: str
    display_name: str
    email: str
    tz: str
    title: str
    roles: tuple[str, ...]  # "mentor", "mentee", "admin"


@dataclass(frozen=True, slots=True)
class PersonPlan:
    """A person and the profile the seed enrolls them with."""

    person: DemoPerson
    first_name: str
    profile: dict[str, Any]
    tags: frozenset[str]  # expertise of a mentor, interests of a mentee
    capacity: int = 0

    @property
    def user_id(self) -> str:
        """The person's Slack user id."""
        return self.person.user_id


def _email(first: str, last: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
    return ascii_name.decode().lower().replace(" ", "").replace("'", "") + "@example.com"


class _Names:
    """Unique, plausible names: a pool, one of its first names, one of its surnames."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng, self.taken = rng, taken

    def draw(self) -> tuple[str, str, str, Home]:
        """First name, surname, self-described gender ("" if unstated) and home."""
        while True:
            firsts, lasts, homes = self.rng.choice(POOLS)
            first, gender = self.rng.choice(firsts)
            last = self.rng.choice(lasts)
            if f"{first} {last}" not in self.taken:
                self.taken.add(f"{first} {last}")
                home = self.rng.choice(homes)
                if self.rng.random() < 0.2:  # moved away, keeping the languages they grew up with
                    tz, location, _ = self.rng.choice(self.rng.choice(POOLS)[2])
                    home = (tz, location, home[2])
                return first, last, gender, home


def _person(rng: random.Random, names: _Names, user_id: str, *, mentor: bool) -> PersonPlan:
    first, last, gender, (tz, location, languages) = names.draw()
    area = rng.choices(AREAS, weights=[a.weight for a in AREAS])[0]
    title = rng.choice(area.senior if mentor else area.junior)
    pick = rng.sample(area.tags, k=min(len(area.tags), rng.randint(2, 3) if mentor else 1))
    extra = rng.sample(GENERAL_TAGS, k=rng.randint(1 if mentor else 0, 2))
    tags = list(dict.fromkeys([*pick, *extra]))
    years = rng.randint(9, 24) if mentor else rng.randint(1, 6)
    if mentor:
        bio = (
            f"{years} years in {area.phrase}. Happy to help with {tags[0]} and {tags[-1]}. "
            f"{rng.choice(PERSONAL)}"
        ).strip()
    else:
        bio = f"{title}, {years} year{'s' if years > 1 else ''} in {area.phrase}."
    profile: dict[str, Any] = {
        "display_name": f"{first} {last}",
        "email": _email(first, last),
        "tz": tz,
        "as_mentor": mentor,
        "as_mentee": not mentor,
        "title": title,
        "functional_area": area.name,
        "expertise" if mentor else "interests": tags,
        "location": location,
        "languages": list(dict.fromkeys(["English", *languages])),
        "gender": gender if gender and rng.random() < 0.5 else None,
        "bio": bio,
    }
    if not mentor:
        profile["goals"] = f"I'd like to {GOALS[tags[0]]} this year."
    return _plan(user_id, first, profile, mentor=mentor)


def _plan(user_id: str, first: str, profile: dict[str, Any], *, mentor: bool) -> PersonPlan:
    tags = profile.get("expertise" if mentor else "interests", [])
    person = DemoPerson(
        user_id=user_id,
        display_name=profile["display_name"],
        email=profile["email"],
        tz=profile["tz"],
        title=profile["title"],
        roles=("mentor",) if mentor else ("mentee",),
    )
    return PersonPlan(person, first, profile, frozenset(tags), profile.get("mentor_capacity", 0))


GUIDE_MENTOR: dict[str, Any] = {
    "display_name": "Kemi Adeyemi",
    "email": "kemi.adeyemi@example.com",
    "tz": "Europe/London",
    "as_mentor": True,
    "title": "Principal Engineer",
    "functional_area": "Engineering",
    "expertise": ["python", "architecture", "career growth", "public speaking"],
    "location": "London, UK",
    "languages": ["English", "Yoruba"],
    "gender": "woman",
    "bio": "18 years in software engineering, the last six designing our payments platform. "
    "I love helping engineers take the step to senior: design, code review, finding your voice.",
    "mentor_capacity": 3,
}
GUIDE_MENTEE: dict[str, Any] = {
    "display_name": "Mateo Fernández",
    "email": "mateo.fernandez@example.com",
    "tz": "America/Mexico_City",
    "as_mentee": True,
    "title": "Software Engineer",
    "functional_area": "Engineering",
    "interests": ["python", "architecture", "career growth"],
    "goals": "Grow from mid-level to senior: own the design of a service and review code with "
    "confidence.",
    "location": "Mexico City, Mexico",
    "languages": ["Spanish", "English"],
    "bio": "Backend engineer on the checkout team, three years in. I like Python and long walks "
    "through other people's legacy code.",
}
ADMIN = DemoPerson(
    user_id=ADMIN_ID,
    display_name="Rosa Delgado",
    email="rosa.delgado@example.com",
    tz="America/New_York",
    title="Mentoring Program Lead",
    roles=("admin",),
)


def build_people(rng: random.Random) -> tuple[list[PersonPlan], list[PersonPlan]]:
    """Mentors (U0DEMO001-040, the guide mentor first) and mentees (U0DEMO041-100, guide first)."""
    taken = {ADMIN.display_name, GUIDE_MENTOR["display_name"], GUIDE_MENTEE["display_name"]}
    names = _Names(rng, taken)
    mentors = [_plan("U0DEMO001", "Kemi", GUIDE_MENTOR, mentor=True)]
    for n in range(2, MENTORS + 1):
        plan = _person(rng, names, f"U0DEMO{n:03d}", mentor=True)
        capacity = rng.choices((1, 2, 3, 4, 5), weights=(1, 3, 5, 2, 1))[0]
        profile = {**plan.profile, "mentor_capacity": capacity}
        mentors.append(PersonPlan(plan.person, plan.first_name, profile, plan.tags, capacity))
    mentees = [_plan(f"U0DEMO{MENTORS + 1:03d}", "Mateo", GUIDE_MENTEE, mentor=False)]
    for n in range(MENTORS + 2, MENTORS + MENTEES + 1):
        mentees.append(_person(rng, names, f"U0DEMO{n:03d}", mentor=False))
    return mentors, mentees
