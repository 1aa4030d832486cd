"""as_dicts: the same JSON as slack_sdk's to_dict, validated the same, each object once."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
    OverflowMenuElement,
    PlainTextInputElement,
    PlainTextObject,
    RichTextBlock,
    RichTextSectionElement,
    SectionBlock,
    StaticSelectElement,
)

from blocks.requests.cards import RequestCard, request_card
from blocks.serialize import as_dicts
from tests.blocks.test_requests_blocks import MENTEE, MENTOR, WORDS, request
from tests.conftest import NOW, TEAM


def _every_kind() -> list:
    confirm = ConfirmObject(title="Sure?", text="It cannot be undone.", confirm="Yes", deny="No")
    options = [Option(value=str(n), label=f"choice {n}") for n in range(3)]
    return [
        HeaderBlock(text="Header"),
        SectionBlock(
            text=MarkdownTextObject(text="*bold* &lt;escaped&gt;"),
            fields=[PlainTextObject(text="one"), MarkdownTextObject(text="two")],
            accessory=ButtonElement(text="Go", action_id="go", value="7", confirm=confirm),
        ),
        DividerBlock(),
        ActionsBlock(
            elements=[
                ButtonElement(text="Accept", action_id="a", value="1", style="primary"),
                StaticSelectElement(
                    action_id="pick",
                    placeholder="Pick",
                    option_groups=[OptionGroup(label="Group", options=options)],
                ),
                OverflowMenuElement(action_id="more", options=options),
            ]
        ),
        ContextBlock(elements=[ImageElement(image_url="https://example.test/a.png", alt_text="a")]),
        InputBlock(
            label="Note",
            element=PlainTextInputElement(action_id="note", multiline=True, max_length=300),
            optional=True,
        ),
        RichTextBlock(elements=[RichTextSectionElement(elements=[])]),  # empty allowed here
    ]


def test_every_kind_of_block_comes_out_as_slack_sdk_makes_it() -> None:
    blocks = _every_kind()

    assert as_dicts(blocks) == [b.to_dict() for b in blocks]


def test_a_request_card_comes_out_as_slack_sdk_makes_it() -> None:
    card = RequestCard(request(), MENTEE, MENTOR, reasons=("same area",), score=80)
    blocks = request_card(card, team_id=TEAM, now=NOW, words=WORDS, reminder=True)

    assert as_dicts(blocks) == [b.to_dict() for b in blocks]


def _confirming(title: str) -> SectionBlock:
    confirm = ConfirmObject(title=title, text="Really?", confirm="Yes", deny="No")
    return SectionBlock(text="Pick", accessory=ButtonElement(text="Go", value="1", confirm=confirm))


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(
            ActionsBlock(elements=[ButtonElement(text="x" * 76, action_id="a", value="1")]),
            id="button text over 75",
        ),
        pytest.param(
            ActionsBlock(elements=[ButtonElement(text="Go", action_id="a", style="purple")]),
            id="button style not primary or danger",
        ),
        pytest.param(_confirming("t" * 101), id="confirm title over 100, three levels down"),
        pytest.param(SectionBlock(text="x" * 3001), id="section text over 3000"),
    ],
)
def test_a_broken_limit_anywhere_is_refused_as_slack_sdk_refuses_it(broken: object) -> None:
    with pytest.raises(SlackObjectFormationError) as theirs:
        broken.to_dict()  # type: ignore[attr-defined]
    with pytest.raises(SlackObjectFormationError) as ours:
        as_dicts([broken])  # type: ignore[list-item]

    assert str(ours.value) == str(theirs.value)
