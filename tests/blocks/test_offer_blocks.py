"""Offers in their own words: the admin's close form and rows, the mentee's card, the notices."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from blocks.offers import mentees_modal, no_room_words, offer_cancelled_notice, offer_closed_notice
from blocks.reports.dashboard import DashboardState, close_modal, closed_note, row_blocks
from blocks.reports.digest import escalation_notice
from blocks.requests.cards import RequestCard, outcome_words, request_card
from mentoring.reports.dashboard import PipelineRow
from mentoring.reports.digest import PendingLine
from store.enums import RequestKind, RequestStatus
from tests.blocks.test_admin_blocks import WORDS, mrkdwn, row
from tests.blocks.test_requests_blocks import MENTEE, MENTOR, request
from tests.conftest import NOW, TEAM

# MENTEE is "Eve <!here>", MENTOR is "Max"; the program says "buddy" and "learner".
EVE = "Eve &lt;!here&gt;"


def offer_row() -> PipelineRow:
    base = row()
    return replace(base, request=replace(base.request, kind=RequestKind.MENTOR_OFFER))


def test_an_offer_row_and_close_form_go_from_the_mentor_to_the_mentee() -> None:
    offer = offer_row()
    shown = mrkdwn([b.to_dict() for b in row_blocks(offer, now=NOW, words=WORDS)])
    assert f"*Max* → *{EVE}* · _offer from the buddy_" in shown

    form = close_modal(offer, state=DashboardState(), words=WORDS).to_dict()
    said = mrkdwn(form["blocks"])
    assert form["title"]["text"] == "Close offer" and form["submit"]["text"] == "Close offer"
    assert f"Close the offer from *Max* to *{EVE}*?" in said
    label = next(b for b in form["blocks"] if b["type"] == "input")["label"]["text"]
    assert label == "Reason (the buddy and the learner read it)"
    assert "The slot the buddy promised is free again." in said
    assert "request" not in said.lower()
    assert closed_note(offer, WORDS) == (
        f":lock: Closed the offer from *Max* to *{EVE}*. Both were told, with your reason."
    )

    # A mentee's request reads the other way, as before.
    plain = close_modal(row(), state=DashboardState(), words=WORDS).to_dict()
    assert f"Close the request from *{EVE}* to *Max*?" in mrkdwn(plain["blocks"])
    assert plain["title"]["text"] == "Close request"


def test_an_escalation_names_the_mentor_first_for_an_offer() -> None:
    waiting = PendingLine(replace(request(), kind=RequestKind.MENTOR_OFFER), MENTEE, MENTOR)
    asked = PendingLine(request(), MENTEE, MENTOR)
    _, blocks = escalation_notice((waiting, asked), 2, now=NOW)
    lines = mrkdwn(blocks)
    assert f"• Max → {EVE} (offer) · waiting" in lines
    assert f"• {EVE} → Max · waiting" in lines


def test_the_mentees_card_says_how_an_offer_ended() -> None:
    def card_line(status: RequestStatus, outcome: str | None = None, **kw: Any) -> str:
        req = replace(request(status), kind=RequestKind.MENTOR_OFFER, **kw)
        blocks = request_card(
            RequestCard(req, MENTEE, MENTOR), team_id=TEAM, now=NOW, words=WORDS, outcome=outcome
        )
        assert not [b for b in blocks if b.to_dict()["type"] == "actions"]
        return mrkdwn([b.to_dict() for b in blocks]).splitlines()[-1]

    closed = card_line(RequestStatus.CLOSED_BY_ADMIN, close_reason="Max is on leave <!here>")
    assert closed == ":lock: Withdrawn by a program admin: Max is on leave &lt;!here&gt;"
    assert card_line(RequestStatus.CANCELLED) == ":lock: Closed now that you have a buddy"
    full = card_line(RequestStatus.CANCELLED, no_room_words(MENTOR, WORDS))
    assert full == ":lock: Withdrawn: Max has no open slot for a new learner any more"
    gone = no_room_words(replace(MENTOR, is_mentor=False), WORDS)
    assert gone == "Withdrawn: Max is no longer a buddy in this program"
    # A mentee's request keeps the mentor's words.
    assert outcome_words(request(RequestStatus.CLOSED_BY_ADMIN), WORDS) == (
        "Closed by a program admin"
    )


def test_the_mentor_hears_why_an_offer_was_closed_or_withdrawn() -> None:
    req = replace(
        request(RequestStatus.CLOSED_BY_ADMIN),
        kind=RequestKind.MENTOR_OFFER,
        close_reason="Eve found a buddy <!channel>",
    )
    text, blocks = offer_closed_notice(req, MENTEE, WORDS)
    said = mrkdwn([b.to_dict() for b in blocks])
    assert text == "Your offer to Eve <!here> was closed by a program admin."
    assert f":lock: Your offer to *{EVE}* was closed by a program admin." in said
    assert "*Reason:* Eve found a buddy &lt;!channel&gt;" in said
    assert "other learners still looking" in said and "look for another" not in said

    text, blocks = offer_cancelled_notice(MENTEE, MENTOR, WORDS)
    said = mrkdwn([b.to_dict() for b in blocks])
    assert text == "Your offer to Eve <!here> was withdrawn: your slots are all taken."
    assert f"Your offer to *{EVE}* was withdrawn: every learner slot you have is taken" in said
    text, blocks = offer_cancelled_notice(MENTEE, replace(MENTOR, is_mentor=False), WORDS)
    assert "because you're no longer a buddy in this program" in mrkdwn(
        [b.to_dict() for b in blocks]
    )


def test_the_browse_opens_with_the_filter_and_a_finding_line() -> None:
    view = mentees_modal(
        page=None, functional_areas=("Sales",), area="Sales", words=WORDS
    ).to_dict()
    said = mrkdwn(view["blocks"])
    assert "Finding the learners still looking for a buddy" in said
    assert "Offer to be" not in said
    assert view["private_metadata"] == '{"page": 1, "area": "Sales"}'
    select = view["blocks"][0]["element"]
    assert select["initial_option"]["value"] == "Sales"
