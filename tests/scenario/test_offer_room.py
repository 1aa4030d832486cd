"""Offers through the real app: a promised slot taken elsewhere, an admin closing an offer, and
the offer form refused before a message is typed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from blocks.ids import Action, Field
from store.enums import RequestKind, RequestStatus
from store.models import Relationship, Request
from tests.scenario.admin_helpers import dashboard_ids
from tests.scenario.harness import Harness, texts
from tests.scenario.test_admin_matching import configure
from tests.scenario.test_journey import enroll, enroll_cast, request_maya
from tests.scenario.test_offers import OFFER, send_offer
from tests.snapshot import snapshot


def live_buttons(message: dict[str, Any]) -> list[str]:
    return [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


def offer_status(slack: Harness) -> RequestStatus:
    with slack.db.read() as s:
        return s.scalars(
            select(Request.status).where(Request.kind == RequestKind.MENTOR_OFFER)
        ).one()


def program(slack: Harness, maya_takes: int = 3) -> None:
    """The cast with offers on, Finn looking too, and Maya taking ``maya_takes`` mentees."""
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    enroll(
        slack,
        "UFINN",
        {
            Field.ROLES: ["mentee"],
            Field.FUNCTIONAL_AREA: "Engineering",
            Field.INTERESTS: ["leadership"],
        },
    )
    answer = enroll(slack, "UMAYA", {Field.CAPACITY: str(maya_takes)})
    assert answer["response_action"] == "update"


def test_a_request_taking_the_promised_slot_withdraws_the_offer_from_both(slack: Harness) -> None:
    program(slack, maya_takes=1)
    card = send_offer(slack)  # Maya's only slot, promised to Erin
    request_maya(slack, "UFINN")  # Finn may still ask her: Maya chooses
    asked = slack.dm("UMAYA")[-1]
    slack.click("UMAYA", Action.ACCEPT, message=asked, channel=slack.state.dm_channel("UMAYA"))

    # Erin's card changed in place: no Accept that would fail, and why.
    [erin] = slack.dm("UERIN")
    assert "Withdrawn: Maya Chen has no open slot for a new mentee any more" in texts(erin)
    assert live_buttons(erin) == []
    told = [texts(m) for m in slack.dm("UMAYA")]
    assert any(
        "Your offer to *Erin Walsh* was withdrawn: every mentee slot you have is taken now" in t
        for t in told
    )
    assert offer_status(slack) is RequestStatus.CANCELLED
    assert "offers to be your mentor" not in texts(slack.open_home("UERIN"))

    # A click on the card as it was before is answered plainly, and changes nothing.
    before = snapshot(slack.db)
    slack.click("UERIN", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UERIN"))
    assert slack.told("UERIN") == ["This offer was already cancelled."]
    assert snapshot(slack.db) == before
    with slack.db.read() as s:
        [pair] = s.scalars(select(Relationship)).all()
    assert pair.status == "active"


def test_an_admin_closing_an_offer_tells_each_side_in_an_offers_words(slack: Harness) -> None:
    program(slack)
    card = send_offer(slack)
    slack.command("UADMIN", "/mentor-admin")
    dashboard = slack.modal("UADMIN")
    assert "*Maya Chen* → *Erin Walsh* · _offer from the mentor_" in texts(dashboard)
    [offer_id] = dashboard_ids(dashboard)

    slack.click("UADMIN", Action.ADMIN_CLOSE, value=str(offer_id), view=dashboard)
    form = slack.modal("UADMIN")
    shown = texts(form)
    assert "Close the offer from *Maya Chen* to *Erin Walsh*?" in shown
    assert "Reason (the mentor and the mentee read it)" in shown
    assert "The slot the mentor promised is free again." in shown
    assert "request" not in shown.lower()
    slack.submit("UADMIN", form, {Field.REASON: "Maya is going on leave <!here>."})
    assert "Closed the offer from *Maya Chen* to *Erin Walsh*" in texts(slack.modal("UADMIN"))

    maya = slack.dm("UMAYA")[-1]
    assert maya["text"] == "Your offer to Erin Walsh was closed by a program admin."
    said = texts(maya)
    assert "*Reason:* Maya is going on leave &lt;!here&gt;." in said
    assert "look for another mentor" not in said and "`/find-mentor mentees`" in said
    [erin] = slack.dm("UERIN")
    assert "Withdrawn by a program admin: Maya is going on leave &lt;!here&gt;." in texts(erin)
    assert live_buttons(erin) == []
    assert offer_status(slack) is RequestStatus.CLOSED_BY_ADMIN

    slack.click("UERIN", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UERIN"))
    assert slack.told("UERIN") == ["This offer was already withdrawn by a program admin."]


def test_the_offer_form_is_refused_before_a_message_is_typed(slack: Harness) -> None:
    program(slack, maya_takes=1)
    slack.command("UMAYA", "/find-mentor", "mentees")
    browse = slack.modal("UMAYA")  # Erin and Finn, each with an Offer button
    forms = len(slack.calls("views.push"))

    # An offer sent from this very browse promises Maya's only slot...
    slack.click("UMAYA", Action.OFFER_MENTEE, value="UFINN", view=browse)
    slack.submit("UMAYA", slack.modal("UMAYA"), {Field.MESSAGE: OFFER})
    # ...so the button still shown for Erin says so at once, instead of opening the form.
    slack.click("UMAYA", Action.OFFER_MENTEE, value="UERIN", view=browse)
    refusal = slack.modal("UMAYA")
    assert refusal["callback_id"] == "notice"
    assert "every slot is taken or promised" in texts(refusal)
    # Omar's browse is as old: Erin found a mentor in the meantime.
    slack.command("UOMAR", "/find-mentor", "mentees")
    omars = slack.modal("UOMAR")
    enroll(slack, "UMAYA", {Field.CAPACITY: "2"})
    request_maya(slack)
    asked = slack.dm("UMAYA")[-1]
    slack.click("UMAYA", Action.ACCEPT, message=asked, channel=slack.state.dm_channel("UMAYA"))
    slack.click("UOMAR", Action.OFFER_MENTEE, value="UERIN", view=omars)
    assert "Erin Walsh already has a mentor." in texts(slack.modal("UOMAR"))

    pushed = [c.params["view"]["callback_id"] for c in slack.calls("views.push")[forms:]]
    assert pushed.count("offer") == 1, pushed  # only the form for Finn ever opened
    with slack.db.read() as s:
        assert (
            len(s.scalars(select(Request).where(Request.kind == RequestKind.MENTOR_OFFER)).all())
            == 1
        )
