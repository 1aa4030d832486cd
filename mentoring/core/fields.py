"""Field types the program's input models share (pydantic, parsed at the edge)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def none_if_blank(value: str | None) -> str | None:
    """An empty answer to an optional question means no answer."""
    return value or None


# Optional free text: after trimming, an empty string is stored as no value at all.
OptionalText = Annotated[str | None, AfterValidator(none_if_blank)]
