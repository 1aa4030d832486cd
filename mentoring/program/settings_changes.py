"""Changing a workspace's settings: every problem of a change at once, then saving it.

A change is judged as a whole (the result must be valid settings) and reported field by field,
so a form can show each problem next to its input. On top of the rules every stored settings
object keeps (``ProgramSettings``), a change must keep a few more that older stored settings
may predate. Functional areas and expertise tags are names that profiles use: see
:mod:`mentoring.program.taxonomy` for what renaming or removing one does.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from mentoring.core.audit import record_event
from mentoring.core.errors import InvalidInput
from mentoring.program.settings import (
    FIELDS_ONLY,
    LIST_FIELDS,
    MAX_ENTRY_LENGTH,
    ProgramSettings,
    consistency_problems,
    parse_settings,
)
from mentoring.program.taxonomy import (
    TAXONOMY_FIELDS,
    apply_renames,
    plan_renames,
    removal_problem,
    usage,
)
from mentoring.program.workspaces import get_workspace

# Each list becomes a static select (profile, search, decline), which offers 100 options at most.
MAX_LIST_ENTRIES = 100
# The settings form edits each list (and the resources) in one text box of 3000 characters.
MAX_LIST_TEXT = 3000
# Role words go into sentences and mrkdwn: letters, with spaces, hyphens or apostrophes between.
_ROLE_WORD = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")


def _change_problems(s: ProgramSettings, *, skip: Collection[str]) -> dict[str, InvalidInput]:
    """Rules a change must keep on top of the stored ones (older settings may predate them)."""
    problems: dict[str, InvalidInput] = {}
    for name in LIST_FIELDS:
        values: tuple[str, ...] = getattr(s, name)
        if name not in skip and len(values) > MAX_LIST_ENTRIES:
            problems[name] = InvalidInput(
                "Keep it to {max} entries (there are {count}).",
                field=name,
                max=MAX_LIST_ENTRIES,
                count=len(values),
            )
        elif name not in skip and len("\n".join(values)) > MAX_LIST_TEXT:
            problems[name] = InvalidInput(
                "Keep the whole list under {max} characters, so it can be edited in one box.",
                field=name,
                max=MAX_LIST_TEXT,
            )
        elif name not in skip:
            seen: set[str] = set()
            for value in (v.strip() for v in values):
                if not value or len(value) > MAX_ENTRY_LENGTH:
                    problems[name] = InvalidInput(
                        "Every entry needs 1-{max} characters: {value} has {length}.",
                        field=name,
                        max=MAX_ENTRY_LENGTH,
                        value=f"“{value[:30]}…”" if len(value) > 30 else f"“{value}”",
                        length=len(value),
                    )
                    break
                if value.lower() in seen:
                    problems[name] = InvalidInput(
                        "{value} is listed twice.", field=name, value=f"“{value}”"
                    )
                    break
                seen.add(value.lower())
    lines = [" | ".join(filter(None, [r.title, r.url, r.description])) for r in s.resources]
    if "resources" not in skip and len("\n".join(lines)) > MAX_LIST_TEXT:
        problems["resources"] = InvalidInput(
            "Keep the resources under {max} characters in all, so they fit one box.",
            field="resources",
            max=MAX_LIST_TEXT,
        )
    for role in ("mentor", "mentee"):
        key = f"terminology.{role}"
        word = getattr(s.terminology, role)
        if key not in skip and "terminology" not in skip and not _ROLE_WORD.match(word):
            problems[key] = InvalidInput(
                "Use letters only, with spaces, hyphens or apostrophes between words.", field=key
            )
    terms = s.terminology
    if (
        not {"terminology", "terminology.mentor", "terminology.mentee"} & set(skip)
        and "terminology.mentee" not in problems
        and terms.mentor.strip().lower() == terms.mentee.strip().lower()
    ):
        problems["terminology.mentee"] = InvalidInput(
            "Pick a different word for each role.", field="terminology.mentee"
        )
    if (
        s.escalate_after_days is not None
        and not {"escalate_after_days", "auto_close_after_days"} & set(skip)
        and s.escalate_after_days >= s.auto_close_after_days
    ):
        problems["escalate_after_days"] = InvalidInput(
            "Requests close after {days} days, so admins would never be told: pick fewer days, "
            "or leave it empty for never.",
            field="escalate_after_days",
            days=s.auto_close_after_days,
        )
    return problems


def _key(loc: tuple[int | str, ...]) -> str:
    """The settings field (``terminology.mentor`` for a role word) an error location names."""
    if loc and loc[0] == "terminology" and len(loc) > 1:
        return f"terminology.{loc[1]}"
    return str(loc[0]) if loc else ""


def _readable(error: ErrorDetails) -> InvalidInput:
    """A pydantic error as a sentence for the person who typed the value, next to the input."""
    loc, kind, ctx = error["loc"], error["type"], error.get("ctx") or {}
    key = _key(loc)
    prefix = ""
    if key == "resources" and len(loc) > 1 and isinstance(loc[1], int):
        prefix = f"Resource {loc[1] + 1}: "
    if kind in ("string_pattern_mismatch", "string_too_short") and loc[-1:] == ("url",):
        text = "The link needs to start with https:// (or http://) and have no spaces."
    elif kind == "greater_than_equal":
        text = f"Enter {ctx['ge']} or more."
    elif kind == "less_than_equal":
        text = f"Enter {ctx['le']} or less."
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        text = "Enter a whole number."
    elif kind == "too_short":
        text = "Add at least one entry." if ctx.get("min_length") == 1 else "Add more entries."
    elif kind == "too_long":
        text = f"Keep it to {ctx.get('max_length')} entries or fewer."
    elif kind == "string_too_short":
        text = "Fill this in." if ctx.get("min_length") == 1 else "This is too short."
    elif kind == "string_too_long":
        text = f"Keep it to {ctx.get('max_length')} characters or fewer."
    elif kind == "missing":
        text = f"Fill in the {loc[-1]}." if len(loc) > 1 else "Fill this in."
    elif kind == "enum":
        text = "Choose one of the options."
    elif kind == "extra_forbidden":
        text = "This is not a setting of the program."
    else:
        text = error["msg"].removeprefix("Value error, ")
    return InvalidInput(prefix + "{problem}", field=key or None, problem=text)


def settings_problems(
    data: Mapping[str, Any], *, unreadable: Collection[str] = ()
) -> dict[str, InvalidInput]:
    """Every problem with ``data`` as a whole set of settings, by the field to fix.

    Args:
        data: settings as field -> value (what ``ProgramSettings.model_dump(mode="json")``
            gives); missing fields take their defaults.
        unreadable: fields whose input could not even be read (the form reports those): their
            values are left out, and so are the rules between them and other fields.

    Returns:
        field -> the problem (an InvalidInput whose message may name the roles); empty when
        the settings are valid. ``terminology.mentor``/``.mentee`` name the role words.
    """
    skip = set(unreadable)
    known = {k: v for k, v in data.items() if k not in skip and _key((k,)) not in skip}
    problems: dict[str, InvalidInput] = {}
    try:
        fields = ProgramSettings.model_validate(known, context={FIELDS_ONLY: True})
    except ValidationError as exc:
        for error in exc.errors():
            problem = _readable(error)
            problems.setdefault(problem.field or "", problem)
        skip |= set(problems) | {k.split(".")[0] for k in problems}
        valid = {k: v for k, v in known.items() if k not in skip}
        try:
            fields = ProgramSettings.model_validate(valid, context={FIELDS_ONLY: True})
        except ValidationError:  # a problem not tied to one field: nothing more to check
            return problems
    # The sharper messages of the rules for changes first; the stored rules fill in the rest.
    for name, problem in _change_problems(fields, skip=skip).items():
        problems.setdefault(name, problem)
    for name, message in consistency_problems(fields, skip=skip).items():
        problems.setdefault(name, InvalidInput(_capitalised(message), field=name))
    return problems


def _capitalised(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class InvalidSettings(InvalidInput):
    """Settings that break rules; ``problems`` holds every one, by field. Nothing was saved."""

    def __init__(self, problems: Mapping[str, InvalidInput]) -> None:
        first_field, first = next(iter(problems.items()))
        super().__init__(
            "{where}: {problem}", field=first_field, where=first_field, problem=first.message
        )
        self.problems = dict(problems)


def update_settings(
    *,
    session: Session,
    team_id: str,
    actor: str,
    changes: dict[str, Any],
    now: datetime,
    renames: Mapping[str, Mapping[str, str]] | None = None,
) -> ProgramSettings:
    """Apply ``changes`` over the current settings after validating the result as a whole.

    Functional areas and expertise tags are names profiles use (see
    :mod:`mentoring.program.taxonomy`):
    a value whose spelling changes only in case, or that ``renames`` names, moves every profile
    that uses it to the new name in the same transaction; removing a value still in use is
    refused.

    Args:
        session: an open write session.
        team_id: the workspace.
        actor: Slack user id of the admin making the change (recorded in the event log).
        changes: field name -> new value; unknown fields are rejected.
        now: the time of the change.
        renames: ``functional_areas``/``expertise_tags`` -> {old value: new value}.

    Raises:
        InvalidSettings: values out of range, rules between fields broken, a bad rename or a
            value still in use removed; ``problems`` has every one by field. Nothing is saved.
    """
    workspace = get_workspace(session, team_id, lock=True)
    before = parse_settings(workspace.settings)
    before_json = before.model_dump(mode="json")
    wanted = {**before_json, **changes}
    problems = settings_problems(wanted)
    plans: dict[str, dict[str, str]] = {}
    asked = dict(renames or {})
    for field in set(asked) - set(TAXONOMY_FIELDS):
        problems[field] = InvalidInput("Only areas and tags can be renamed.", field=field)
    for field in TAXONOMY_FIELDS:
        if field in problems:
            continue
        old, new = tuple(before_json[field]), tuple(wanted[field])
        try:
            plans[field] = plan_renames(field, old, new, asked.get(field, {}))
        except InvalidInput as err:
            problems[field] = err
            continue
        if {v.lower() for v in old} - {v.lower() for v in new}:
            counts = usage(session, team_id, field)
            refusal = removal_problem(field, old, new, plans[field], counts)
            if refusal is not None:
                problems[field] = refusal
    if problems:
        raise InvalidSettings(problems)

    after = parse_settings(wanted)
    after_json = after.model_dump(mode="json")
    diff_before = {k: v for k, v in before_json.items() if after_json[k] != v}
    diff_after = {k: after_json[k] for k in diff_before}
    if not diff_after:
        return after
    for field, plan in plans.items():
        apply_renames(session, team_id=team_id, field=field, renames=plan, actor=actor, now=now)
    # Store only what differs from the defaults, so later default changes still reach the team.
    defaults = ProgramSettings().model_dump(mode="json")
    workspace.settings = {k: v for k, v in after_json.items() if defaults[k] != v}
    workspace.settings_updated_at = now
    workspace.settings_updated_by = actor
    record_event(
        session,
        team_id=team_id,
        actor=actor,
        action="settings.updated",
        subject_type="workspace",
        subject_id=team_id,
        before=diff_before,
        after=diff_after,
        at=now,
    )
    return after
