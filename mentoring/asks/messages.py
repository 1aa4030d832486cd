"""The personal message a request carries: one length rule for every kind of request.

A mentoring request, a preference sent to the admins and a meeting request each carry a message
whose length the program sets (``message_min_length`` / ``message_max_length``). The rule is the
same for all of them; only the hint in the "too short" error says what this message is for.
"""

from __future__ import annotations

from mentoring.core.errors import InvalidInput
from mentoring.program.settings import ProgramSettings

FIELD = "message"


def validated_message(message: str, settings: ProgramSettings, *, hint: str) -> str:
    """The message without surrounding whitespace, once its length fits the program's rule.

    Args:
        message: what the person typed.
        settings: the program's settings (the length limits).
        hint: the end of the "too short" error, a template in the program's words for the
            roles, e.g. ``"say why you chose this {mentor} and what you hope to learn."``.

    Raises:
        InvalidInput: too short or too long (``field="message"``); the limits and the length
            are template values, never pasted into the template.
    """
    text = (message or "").strip()
    if len(text) < settings.message_min_length:
        raise InvalidInput(
            "Please write at least {min} characters: " + hint,
            field=FIELD,
            min=settings.message_min_length,
        )
    if len(text) > settings.message_max_length:
        raise InvalidInput(
            "Please keep your message under {max} characters (it has {length}).",
            field=FIELD,
            max=settings.message_max_length,
            length=len(text),
        )
    return text
