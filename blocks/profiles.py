"""Profiles: the enrollment / edit form, and the whole profile another member can view."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.kit import actions, button, context, divider, fields, modal, option, section
from blocks.relationships.goals import goal_lines
from blocks.text import duration_words, escape, mention, plural, slack_date, zone
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.profiles import limits
from mentoring.profiles.page import ProfilePage

ROLE_MENTOR = "mentor"
ROLE_MENTEE = "mentee"


def profile_modal(
    *,
    current: MemberView | None,
    functional_areas: Sequence[str],
    expertise_tags: Sequence[str],
    max_capacity: int,
    default_capacity: int,
    display_name: str,
    words: Words,
) -> View:
    """Create or edit a profile. Name and timezone come from Slack, so they are not asked."""
    role_options = {
        ROLE_MENTOR: option(f"I want to be {words.a_mentor}", ROLE_MENTOR),
        ROLE_MENTEE: option(f"I'm looking for {words.a_mentor} ({words.mentee})", ROLE_MENTEE),
    }
    chosen = [
        role_options[r]
        for r, on in (
            (ROLE_MENTOR, current and current.is_mentor),
            (ROLE_MENTEE, current and current.is_mentee),
        )
        if on
    ]
    area = (current.functional_area if current else None) or ""
    blocks: list[Block] = [
        section(
            f"Hi{f' {escape(display_name)}' if display_name else ''}! Your name and timezone "
            "come from your Slack profile. "
            "Everything else here is shown to other members of the program."
        ),
        InputBlock(
            block_id=Field.ROLES,
            label="Your role",
            element=CheckboxesElement(
                action_id=Field.ROLES,
                options=list(role_options.values()),
                initial_options=chosen or None,
            ),
        ),
        _text(
            Field.TITLE,
            "Job title",
            current.title if current else "",
            optional=True,
            max_length=limits.TITLE,
        ),
        InputBlock(
            block_id=Field.FUNCTIONAL_AREA,
            label="Functional area",
            optional=True,
            element=StaticSelectElement(
                action_id=Field.FUNCTIONAL_AREA,
                placeholder="Choose one",
                options=[option(a, a) for a in functional_areas],
                initial_option=option(area, area) if area in functional_areas else None,
            ),
        ),
        _tags(
            Field.EXPERTISE,
            f"Expertise (as {words.a_mentor})",
            expertise_tags,
            current.expertise if current else (),
            hint=f"What you can help {words.mentees} with. Required for {words.mentors}.",
        ),
        _tags(
            Field.INTERESTS,
            f"What you want to learn (as {words.a_mentee})",
            expertise_tags,
            current.interests if current else (),
            hint="Used to rank the directory for you.",
        ),
        _text(
            Field.GOALS,
            "Goals",
            current.goals if current else "",
            optional=True,
            multiline=True,
            max_length=limits.GOALS,
            placeholder="What would you like to achieve with mentoring?",
        ),
        _text(
            Field.LOCATION,
            "Location",
            (current.location or "") if current else "",
            optional=True,
            max_length=limits.LOCATION,
        ),
        _text(
            Field.LANGUAGES,
            "Languages",
            limits.LANGUAGE_SEPARATOR.join(current.languages) if current else "",
            optional=True,
            max_length=limits.LANGUAGES_TEXT,
            placeholder="e.g. English, Spanish",
        ),
        _text(
            Field.GENDER,
            "Gender (optional, self-described)",
            (current.gender or "") if current else "",
            optional=True,
            max_length=limits.GENDER,
        ),
        _text(
            Field.BIO,
            "Short bio",
            current.bio if current else "",
            optional=True,
            multiline=True,
            max_length=limits.BIO,
        ),
        InputBlock(
            block_id=Field.CAPACITY,
            label=f"How many {words.mentees} can you take at once?",
            optional=True,
            hint=f"{words.mentors_title} only. Between 1 and {max_capacity}.",
            element=NumberInputElement(
                action_id=Field.CAPACITY,
                is_decimal_allowed=False,
                min_value=1,
                # An admin may have lowered the maximum below what this profile holds: the
                # form still opens with it, and saving asks for a capacity within the limit.
                max_value=max(max_capacity, current.mentor_capacity if current else 0),
                initial_value=current.mentor_capacity if current else default_capacity,
            ),
        ),
        context("You can change any of this later from the app's Home tab."),
    ]
    return modal(
        "Your profile" if current else "Join the program",
        ViewId.PROFILE,
        blocks,
        submit="Save" if current else "Join",
    )


def _text(
    field: Field,
    label: str,
    initial: str,
    *,
    optional: bool,
    multiline: bool = False,
    max_length: int | None = None,
    placeholder: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=field,
        label=label,
        optional=optional,
        element=PlainTextInputElement(
            action_id=field,
            initial_value=initial or None,
            multiline=multiline,
            max_length=max_length,
            placeholder=placeholder,
        ),
    )


def _tags(
    field: Field, label: str, tags: Sequence[str], chosen: Sequence[str], hint: str
) -> InputBlock:
    return InputBlock(
        block_id=field,
        label=label,
        optional=True,
        hint=hint,
        element=StaticMultiSelectElement(
            action_id=field,
            placeholder=f"Choose up to {limits.TAGS}",
            options=[option(t, t) for t in tags],
            initial_options=[option(t, t) for t in chosen if t in tags] or None,
            max_selected_items=limits.TAGS,
        ),
    )


def pause_modal(*, words: Words) -> View:
    """Choose a date until which no new requests arrive."""
    return modal(
        "Pause new requests",
        ViewId.PAUSE,
        [
            section(
                f"While paused you don't appear in the directory and no new requests reach you. "
                f"Your current {words.mentees} are not affected."
            ),
            InputBlock(
                block_id=Field.PAUSE_UNTIL,
                label="Pause until",
                element=DatePickerElement(action_id=Field.PAUSE_UNTIL, placeholder="Pick a date"),
            ),
        ],
        submit="Pause",
    )


def saved_modal(title: str, text: str) -> View:
    """A confirmation that replaces a submitted modal."""
    return modal(title, "confirmation", [section(text)], close="Close")


def profile_button(user_id: str) -> ButtonElement:
    """The "View profile" button shown wherever a person appears."""
    return button("View profile", Action.VIEW_PROFILE, user_id)


def member_profile_modal(page: ProfilePage, *, now: datetime, words: Words, dm_url: str) -> View:
    """A member's whole profile, read-only: who they are, how available, whom they mentor."""
    m = page.member
    roles = [r for r, on in ((words.mentor, m.is_mentor), (words.mentee, m.is_mentee)) if on]
    about = " · ".join(escape(x) for x in (m.title, m.functional_area or "") if x)
    blocks: list[Block] = [
        section(
            f"*{escape(m.display_name)}* ({mention(m.slack_user_id)})"
            + (f"\n{about}" if about else "")
            + f"\n{' and '.join(roles).capitalize()} in the program"
        )
    ]
    local = now.astimezone(zone(m.tz))
    facts = [
        f"*Location*\n{escape(m.location or 'Not given')}",
        f"*Local time*\n{local:%H:%M} on {local:%A} ({escape(m.tz)})",
    ]
    if m.languages:
        facts.append("*Languages*\n" + escape(", ".join(m.languages)))
    if m.is_mentor:
        slots = page.open_slots or 0
        facts.append(
            f"*Open slots*\n{slots} of {m.mentor_capacity}"
            if slots
            else f"*Open slots*\nNone right now ({m.mentor_capacity} {words.mentees} at most)"
        )
        facts.append(
            "*Typical response time*\n"
            + (
                f"Within {duration_words(page.response_time)}"
                if page.response_time is not None
                else "Not known yet"
            )
        )
    if page.ratings is not None and page.ratings.count:
        facts.append(
            f"*Rated by former {words.mentees}*\n{page.ratings.average:.1f} / 5 "
            f"({plural(page.ratings.count, 'rating')})"
        )
    blocks.append(fields(*facts))
    if m.is_paused(now) and m.paused_until is not None:
        blocks.append(context(f"New requests are paused until {slack_date(m.paused_until)}."))
    if m.is_mentor and m.expertise:
        blocks.append(section("*Can help with*\n" + escape(", ".join(m.expertise))))
    if m.is_mentee and m.interests:
        blocks.append(section("*Wants to learn*\n" + escape(", ".join(m.interests))))
    if m.goals:
        blocks.append(section("*Goals*\n" + escape(m.goals)))
    if m.bio:
        blocks.append(section("*About*\n" + escape(m.bio)))
    blocks += [divider(), section("*Current mentoring*")]
    if not page.relationships:
        blocks.append(context("No mentoring relationships to show right now."))
    for line in page.relationships[:20]:
        other = escape(line.other.display_name)
        what = (
            f"{words.mentor_title} of *{other}*"
            if line.as_mentor
            else f"{words.mentee_title} of *{other}*"
        )
        goals = f"\n{goal_lines(line.goals)}" if line.goals else ""
        blocks.append(
            section(
                f"{what} since {slack_date(line.relationship.started_at)}{goals}",
                accessory=profile_button(line.other.slack_user_id),
            )
        )
    if len(page.relationships) > 20:
        blocks.append(context(f"And {plural(len(page.relationships) - 20, 'more relationship')}."))
    buttons = []
    if page.can_request_meeting:
        buttons.append(
            button("Request meeting", Action.REQUEST_MEETING, m.slack_user_id, style="primary")
        )
    if not page.is_self:
        buttons.append(button("Message", Action.MESSAGE_MENTOR, m.slack_user_id, url=dm_url))
    if buttons:
        blocks.append(actions(*buttons))
    return modal(m.display_name, ViewId.MEMBER_PROFILE, blocks, close="Close")
