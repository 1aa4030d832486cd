"""trigger_ids: who they were issued for, where the click came from, when they expire.

Slack issues a trigger_id with each slash command, button click and view submission; it is
good for one views.open/views.push within 3 seconds (docs.slack.dev/interactivity/
handling-user-interaction). Where it came from matters too:

- views.push needs "a valid trigger_id generated from an interaction within the existing
  modal" (views.push reference): the fake refuses a trigger from anywhere else with
  ``not_found`` (the stack to push onto is not the one the trigger came from).
- views.open with a trigger from inside a modal that is still open is not a supported way to
  answer: Slack's maintainers say a new root modal over an open one "may work by chance" and
  that pushing or updating the current view is the way (bolt-js #1827, #639); where it does not
  work the person sees nothing. Slack itself answers ``ok``, so no Slack error code exists:
  the fake refuses with its own, :data:`OPENED_OVER_MODAL`, so that a test sees it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from fakeslack.errors import ApiError

Source = Literal["command", "message", "home", "modal", "submission"]
OPENED_OVER_MODAL = "fakeslack_views_open_over_modal"
INSIDE_MODAL: frozenset[Source] = frozenset({"modal", "submission"})


@dataclass(slots=True)
class Trigger:
    """A trigger_id the fake issued.

    Attributes:
        id: The trigger_id itself.
        user_id: The user whose interaction it came with.
        issued_at: When (``SlackState.clock`` seconds).
        source: What the user did: ran a slash command, clicked in a message or the Home tab,
            clicked inside a modal, or submitted a modal.
        view_id: The modal view clicked in or submitted (``modal`` and ``submission`` only).
        used: Whether views.open/views.push already exchanged it.
    """

    id: str
    user_id: str | None
    issued_at: float
    source: Source = "command"
    view_id: str | None = None
    used: bool = False

    @property
    def from_modal(self) -> bool:
        """Whether the interaction happened inside a modal."""
        return self.source in INSIDE_MODAL


def new_trigger_id(serial: int, wall_seconds: float) -> str:
    """A trigger_id in Slack's ``"12345.98765.abcd2358fdea"`` shape."""
    digest = hashlib.blake2s(f"trigger{serial}".encode(), digest_size=6).hexdigest()
    return f"{serial}.{int(wall_seconds)}.{digest}"


def exchange(trigger: Trigger | None, now: float, ttl: float | None) -> Trigger:
    """Use up a trigger (``ttl`` None: it never expires).

    Raises:
        ApiError: ``invalid_trigger_id``, ``exchanged_trigger_id`` or ``expired_trigger_id``.
    """
    if trigger is None:
        raise ApiError("invalid_trigger_id")
    if trigger.used:
        raise ApiError("exchanged_trigger_id")
    if ttl is not None and now - trigger.issued_at > ttl:
        raise ApiError("expired_trigger_id")
    trigger.used = True
    return trigger


def refuse_open_over_modal(trigger: Trigger) -> None:
    """views.open with a trigger from inside a modal that is still open: refused."""
    kind = "submission of" if trigger.source == "submission" else "click inside"
    raise ApiError(
        OPENED_OVER_MODAL,
        messages=[
            f"[ERROR] this trigger_id came from a {kind} modal view {trigger.view_id}, which is "
            "still open: answer with views.push (this trigger), views.update, or a "
            "response_action; a new root modal over an open one may show nothing"
        ],
    )


def refuse_push(trigger: Trigger, stack: list[str]) -> None:
    """views.push with a trigger that did not come from inside the open modal stack."""
    where = f"modal view {trigger.view_id}" if trigger.view_id else f"a {trigger.source}"
    shown = ", ".join(stack) or "none"
    raise ApiError(
        "not_found",
        messages=[
            f"[ERROR] views.push needs a trigger_id from an interaction within the open modal; "
            f"this one came from {where} (open stack: {shown})"
        ],
    )
