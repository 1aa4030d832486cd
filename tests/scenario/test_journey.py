"""The mentee and mentor journeys, through the real app over signed HTTP and the fake Slack."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from blocks.ids import Action, Field
from store.enums import RelationshipStatus, RequestStatus
from store.models import Relationship, Request
from tests.scenario.harness import Harness, texts

MESSAGE = "Hi Maya! I'd love help moving into engineering management this year."


def enroll(slack: Harness, user: str, values: dict[str, Any]) -> dict[str, Any]:
    slack.command(user, "/find-mentor", "profile")
    modal = slack.modal(user)
    return slack.submit(user, modal, values)


def enroll_cast(slack: Harness) -> None:
    enroll(
        slack,
        "UMAYA",
        {
            Field.ROLES: ["mentor"],
            Field.FUNCTIONAL_AREA: "Engineering",
            Field.EXPERTISE: ["leadership", "management"],
            Field.TITLE: "Director",
        },
    )
    enroll(
        slack,
        "UOMAR",
        {
            Field.ROLES: ["mentor"],
            Field.FUNCTIONAL_AREA: "Data",
            Field.EXPERTISE: ["data", "python"],
        },
    )
    enroll(
        slack,
        "UERIN",
        {
            Field.ROLES: ["mentee"],
            Field.FUNCTIONAL_AREA: "Engineering",
            Field.INTERESTS: ["management"],
        },
    )


def test_enroll_search_request_accept_group_dm(slack: Harness) -> None:
    answer = enroll(
        slack,
        "UERIN",
        {
            Field.ROLES: ["mentee"],
            Field.FUNCTIONAL_AREA: "Engineering",
            Field.INTERESTS: ["management"],
        },
    )
    assert answer["response_action"] == "update"
    enroll_cast(slack)

    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    shown = texts(search)
    assert "Maya Chen" in shown and "Omar Haddad" in shown
    assert shown.index("Maya Chen") < shown.index("Omar Haddad")  # better match first
    assert "3 of 3 slots open" in shown

    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=search)
    request_modal = slack.modal("UERIN")
    assert "Maya Chen" in texts(request_modal)
    answer = slack.submit("UERIN", request_modal, {Field.MESSAGE: MESSAGE})
    assert answer["response_action"] == "update"
    assert "on its way" in texts(slack.modal("UERIN"))

    card = slack.dm("UMAYA")[-1]
    assert "Erin Walsh" in texts(card) and MESSAGE.replace("'", "'") in texts(card)
    slack.click("UMAYA", Action.ACCEPT, message=card, channel=card_channel(slack, "UMAYA"))

    with slack.db.read() as s:
        request = s.scalars(select(Request)).one()
        relationship = s.scalars(select(Relationship)).one()
    assert request.status is RequestStatus.ACCEPTED
    assert relationship.status is RelationshipStatus.ACTIVE
    assert relationship.conversation_id is not None
    intro = slack.state.messages(relationship.conversation_id)[-1].to_api()
    assert "<@UMAYA>" in texts(intro) and "<@UERIN>" in texts(intro)
    updated_card = slack.dm("UMAYA")[0]
    assert "Accepted" in texts(updated_card)
    assert not [b for b in updated_card["blocks"] if b["type"] == "actions"]
    mentee_dm = texts(slack.dm("UERIN")[-1])
    assert "accepted your request" in mentee_dm and relationship.conversation_id in mentee_dm


def card_channel(slack: Harness, user: str) -> str:
    return slack.state.dm_channel(user)
