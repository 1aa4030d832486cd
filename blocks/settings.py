"""The program settings modal (``/mentor-admin settings``) and what a change did."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from blocks.ids import Setting
from blocks.ids import View as ViewId
from blocks.kit import context, header, modal, section
from blocks.settings_inputs import (
    choice_input,
    hour_label,
    hours_input,
    lines_input,
    number_input,
    switch_input,
    text_input,
)
from blocks.text import escape, truncate
from mentoring.core.wording import Words, capitalise
from mentoring.program.settings import (
    MAX_WORD_LENGTH,
    DirectoryMode,
    MatchingMode,
    ProgramSettings,
    Resource,
)

MAX_SECTION = 3000
RENAME_ARROW = "->"


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
        Setting.CHECKIN_EVERY: "Check in with each pair every (days)",
        Setting.TERM_DAYS: "Relationships last (days)",
        Setting.EXTENSION_DAYS: "Extend a relationship by (days)",
        Setting.RATINGS_PUBLIC: "Ratings",
        Setting.WELCOME_NEWCOMERS: "Newcomers",
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
        Setting.RATINGS_PUBLIC: (
            f"Show the rating {words.mentees} give their {words.mentor} on that profile"
        ),
        Setting.WELCOME_NEWCOMERS: "Welcome people who join the workspace with an invitation",
    }


def settings_modal(settings: ProgramSettings, *, words: Words) -> View:
    """Every program setting in one form, filled in with the current values."""
    name = labels(words)
    number = number_input(settings, name)
    switch = switch_input(settings, name, switches(words))
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
        hours_input(Setting.HOURS_START, name, range(0, 24), settings.working_hours_start, None),
        hours_input(
            Setting.HOURS_END,
            name,
            range(1, 25),
            settings.working_hours_end,
            "Reminders arrive Monday to Friday within these hours, in each person's timezone.",
        ),
        switch(Setting.WEEKLY_DIGEST, settings.weekly_digest),
        header("Finding each other"),
        choice_input(
            Setting.DIRECTORY_MODE, name, directory_modes(words), settings.directory_mode.value
        ),
        choice_input(
            Setting.MATCHING_MODE, name, matching_modes(words), settings.matching_mode.value
        ),
        switch(Setting.MENTOR_OFFERS, settings.mentor_offers_enabled),
        switch(Setting.FLASH_MENTORING, settings.flash_mentoring_enabled),
        number(Setting.MAX_PENDING_MEETINGS, None),
        header("After the match"),
        number(
            Setting.CHECKIN_EVERY, "Asks each pair “have you met?” in their group DM. 0: never."
        ),
        number(
            Setting.TERM_DAYS,
            "Ten days before the end, both are asked to extend or finish. Empty: no end date.",
            optional=True,
        ),
        number(Setting.EXTENSION_DAYS, None),
        switch(Setting.RATINGS_PUBLIC, settings.ratings_public),
        switch(Setting.WELCOME_NEWCOMERS, settings.welcome_newcomers),
        header("Words"),
        text_input(
            Setting.MENTOR_WORD,
            name,
            settings.terminology.mentor,
            "One person, e.g. guide, coach, advisor. Every message uses it.",
            max_length=MAX_WORD_LENGTH,
        ),
        text_input(
            Setting.MENTEE_WORD,
            name,
            settings.terminology.mentee,
            "One person, e.g. learner, coachee.",
            max_length=MAX_WORD_LENGTH,
        ),
        header("Lists"),
        lines_input(
            Setting.DECLINE_REASONS,
            name,
            settings.decline_reasons,
            f"One per line. {capitalise(words.a_mentor)} declining a request picks one; the "
            f"{words.mentee} sees it. One-time meetings have reasons of their own.",
        ),
        lines_input(
            Setting.FUNCTIONAL_AREAS,
            name,
            settings.functional_areas,
            "One per line. To rename one on every profile, write “old name -> new name”.",
        ),
        lines_input(
            Setting.EXPERTISE_TAGS,
            name,
            settings.expertise_tags,
            "One per line. To rename one on every profile, write “old name -> new name”.",
        ),
        header("Resources"),
        lines_input(
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
