"""The program settings modal (``/mentor-admin settings``) and what a change did."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    NumberInputElement,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from blocks.ids import Setting
from blocks.ids import View as ViewId
from blocks.kit import context, header, modal, option, section
from blocks.text import escape, truncate
from mentoring.core.wording import Words, capitalise
from mentoring.program.settings import DirectoryMode, MatchingMode, ProgramSettings, Resource

# A multiline plain_text_input holds at most 3000 characters.
MAX_TEXT = 3000
MAX_SECTION = 3000
ON = "on"  # the value of a setting's single checkbox
RENAME_ARROW = "->"


def hour_label(hour: int) -> str:
    """An hour of the working day as a clock shows it: 9 -> ``09:00``."""
    return f"{hour:02d}:00"


def resource_line(resource: Resource) -> str:
    """A resource as the admin types it: ``title | link | description``."""
    return " | ".join(filter(None, [resource.title, resource.url, resource.description]))


def directory_modes(words: Words) -> dict[str, str]:
    """What each directory mode means, as the select offers it."""
    return {
        DirectoryMode.OPEN: f"Open: {words.mentees} browse every {words.mentor}",
        DirectoryMode.RECOMMENDATIONS_ONLY: (
            f"Recommendations only: {words.mentees} see the {words.mentors} suggested to them"
        ),
    }


def matching_modes(words: Words) -> dict[str, str]:
    """What each matching mode means, as the select offers it."""
    return {
        MatchingMode.SELF: f"{words.mentees_title} ask {words.mentors} themselves",
        MatchingMode.ADMIN_ROUTED: f"{words.mentees_title} rank their choices; an admin pairs",
    }


def labels(words: Words) -> dict[str, str]:
    """Each setting's short name, for the modal's inputs and the list of what changed."""
    return {
        Setting.MAX_PENDING_REQUESTS: f"Requests {words.a_mentee} may have waiting",
        Setting.MAX_ACTIVE: f"{words.mentors_title} {words.a_mentee} may have at once",
        Setting.MESSAGE_MIN: "Shortest request message (characters)",
        Setting.MESSAGE_MAX: "Longest request message (characters)",
        Setting.DEFAULT_CAPACITY: f"{words.mentees_title} per {words.mentor} to start with",
        Setting.MAX_CAPACITY: f"Most {words.mentees} one {words.mentor} may take",
        Setting.REMIND_AFTER: "First reminder after (days)",
        Setting.REMIND_EVERY: "Then remind every (days)",
        Setting.MAX_REMINDERS: "Reminders at most",
        Setting.AUTO_CLOSE: "Close unanswered requests after (days)",
        Setting.ESCALATE: "Tell admins about requests waiting (days)",
        Setting.HOURS_START: "Reminders from (local time)",
        Setting.HOURS_END: "Reminders until (local time)",
        Setting.WEEKLY_DIGEST: "Weekly digest",
        Setting.DIRECTORY_MODE: "Directory",
        Setting.MATCHING_MODE: "Matching",
        Setting.MENTOR_OFFERS: "Offers",
        Setting.FLASH_MENTORING: "Flash mentoring",
        Setting.MAX_PENDING_MEETINGS: f"Meeting requests {words.a_mentee} may have waiting",
        Setting.MENTOR_WORD: "Word for those who advise",
        Setting.MENTEE_WORD: "Word for those who learn",
        Setting.DECLINE_REASONS: "Decline reasons",
        Setting.FUNCTIONAL_AREAS: "Functional areas",
        Setting.EXPERTISE_TAGS: "Expertise tags",
        Setting.RESOURCES: "Resources",
        Setting.ADMINS_FROM_SLACK: "Slack admins",
    }


def switches(words: Words) -> dict[str, str]:
    """The one checkbox of each on/off setting."""
    return {
        Setting.WEEKLY_DIGEST: "Send admins a summary of the program every week",
        Setting.MENTOR_OFFERS: f"{words.mentors_title} may offer themselves to {words.mentees}",
        Setting.FLASH_MENTORING: (
            f"One-time meetings with {words.a_mentor}, without a lasting relationship"
        ),
        Setting.ADMINS_FROM_SLACK: "Slack workspace admins and owners are program admins too",
    }


def settings_modal(settings: ProgramSettings, *, words: Words) -> View:
    """Every program setting in one form, filled in with the current values."""
    name = labels(words)
    number = _number_input(settings, name)
    switch = _switch_input(settings, name, switches(words))
    blocks: list[Block] = [
        section(
            "Changes apply at once: to new requests, the next reminders and everyone's Home "
            "tab. Nothing is saved until every field is right."
        ),
        header("Requests"),
        number(Setting.MAX_PENDING_REQUESTS, f"Unanswered requests one {words.mentee} may have."),
        number(Setting.MAX_ACTIVE, f"Active relationships one {words.mentee} may have."),
        number(Setting.MESSAGE_MIN, f"What {words.a_mentee} writes when asking."),
        number(Setting.MESSAGE_MAX, None),
        header(f"{words.mentor_title} capacity"),
        number(Setting.DEFAULT_CAPACITY, f"What a new {words.mentor}'s profile starts with."),
        number(Setting.MAX_CAPACITY, f"The most {words.a_mentor} can choose in their profile."),
        header("Reminders and closing"),
        number(Setting.REMIND_AFTER, "Whoever should answer a request is reminded of it."),
        number(Setting.REMIND_EVERY, None),
        number(Setting.MAX_REMINDERS, "0 sends none."),
        number(Setting.AUTO_CLOSE, "Everyone is told, with other people to ask."),
        number(Setting.ESCALATE, "Leave it empty to never tell admins.", optional=True),
        _hours(Setting.HOURS_START, name, range(0, 24), settings.working_hours_start, None),
        _hours(
            Setting.HOURS_END,
            name,
            range(1, 25),
            settings.working_hours_end,
            "Reminders arrive Monday to Friday within these hours, in each person's timezone.",
        ),
        switch(Setting.WEEKLY_DIGEST, settings.weekly_digest),
        header("Finding each other"),
        _choice(
            Setting.DIRECTORY_MODE, name, directory_modes(words), settings.directory_mode.value
        ),
        _choice(Setting.MATCHING_MODE, name, matching_modes(words), settings.matching_mode.value),
        switch(Setting.MENTOR_OFFERS, settings.mentor_offers_enabled),
        switch(Setting.FLASH_MENTORING, settings.flash_mentoring_enabled),
        number(Setting.MAX_PENDING_MEETINGS, None),
        header("Words"),
        _text(
            Setting.MENTOR_WORD,
            name,
            settings.terminology.mentor,
            "One person, e.g. guide, coach, advisor. Every message uses it.",
            max_length=30,
        ),
        _text(
            Setting.MENTEE_WORD,
            name,
            settings.terminology.mentee,
            "One person, e.g. learner, coachee.",
            max_length=30,
        ),
        header("Lists"),
        _lines(
            Setting.DECLINE_REASONS,
            name,
            settings.decline_reasons,
            f"One per line. {capitalise(words.a_mentor)} declining a request picks one; the "
            f"{words.mentee} sees it. One-time meetings have reasons of their own.",
        ),
        _lines(
            Setting.FUNCTIONAL_AREAS,
            name,
            settings.functional_areas,
            "One per line. To rename one on every profile, write “old name -> new name”.",
        ),
        _lines(
            Setting.EXPERTISE_TAGS,
            name,
            settings.expertise_tags,
            "One per line. To rename one on every profile, write “old name -> new name”.",
        ),
        header("Resources"),
        _lines(
            Setting.RESOURCES,
            name,
            [resource_line(r) for r in settings.resources],
            "One per line, at most 10: title | https://link | a few words (optional). "
            "Shown on everyone's Home tab.",
            optional=True,
        ),
        header("Admins"),
        switch(Setting.ADMINS_FROM_SLACK, settings.admins_from_slack),
        context("Admins named in the app's configuration (ADMIN_USER_IDS) are always admins."),
    ]
    return modal("Program settings", ViewId.SETTINGS, blocks, submit="Save", close="Cancel")


def _bounds(setting: Setting) -> tuple[int | None, int | None]:
    """The range ProgramSettings allows for a number, so Slack checks it while typing."""
    low = high = None
    for rule in ProgramSettings.model_fields[setting.value].metadata:  # Ge(...), Le(...)
        if (ge := getattr(rule, "ge", None)) is not None:
            low = int(ge)
        if (le := getattr(rule, "le", None)) is not None:
            high = int(le)
    return low, high


def _number_input(settings: ProgramSettings, name: Mapping[str, str]) -> Callable[..., InputBlock]:
    def number(setting: Setting, hint: str | None, *, optional: bool = False) -> InputBlock:
        low, high = _bounds(setting)
        value: int | None = getattr(settings, setting.value)
        return InputBlock(
            block_id=setting,
            label=name[setting],
            hint=hint,
            optional=optional,
            element=NumberInputElement(
                action_id=setting,
                is_decimal_allowed=False,
                min_value=low,
                max_value=high,
                initial_value=value,
            ),
        )

    return number


def _switch_input(
    settings: ProgramSettings, name: Mapping[str, str], texts: Mapping[str, str]
) -> Callable[[Setting, bool], InputBlock]:
    def switch(setting: Setting, on: bool) -> InputBlock:
        choice = option(texts[setting], ON)
        return InputBlock(
            block_id=setting,
            label=name[setting],
            optional=True,
            element=CheckboxesElement(
                action_id=setting, options=[choice], initial_options=[choice] if on else None
            ),
        )

    return switch


def _hours(
    setting: Setting,
    name: Mapping[str, str],
    hours: range,
    current: int,
    hint: str | None,
) -> InputBlock:
    choices = [option(hour_label(h), str(h)) for h in hours]
    return InputBlock(
        block_id=setting,
        label=name[setting],
        hint=hint,
        element=StaticSelectElement(
            action_id=setting,
            options=choices,
            initial_option=option(hour_label(current), str(current)),
        ),
    )


def _choice(
    setting: Setting, name: Mapping[str, str], choices: Mapping[str, str], current: str
) -> InputBlock:
    return InputBlock(
        block_id=setting,
        label=name[setting],
        element=StaticSelectElement(
            action_id=setting,
            options=[option(text, value) for value, text in choices.items()],
            initial_option=option(choices[current], current),
        ),
    )


def _text(
    setting: Setting, name: Mapping[str, str], current: str, hint: str, *, max_length: int
) -> InputBlock:
    return InputBlock(
        block_id=setting,
        label=name[setting],
        hint=hint,
        element=PlainTextInputElement(
            action_id=setting, initial_value=current, min_length=1, max_length=max_length
        ),
    )


def _lines(
    setting: Setting,
    name: Mapping[str, str],
    current: Sequence[str],
    hint: str,
    *,
    optional: bool = False,
) -> InputBlock:
    return InputBlock(
        block_id=setting,
        label=name[setting],
        hint=hint,
        optional=optional,
        element=PlainTextInputElement(
            action_id=setting,
            multiline=True,
            initial_value="\n".join(current) or None,
            max_length=MAX_TEXT,
        ),
    )


def describe_changes(
    before: ProgramSettings,
    after: ProgramSettings,
    renames: Mapping[str, Mapping[str, str]],
    *,
    words: Words,
) -> list[str]:
    """One line per setting that changed, in the order of the form (user text escaped)."""
    name = labels(words)
    lines: list[str] = []
    for setting in Setting:
        old, new = _value(before, setting), _value(after, setting)
        if old == new:
            continue
        if isinstance(old, tuple) and isinstance(new, tuple):
            what = _list_change(old, new, renames.get(setting.value, {}))
        else:
            what = f"{_shown(setting, old, words)} → {_shown(setting, new, words)}"
        lines.append(f"*{escape(name[setting])}*: {what}")
    return lines


def _value(settings: ProgramSettings, setting: Setting) -> Any:
    if setting in (Setting.MENTOR_WORD, Setting.MENTEE_WORD):
        return getattr(settings.terminology, setting.value.split(".")[1])
    if setting is Setting.RESOURCES:
        return tuple(resource_line(r) for r in settings.resources)
    return getattr(settings, setting.value)


def _shown(setting: Setting, value: Any, words: Words) -> str:
    if value is None:
        return "never"
    if isinstance(value, bool):
        return "on" if value else "off"
    if setting in (Setting.HOURS_START, Setting.HOURS_END):
        return hour_label(value)
    if setting is Setting.DIRECTORY_MODE:
        return directory_modes(words)[value].split(":")[0]
    if setting is Setting.MATCHING_MODE:
        return matching_modes(words)[value]
    if isinstance(value, str):
        return f"“{escape(value)}”"
    return str(value)


def _list_change(old: tuple[str, ...], new: tuple[str, ...], renames: Mapping[str, str]) -> str:
    def quoted(values: Sequence[str]) -> str:
        return ", ".join(f"“{escape(v)}”" for v in values)

    renamed = {
        o: n for o in old for n in new if o != n and o.lower() == n.lower()
    }  # a change of case is a rename too
    renamed.update(renames)
    gone = {o.lower() for o in renamed}
    added = [v for v in new if v not in old and v not in renamed.values()]
    removed = [v for v in old if v not in new and v.lower() not in gone]
    parts = []
    if renamed:
        parts.append(
            "renamed " + ", ".join(f"“{escape(o)}” → “{escape(n)}”" for o, n in renamed.items())
        )
    if added:
        parts.append("added " + quoted(added))
    if removed:
        parts.append("removed " + quoted(removed))
    return "; ".join(parts) or "reordered"


def settings_saved_modal(changes: Sequence[str]) -> View:
    """What the admin sees once the settings are saved: every change, or that there was none."""
    if not changes:
        text = "Nothing changed: the settings were already like this."
        return modal("Program settings", ViewId.SETTINGS, [section(text)], close="Close")
    blocks: list[Block] = [section(":white_check_mark: *Settings saved.* What changed:")]
    chunk: list[str] = []
    for line in (f"• {truncate(c, 1500)}" for c in changes):
        if sum(len(c) + 1 for c in chunk) + len(line) > MAX_SECTION:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    blocks.append(section("\n".join(chunk)))
    return modal("Program settings", ViewId.SETTINGS, blocks, close="Close")


def refused_modal(text: str) -> View:
    """Shown instead of the form's result when the person may not change settings."""
    return modal("Program settings", ViewId.SETTINGS, [section(text)], close="Close")
