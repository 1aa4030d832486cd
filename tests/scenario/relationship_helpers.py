"""A matched pair in the real app, and the sweep and delivery run as the scheduler runs them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from blocks.ids import Action
from store.models import Relationship
from tests.scenario.harness import Harness
from tests.scenario.test_journey import enroll_cast, request_maya


def matched_pair(slack: Harness) -> Relationship:
    """Maya mentors Erin: enrolled, requested and accepted through the app."""
    enroll_cast(slack)
    request_maya(slack)
    card = slack.dm("UMAYA")[-1]
    slack.click("UMAYA", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UMAYA"))
    with slack.db.read() as s:
        relationship = s.scalars(select(Relationship)).one()
        s.expunge(relationship)
    return relationship


def group_dm(slack: Harness, relationship: Relationship) -> list[dict[str, Any]]:
    """The messages of the pair's group DM, oldest first."""
    with slack.db.read() as s:
        conversation = s.get(Relationship, relationship.id).conversation_id  # type: ignore[union-attr]
    assert conversation is not None
    return [m.to_api() for m in slack.state.messages(conversation)]


def action_ids(message: dict[str, Any]) -> list[str]:
    """The action_ids of every interactive element of a message (buttons of sections too)."""
    found: list[str] = []
    for block in message.get("blocks", []):
        if block["type"] == "actions":
            found += [e["action_id"] for e in block["elements"]]
        elif block.get("accessory", {}).get("action_id"):
            found.append(block["accessory"]["action_id"])
    return found
