"""The fake Web API methods, by name."""

from __future__ import annotations

from fakeslack.methods import apps, chat, files, people, views, workspace
from fakeslack.methods._base import Call, Handler

METHODS: dict[str, Handler] = {
    **workspace.METHODS,
    **people.METHODS,
    **chat.METHODS,
    **views.METHODS,
    **files.METHODS,
    **apps.METHODS,
}
UNAUTHENTICATED = workspace.UNAUTHENTICATED | apps.UNAUTHENTICATED

__all__ = ["METHODS", "UNAUTHENTICATED", "Call", "Handler"]
