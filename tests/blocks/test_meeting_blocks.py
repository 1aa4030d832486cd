"""Meeting and profile surfaces: times in the reader's zone, escaping, live buttons, limits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from blocks.ids import Action, Field
from blocks.meetings.forms import meeting_card, meeting_modal
from blocks.meetings.home import how_it_works
from blocks.meetings.notices import meeting_scheduled, meeting_tomorrow
from blocks.profiles import member_profile_modal
from fakeslack.blockkit import message_block_problems, view_problems
from mentoring.core.views import RelationshipView
from mentoring.core.wording import Words
from mentoring.meetings.views import MeetingView
from mentoring.profiles.page import ProfilePage, ProfileRelationship
from mentoring.program.settings import Resource
from store.enums import RelationshipStatus, RequestStatus
from tests.blocks.test_requests_blocks import member
from tests.conftest import NOW, TEAM

WORDS = Words("guide", "explorer")
MENTEE = member(1, "UE", "Eve <!here>", is_mentee=True, tz="Asia/Tokyo", interests=("python",))
MENTOR = member(2, "UM", "Max", is_mentor=True, tz="Europe/London", expertise=("python",))
TIMES = (
    datetime(2026, 3, 2, 8, 0, tzinfo=UTC),  # before NOW: passed
    datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
    datetime(2026, 3, 6, 9, 30, tzinfo=UTC),
)


def meeting(status: RequestStatus = RequestStatus.PENDING, **kw: Any) -> MeetingView:
    base = MeetingView(
        id=9,
        team_id=TEAM,
        mentee_id=1,
        mentor_id=2,
        topic="Promotions & <!channel>",
        message="Hi <@U123>, could we talk?",
        proposed_times=TIMES,
        duration_minutes=45,
        status=status,
        created_at=NOW - timedelta(hours=3),
        answered_at=None,
        meeting_at=None,
        decline_reason=None,
        decline_note=None,
        reminder_count=0,
        conversation_id=None,
        slack_channel=None,
        slack_ts=None,
    )
    return replace(base, **kw)


def dicts(blocks: list[Any]) -> list[dict[str, Any]]:
    return [b.to_dict() for b in blocks]


def mrkdwn(blocks: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict) and block[key]["type"] == "mrkdwn":
                out.append(block[key]["text"])
        out += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
        out += [f["text"] for f in block.get("fields", [])]
    return "\n".join(out)


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    found = []
    for block in blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                found.append((element["action_id"], element.get("value")))
    return found


def test_card_offers_a_button_per_time_still_ahead_in_the_readers_zone() -> None:
    blocks = dicts(
        meeting_card(meeting(), mentee=MENTEE, mentor=MENTOR, team_id=TEAM, now=NOW, words=WORDS)
    )
    assert message_block_problems(blocks) == []
    text = mrkdwn(blocks)
    assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text
    assert "Promotions &amp; &lt;!channel&gt;" in text and "45 minutes" in text
    stamp = int(TIMES[1].timestamp())
    assert f"<!date^{stamp}^{{date_long_pretty}} at {{time}}|Thu 5 Mar 2026, 10:00 GMT>" in text
    assert "Option 1:" in text and "(passed)" in text
    assert buttons(blocks) == [
        (Action.VIEW_PROFILE, "UE"),
        (Action.MEETING_ACCEPT, "9:1"),
        (Action.MEETING_ACCEPT, "9:2"),
        (Action.MEETING_DECLINE, "9"),
        (Action.MESSAGE_MENTOR, "UE"),
    ]


def test_answered_card_says_what_happened_without_live_buttons() -> None:
    accepted = meeting(RequestStatus.ACCEPTED, meeting_at=TIMES[2], conversation_id="G1")
    blocks = dicts(
        meeting_card(accepted, mentee=MENTEE, mentor=MENTOR, team_id=TEAM, now=NOW, words=WORDS)
    )
    text = mrkdwn(blocks)
    assert "Accepted: <!date^" in text and "<#G1>" in text
    assert buttons(blocks) == [(Action.VIEW_PROFILE, "UE")]
    declined = meeting(RequestStatus.DECLINED, decline_reason="Too busy <b>")
    text = mrkdwn(
        dicts(
            meeting_card(declined, mentee=MENTEE, mentor=MENTOR, team_id=TEAM, now=NOW, words=WORDS)
        )
    )
    assert "Declined: Too busy &lt;b&gt;" in text


def test_form_has_three_date_and_time_pairs_in_the_mentees_zone() -> None:
    view = meeting_modal(
        mentor=MENTOR, tz="Asia/Tokyo", min_length=20, max_length=2000, words=WORDS
    ).to_dict()
    assert view_problems(view) == []
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert not inputs[Field.SLOT_1_DATE]["optional"] and inputs[Field.SLOT_2_DATE]["optional"]
    assert inputs[Field.SLOT_3_TIME]["element"]["timezone"] == "Asia/Tokyo"
    assert inputs[Field.DURATION]["element"]["initial_option"]["value"] == "30"
    assert json.loads(view["private_metadata"]) == {"mentor": "UM"}
    assert "your guide" in json.dumps(view)


def test_group_dm_and_reminders_name_each_persons_local_time() -> None:
    accepted = meeting(RequestStatus.ACCEPTED, meeting_at=TIMES[1], conversation_id="G1")
    _text, blocks = meeting_scheduled(accepted, MENTOR, MENTEE, WORDS)
    text = mrkdwn(dicts(blocks))
    assert "10:00 GMT for Max" in text and "19:00 JST for Eve &lt;!here&gt;" in text
    assert "<@UM>" in text and "<@UE>" in text
    _text, blocks = meeting_tomorrow(accepted, MENTEE, MENTOR)
    text = mrkdwn(dicts(blocks))
    assert "Thu 5 Mar 2026, 19:00 JST" in text and "<#G1>" in text


def page(**kw: Any) -> ProfilePage:
    rel = RelationshipView(
        id=1,
        team_id=TEAM,
        mentor_id=2,
        mentee_id=1,
        request_id=None,
        status=RelationshipStatus.ACTIVE,
        started_at=NOW - timedelta(days=30),
        ended_at=None,
        end_reason=None,
        hidden_from_profile=False,
        conversation_id=None,
    )
    fields: dict[str, Any] = {
        "member": replace(MENTOR, bio="Builds <things>", languages=("English", "Spanish")),
        "open_slots": 2,
        "response_time": timedelta(days=2),
        "relationships": (ProfileRelationship(rel, MENTEE, True),),
        "can_request_meeting": True,
        "is_self": False,
    }
    fields.update(kw)
    return ProfilePage(**fields)


def test_profile_modal_shows_the_whole_profile() -> None:
    view = member_profile_modal(page(), now=NOW, words=WORDS, dm_url="slack://user").to_dict()
    assert view_problems(view) == []
    text = mrkdwn(view["blocks"])
    assert "Builds &lt;things&gt;" in text and "English, Spanish" in text
    assert "2 of 3" in text and "Within 2 days" in text
    assert "09:00 on Monday (Europe/London)" in text  # NOW is 09:00 UTC = 09:00 GMT
    assert "Guide of *Eve &lt;!here&gt;*" in text
    assert (Action.REQUEST_MEETING, "UM") in buttons(view["blocks"])
    own = member_profile_modal(
        page(is_self=True, can_request_meeting=False), now=NOW, words=WORDS, dm_url="slack://u"
    ).to_dict()
    assert [a for a, _v in buttons(own["blocks"])] == [Action.VIEW_PROFILE]


def test_how_it_works_lists_resources_and_a_tip_per_role() -> None:
    resources = (Resource(title="Guide <!here>", url="https://example.org/g", description="How"),)
    blocks = dicts(how_it_works(resources, MENTEE, WORDS))
    text = mrkdwn(blocks)
    assert "Guide &lt;!here&gt;" in text and "While you wait for an answer" in text
    assert "guides" in text and "While you wait for requests" not in text
    assert how_it_works((), None, WORDS) == []
    assert "read the guides" not in mrkdwn(dicts(how_it_works((), MENTEE, WORDS)))
