"""The term question's buttons: extend by the program's extension, or finish on the date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from blocks.relationships.ids import RelAction
from handlers.buttons import acting
from handlers.forms import id_number
from handlers.listening import Listeners
from mentoring.relationships.terms import confirm_finish, extend_term


def _parsed(action: dict[str, Any]) -> dict[str, Any]:
    """The relationship and the end date the button was drawn with (its guard)."""
    relationship, _sep, stamp = str(action.get("value") or "").partition(":")
    return {
        "relationship_id": id_number(relationship),
        "seen_end": datetime.fromtimestamp(id_number(stamp), tz=UTC),
    }


def register(app: Listeners) -> None:
    app.action(RelAction.TERM_EXTEND)(acting(extend_term, _parsed))
    app.action(RelAction.TERM_FINISH)(acting(confirm_finish, _parsed))
