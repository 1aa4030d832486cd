"""The inputs of the program settings modal, one builder per kind of setting."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    NumberInputElement,
    PlainTextInputElement,
    StaticSelectElement,
)

from blocks.ids import Setting
from blocks.kit import option
from mentoring.program.settings import ProgramSettings
from mentoring.program.settings_changes import MAX_LIST_TEXT

ON = "on"  # the value of a setting's single checkbox


def hour_label(hour: int) -> str:
    """An hour of the working day as a clock shows it: 9 -> ``09:00``."""
    return f"{hour:02d}:00"


def bounds(setting: Setting) -> tuple[int | None, int | None]:
    """The range ProgramSettings allows for a number, so Slack checks it while typing."""
    low = high = None
    for rule in ProgramSettings.model_fields[setting.value].metadata:  # Ge(...), Le(...)
        if (ge := getattr(rule, "ge", None)) is not None:
            low = int(ge)
        if (le := getattr(rule, "le", None)) is not None:
            high = int(le)
    return low, high


def number_input(settings: ProgramSettings, name: Mapping[str, str]) -> Callable[..., InputBlock]:
    def number(setting: Setting, hint: str | None, *, optional: bool = False) -> InputBlock:
        low, high = bounds(setting)
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


def switch_input(
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


def hours_input(
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


def choice_input(
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


def text_input(
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


def lines_input(
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
            max_length=MAX_LIST_TEXT,
        ),
    )
