"""Thin constructors over slack_sdk.models, which check Slack's limits when serialised."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from blocks.ids import Field
from blocks.text import truncate

# The program's words for the roles; every block builder takes them from here.
from mentoring.core.wording import Words as Words

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100


def md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=truncate(text, 3000))


def plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=truncate(text, 3000), emoji=True)


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=truncate(text, 150))


def section(
    text: str, accessory: ButtonElement | None = None, block_id: str | None = None
) -> SectionBlock:
    return SectionBlock(text=md(text), accessory=accessory, block_id=block_id)


def fields(*items: str) -> SectionBlock:
    return SectionBlock(fields=[md(truncate(i, 2000)) for i in items[:10]])


def context(*items: str) -> ContextBlock:
    return ContextBlock(elements=[md(truncate(i, 2000)) for i in items[:10]])


def divider() -> DividerBlock:
    return DividerBlock()


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    *,
    style: str | None = None,
    url: str | None = None,
    confirm: ConfirmObject | None = None,
) -> ButtonElement:
    return ButtonElement(
        text=truncate(text, 75),
        action_id=action_id,
        value=value,
        style=style,
        url=url,
        confirm=confirm,
    )


def confirm(title: str, text: str, yes: str, no: str = "Cancel") -> ConfirmObject:
    # plain_text: the body often names a person, and user text must never reach mrkdwn raw.
    return ConfirmObject(
        title=truncate(title, 100), text=plain(truncate(text, 300)), confirm=yes, deny=no
    )


def actions(*elements: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(elements)[:25], block_id=block_id)


def option(label: str, value: str) -> Option:
    return Option(label=truncate(label, 75), value=value[:150])


def modal(
    title: str,
    callback_id: str,
    blocks: Sequence[Block],
    *,
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str = "",
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        title=truncate(title, 24),
        submit=truncate(submit, 24) if submit else None,
        close=truncate(close, 24),
        blocks=list(blocks),
        private_metadata=private_metadata,
    )


def message_input(
    hint: str,
    placeholder: str,
    *,
    min_length: int,
    max_length: int,
    draft: str | None = None,
    label: str = "Your message",
) -> InputBlock:
    """The personal message any ask carries, within the program's one length rule."""
    return InputBlock(
        block_id=Field.MESSAGE,
        label=label,
        hint=f"{hint} {min_length}-{max_length} characters.",
        element=PlainTextInputElement(
            action_id=Field.MESSAGE,
            multiline=True,
            min_length=min_length,
            max_length=max_length,
            initial_value=draft or None,
            placeholder=placeholder,
        ),
    )


def sent_modal(title: str, callback_id: str, on_its_way: str, afterwards: str) -> View:
    """Shown in place of a form once what it sent is saved: where it went, and what next."""
    return modal(
        title,
        callback_id,
        [section(f":white_check_mark: {on_its_way}"), context(afterwards)],
        close="Done",
    )
