"""Listeners for relationships after the match, one module per feature, registered together."""

from __future__ import annotations

from handlers.listening import Listeners
from handlers.relationships import checkins, closure, ending, goals, oversight, people, terms


def register(app: Listeners) -> None:
    for module in (ending, goals, checkins, terms, closure, oversight, people):
        module.register(app)
