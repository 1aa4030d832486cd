"""Changing the program's lists of functional areas and expertise tags without losing profiles.

Profiles store taxonomy values by name, so a change to a list has to say what happens to the
profiles that use a value:

* a value whose spelling changes only in case ("python" -> "Python") is the same value: the
  profiles that use it take the new spelling;
* a value renamed explicitly (``Data -> Data & Analytics``) moves every profile that used it to
  the new name, which may be new or already in the list (merging two values);
* a value removed while profiles still use it is refused, naming how many use it, so nobody's
  profile silently loses what they chose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.audit import record_event
from mentoring.core.errors import InvalidInput
from mentoring.core.members import refresh_search_data
from store.models import Member

TAXONOMY_FIELDS = ("functional_areas", "expertise_tags")


def plan_renames(
    field: str, before: Sequence[str], after: Sequence[str], explicit: Mapping[str, str]
) -> dict[str, str]:
    """Old spelling -> new spelling for every value of ``field`` that changes its name.

    Args:
        field: ``functional_areas`` or ``expertise_tags`` (errors are about it).
        before: the list as it is stored.
        after: the list as it will be.
        explicit: renames the admin asked for, old -> new (case does not matter).

    Raises:
        InvalidInput: a rename of a value that is not in the list, to a value that is not in
            the new list, or of a value the new list still has.
    """
    old_by_lower = {v.lower(): v for v in before}
    new_by_lower = {v.lower(): v for v in after}
    plan = {
        old: new_by_lower[lower]
        for lower, old in old_by_lower.items()
        if lower in new_by_lower and new_by_lower[lower] != old
    }
    for asked_old, asked_new in explicit.items():
        old = old_by_lower.get(asked_old.strip().lower())
        new = new_by_lower.get(asked_new.strip().lower())
        if old is None:
            raise InvalidInput(
                "{old} is not in the current list, so there is nothing to rename.",
                field=field,
                old=f"“{asked_old}”",
            )
        if new is None:
            raise InvalidInput(
                "{new} needs to be in the list to rename {old} to it.",
                field=field,
                old=f"“{old}”",
                new=f"“{asked_new}”",
            )
        if old.lower() in new_by_lower:
            raise InvalidInput(
                "{old} is renamed and also kept: keep only one of the two lines.",
                field=field,
                old=f"“{old}”",
            )
        plan[old] = new
    return plan


def usage(session: Session, team_id: str, field: str) -> Counter[str]:
    """How many members' profiles use each value of ``field`` (by lower-cased value)."""
    counts: Counter[str] = Counter()
    if field == "functional_areas":
        areas = session.scalars(
            select(Member.functional_area).where(
                Member.team_id == team_id, Member.functional_area.is_not(None)
            )
        )
        counts.update(area.lower() for area in areas if area)
        return counts
    rows = session.execute(
        select(Member.expertise, Member.interests).where(Member.team_id == team_id)
    )
    for expertise, interests in rows:
        counts.update({tag.lower() for tag in [*(expertise or []), *(interests or [])]})
    return counts


def removal_problem(
    field: str,
    before: Sequence[str],
    after: Sequence[str],
    renames: Mapping[str, str],
    counts: Counter[str],
) -> InvalidInput | None:
    """The refusal to drop values of ``field`` that profiles still use, or ``None``."""
    kept = {v.lower() for v in after}
    in_use = [
        (value, counts[value.lower()])
        for value in before
        if value.lower() not in kept and value not in renames and counts[value.lower()]
    ]
    if not in_use:
        return None
    listed = ", ".join(f"“{value}” ({n} profile{'' if n == 1 else 's'})" for value, n in in_use[:5])
    more = f" and {len(in_use) - 5} more" if len(in_use) > 5 else ""
    return InvalidInput(
        "Still used, so not removed: {listed}{more}. Keep them, or rename one with a line "
        "like “{example} -> new name” to move its profiles.",
        field=field,
        listed=listed,
        more=more,
        example=in_use[0][0],
    )


def apply_renames(
    session: Session,
    *,
    team_id: str,
    field: str,
    renames: Mapping[str, str],
    actor: str,
    now: datetime,
) -> int:
    """Move every profile that uses a renamed value of ``field`` to its new name.

    Each changed profile gets a ``member.updated`` event by ``actor``. Returns how many
    profiles changed.
    """
    if not renames:
        return 0
    by_lower = {old.lower(): new for old, new in renames.items()}

    def renamed(values: Sequence[str]) -> list[str]:
        return list(dict.fromkeys(by_lower.get(v.lower(), v) for v in values))

    changed = 0
    members = session.scalars(select(Member).where(Member.team_id == team_id)).all()
    for member in members:
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        if field == "functional_areas":
            area = member.functional_area
            if area and area.lower() in by_lower:
                before["functional_area"], after["functional_area"] = area, by_lower[area.lower()]
                member.functional_area = by_lower[area.lower()]
        else:
            for name in ("expertise", "interests"):
                values: list[str] = list(getattr(member, name) or [])
                new_values = renamed(values)
                if new_values != values:
                    before[name], after[name] = values, new_values
                    setattr(member, name, new_values)
        if not after:
            continue
        changed += 1
        member.updated_at = now
        refresh_search_data(session, member)
        record_event(
            session,
            team_id=team_id,
            actor=actor,
            action="member.updated",
            subject_type="member",
            subject_id=member.id,
            before=before,
            after=after,
            at=now,
        )
    return changed


def canonical_values(
    values: list[str], allowed: tuple[str, ...], field: str, label: str
) -> list[str]:
    """Map values onto the taxonomy's spelling (case-insensitive); reject unknown ones."""
    by_lower = {a.lower(): a for a in allowed}
    result: list[str] = []
    for value in values:
        canonical = by_lower.get(value.strip().lower())
        if canonical is None:
            raise InvalidInput(
                label + ": {value} is not one of the program's options.",
                field=field,
                value=repr(value),
            )
        if canonical not in result:
            result.append(canonical)
    return result
