"""Request cards and modals: escaping, live buttons only while pending, Slack's limits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from blocks.ids import Action
from blocks.requests.cards import RequestCard, decline_modal, request_card, request_modal
from mentoring.core.views import MemberView, RequestView
from mentoring.core.wording import Words
from store.enums import RequestKind, RequestStatus
from tests.conftest import NOW, TEAM

WORDS = Words()


def member(id_: int, user: str, name: str, **kw: object) -> MemberView:
    base = MemberView(
        id=id_,
        team_id=TEAM,
        slack_user_id=user,
        display_name=name,
        tz="UTC",
        is_mentor=False,
        is_mentee=False,
        title="",
        functional_area=None,
        expertise=(),
        interests=(),
        goals="",
        location=None,
        languages=(),
        gender=None,
        bio="",
        mentor_capacity=3,
        paused_until=None,
        enrolled_at=NOW,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


MENTEE = member(1, "UE", "Eve <!here>", is_mentee=True, interests=("python",), goals="Grow & lead")
MENTOR = member(2, "UM", "Max", is_mentor=True, expertise=("python",))


def request(status: RequestStatus = RequestStatus.PENDING) -> RequestView:
    return RequestView(
        id=7,
        team_id=TEAM,
        kind=RequestKind.MENTEE_REQUEST,
        status=status,
        mentee_id=1,
        mentor_id=2,
        message="Hi <!channel> & <@U123>, please help",
        created_at=NOW,
        answered_at=None,
        decline_reason="Other" if status is RequestStatus.DECLINED else None,
        decline_note=None,
        close_reason=None,
        reminder_count=0,
        last_reminded_at=None,
        slack_channel=None,
        slack_ts=None,
    )


def rendered(blocks: list) -> str:
    return json.dumps([b.to_dict() for b in blocks])  # to_dict validates Slack's limits


def mrkdwn(blocks: list) -> str:
    """All mrkdwn text in the blocks (plain_text never pings anyone, so it is left out)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk([b.to_dict() for b in blocks])
    return "\n".join(found)


def action_ids(blocks: list) -> list[str]:
    return [
        e["action_id"]
        for b in (x.to_dict() for x in blocks)
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def test_card_escapes_user_text_and_offers_answers_while_pending() -> None:
    card = RequestCard(request(), MENTEE, MENTOR, reasons=("same area",), score=80)
    blocks = request_card(card, team_id=TEAM, now=NOW + timedelta(days=2), words=WORDS)
    text = mrkdwn(blocks)
    assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text
    assert "&lt;!channel&gt;" in text and "Grow &amp; lead" in text
    assert action_ids(blocks) == [
        Action.ACCEPT,
        Action.DECLINE,
        Action.VIEW_PROFILE,
        Action.MESSAGE_MENTOR,
    ]
    assert "Sent 2 days ago" in text and "80% match" in text


def test_answered_card_has_no_live_buttons_and_says_what_happened() -> None:
    card = RequestCard(request(RequestStatus.DECLINED), MENTEE, MENTOR)
    blocks = request_card(card, team_id=TEAM, now=NOW, words=WORDS)
    assert action_ids(blocks) == []
    assert "Declined: Other" in rendered(blocks)


def test_request_modal_carries_only_the_mentor_id_and_length_rules() -> None:
    view = request_modal(
        mentor=MENTOR, min_length=20, max_length=2000, words=Words("guide", "explorer")
    ).to_dict()
    assert json.loads(view["private_metadata"]) == {"mentor": "UM"}
    element = view["blocks"][-1]["element"]
    assert (element["min_length"], element["max_length"]) == (20, 2000)
    assert "be your guide" in json.dumps(view)


def test_decline_modal_offers_pause_to_mentors_only() -> None:
    reasons = ("Busy", "Other")
    for is_mentor, expected in ((True, 4), (False, 3)):
        view = decline_modal(
            request_id=7, mentee=MENTEE, reasons=reasons, is_mentor=is_mentor, words=WORDS
        ).to_dict()
        assert len(view["blocks"]) == expected
        assert "&lt;!here&gt;" in view["blocks"][0]["text"]["text"]
