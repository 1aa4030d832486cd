"""Mentor offers through the real app and the fake Slack: browse, offer, accept or decline."""

from __future__ import annotations

from sqlalchemy import select

from blocks.ids import Action, Field
from mentoring.core.wording import DEFAULT_WORDS
from mentoring.requests.answers import offer_decline_reasons
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Relationship, Request
from tests.scenario.harness import Harness, texts
from tests.scenario.test_admin_matching import buttons, configure
from tests.scenario.test_journey import enroll_cast

OFFER = "Hi Erin! I moved into management two years ago and would love to help you do the same."


def send_offer(slack: Harness) -> dict[str, object]:
    """Maya browses mentees still looking and offers to mentor Erin; returns Erin's card."""
    slack.command("UMAYA", "/find-mentor", "mentees")
    browse = slack.modal("UMAYA")
    shown = texts(browse)
    assert browse["callback_id"] == "offers" and "Erin Walsh" in shown
    assert "Wants to learn: management" in shown and "% match" in shown
    assert ("Offer to be their mentor", "UERIN") in buttons(browse, Action.OFFER_MENTEE)
    slack.click("UMAYA", Action.OFFER_MENTEE, value="UERIN", view=browse)
    form = slack.modal("UMAYA")
    assert form["callback_id"] == "offer" and "Erin Walsh" in texts(form)
    short = slack.submit("UMAYA", form, {Field.MESSAGE: "Hi!"})
    assert "Please write at least 20 characters" in short["errors"][Field.MESSAGE]
    answer = slack.submit("UMAYA", form, {Field.MESSAGE: OFFER})
    assert answer["response_action"] == "update"
    assert "Your offer is on its way to *Erin Walsh*" in texts(slack.modal("UMAYA"))
    card = slack.dm("UERIN")[-1]
    assert card["text"] == "Maya Chen offers to be your mentor"
    assert "Maya Chen offers to be your mentor" in texts(card)
    assert "management two years ago" in texts(card)
    return card


def test_offer_sent_and_accepted_starts_the_relationship(slack: Harness) -> None:
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    home = slack.open_home("UMAYA")
    assert ("Offer to be someone's mentor", "") in buttons(home, Action.OPEN_OFFERS)
    card = send_offer(slack)
    assert "My offers" in texts(slack.open_home("UMAYA"))
    erin_home = texts(slack.open_home("UERIN"))
    assert "Maya Chen* (<@UMAYA>) offers to be your mentor" in erin_home

    slack.click("UERIN", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UERIN"))

    with slack.db.read() as s:
        offer = s.scalars(select(Request)).one()
        relationship = s.scalars(select(Relationship)).one()
    assert (offer.kind, offer.status) == (RequestKind.MENTOR_OFFER, RequestStatus.ACCEPTED)
    assert relationship.status is RelationshipStatus.ACTIVE
    assert relationship.conversation_id is not None
    intro = texts(slack.state.messages(relationship.conversation_id)[-1].to_api())
    assert "<@UMAYA>" in intro and "<@UERIN>" in intro
    told = texts(slack.dm("UMAYA")[-1])
    assert "Erin Walsh* accepted your offer!" in told and relationship.conversation_id in told
    assert "Accepted" in texts(slack.dm("UERIN")[0])  # the card, updated in place


def test_offer_declined_with_the_mentees_own_reasons(slack: Harness) -> None:
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    card = send_offer(slack)
    slack.click("UERIN", Action.DECLINE, message=card, channel=slack.state.dm_channel("UERIN"))
    form = slack.modal("UERIN")
    shown = texts(form)
    assert "Declining *Maya Chen*'s offer" in shown
    assert "I'm at my mentoring limit" not in shown
    reasons = offer_decline_reasons(DEFAULT_WORDS)
    assert "I'm not looking for a mentor right now" in reasons
    assert all(reason in shown for reason in reasons)
    assert Field.PAUSE_UNTIL not in [b.get("block_id") for b in form["blocks"]]
    slack.submit("UERIN", form, {Field.REASON: reasons[2], Field.NOTE: "Thank you though!"})
    told = texts(slack.dm("UMAYA")[-1])
    assert "Erin Walsh* declined your offer" in told
    assert "I already have someone in mind" in told and "Thank you though!" in told
    with slack.db.read() as s:
        assert s.scalars(select(Request.status)).one() is RequestStatus.DECLINED


def test_offers_switched_off_hide_the_buttons_and_refuse(slack: Harness) -> None:
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    slack.command("UMAYA", "/find-mentor", "mentees")
    browse = slack.modal("UMAYA")
    configure(slack, mentor_offers_enabled=False)

    assert buttons(slack.open_home("UMAYA"), Action.OPEN_OFFERS) == []
    slack.command("UMAYA", "/find-mentor", "mentees")
    assert slack.told("UMAYA") == ["Offers from mentors are turned off in this program."]
    # The browse opened before the setting changed: its button is refused too.
    slack.click("UMAYA", Action.OFFER_MENTEE, value="UERIN", view=browse)
    refusal = slack.modal("UMAYA")
    assert refusal["callback_id"] == "notice"
    assert "Offers from mentors are turned off" in texts(refusal)
    with slack.db.read() as s:
        assert s.scalars(select(Request)).all() == []


def test_browse_filters_by_area_in_place(slack: Harness) -> None:
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    slack.command("UMAYA", "/find-mentor", "mentees")
    browse = slack.modal("UMAYA")
    slack.send(
        slack.inbound.block_actions(
            "UMAYA",
            [
                {
                    "action_id": Action.OFFERS_FILTER,
                    "block_id": Field.FUNCTIONAL_AREA,
                    "selected": "Sales",
                }
            ],
            view=slack.state.views_for("UMAYA")[-1],
        )
    )
    filtered = slack.modal("UMAYA")
    assert filtered["id"] == browse["id"]
    assert "Erin Walsh" not in texts(filtered) and "No mentees are looking" in texts(filtered)
    # Filter (for clients that submit instead) shows every area again with "Any".
    answer = slack.submit("UMAYA", filtered, {Field.FUNCTIONAL_AREA: {Action.OFFERS_FILTER: "*"}})
    assert answer["response_action"] == "update"
    assert "Erin Walsh" in texts(answer["view"])
