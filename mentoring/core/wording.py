"""The program's own words for its two roles, and filling them into sentences.

A workspace may call its mentors "guides" and its mentees "learners" (the terminology
setting). Everything a person reads, including the messages of domain errors, is written as a
template with role placeholders that this module fills in:

``{mentor}`` ``{mentors}`` ``{Mentor}`` ``{Mentors}`` ``{a_mentor}`` and the same for mentee.

Other ``{name}`` placeholders take values given alongside the template. Filling is one pass,
so a value (a person's name, something they typed) is never read as a template itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


class RoleWords(Protocol):
    """Anything that names the two roles (``Words``, the terminology setting)."""

    @property
    def mentor(self) -> str: ...

    @property
    def mentee(self) -> str: ...


def plural_noun(word: str) -> str:
    """An English plural good enough for a role name: guide -> guides, coach -> coaches."""
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and lower.endswith("y") and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def with_article(word: str) -> str:
    """``a guide``, ``an advisor`` (by the first letter, which is right for role names)."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def capitalise(word: str) -> str:
    """The word with its first letter upper-cased (the rest as written: "peer Coach")."""
    return word[:1].upper() + word[1:]


@dataclass(frozen=True, slots=True)
class Words:
    """The program's own words for the two roles (terminology setting), in every form."""

    mentor: str = "mentor"
    mentee: str = "mentee"

    @classmethod
    def of(cls, terms: RoleWords) -> Words:
        return cls(mentor=terms.mentor, mentee=terms.mentee)

    @property
    def mentors(self) -> str:
        return plural_noun(self.mentor)

    @property
    def mentees(self) -> str:
        return plural_noun(self.mentee)

    @property
    def mentor_title(self) -> str:
        return capitalise(self.mentor)

    @property
    def mentee_title(self) -> str:
        return capitalise(self.mentee)

    @property
    def mentors_title(self) -> str:
        return capitalise(self.mentors)

    @property
    def mentees_title(self) -> str:
        return capitalise(self.mentees)

    @property
    def a_mentor(self) -> str:
        return with_article(self.mentor)

    @property
    def a_mentee(self) -> str:
        return with_article(self.mentee)

    def vocabulary(self) -> dict[str, str]:
        """Every role placeholder a template may use, filled with these words."""
        return {
            "mentor": self.mentor,
            "mentors": self.mentors,
            "Mentor": self.mentor_title,
            "Mentors": self.mentors_title,
            "a_mentor": self.a_mentor,
            "mentee": self.mentee,
            "mentees": self.mentees,
            "Mentee": self.mentee_title,
            "Mentees": self.mentees_title,
            "a_mentee": self.a_mentee,
        }


DEFAULT_WORDS = Words()


def fill(template: str, words: RoleWords, values: Mapping[str, object] | None = None) -> str:
    """``template`` with its role placeholders and ``values`` filled in, in one pass.

    A placeholder that is neither a role word nor a given value stays as written.
    """
    known: dict[str, object] = {**Words.of(words).vocabulary(), **(values or {})}

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        return str(known[key]) if key in known else match.group(0)

    return _PLACEHOLDER.sub(replace, template)
