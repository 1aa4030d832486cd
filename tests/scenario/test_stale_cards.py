"""No live button outlives its ask: every kind, every way an ask ends, through the real app.

Each case sets an ask up the way members and admins do (so its answerer holds a card and a
reminder, or the admins a notice), ends it by one path (a click, a submission, the sweep, an
admin, someone leaving Slack), then scans every message in the fake Slack and every Home tab
for a button that still acts on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from blocks.ids import Action, Field
from mentoring.core.wording import DEFAULT_WORDS
from mentoring.meetings.rules import meeting_decline_reasons
from store.enums import RequestKind, RequestStatus
from store.models import MeetingRequest, Member, Request
from tests.scenario.admin_helpers import dashboard_ids
from tests.scenario.harness import Harness, texts
from tests.scenario.test_admin_matching import configure, enroll_priya, submit_preferences
from tests.scenario.test_admin_meetings import meetings_dashboard
from tests.scenario.test_admin_queue import erin_chooses_omar_then_priya
from tests.scenario.test_journey import enroll, enroll_cast, request_maya
from tests.scenario.test_meetings import UTC_TIMES, cast, request_meeting
from tests.scenario.test_offers import send_offer
from tests.scenario.test_people_come_and_go import user_event
from tests.scenario.test_reminders import tick

# The buttons that act on an ask of each kind, whose value names it ("7", or "7:1" for a time).
ACTING = {
    "request": {Action.ACCEPT, Action.DECLINE, Action.WITHDRAW},
    "offer": {Action.ACCEPT, Action.DECLINE, Action.WITHDRAW},
    "meeting": {Action.MEETING_ACCEPT, Action.MEETING_DECLINE, Action.MEETING_WITHDRAW},
    "preference": {
        Action.ASSIGN,
        Action.CLOSE_SUBMISSION,
        Action.WITHDRAW_PREFERENCES,
        Action.OPEN_QUEUE,
    },
}


def _elements(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        yield from block.get("elements", [])
        if block.get("accessory"):
            yield block["accessory"]


def live_buttons(slack: Harness, kind: str, ids: set[int]) -> list[tuple[str, str, str]]:
    """(where, action_id, value) of every button in a message or Home tab acting on ``ids``."""
    wanted = {str(i) for i in ids}
    found: list[tuple[str, str, str]] = []

    def scan(where: str, blocks: list[dict[str, Any]]) -> None:
        for element in _elements(blocks):
            value = str(element.get("value") or "")
            if element.get("action_id") in ACTING[kind] and value.split(":")[0] in wanted:
                found.append((where, element["action_id"], value))

    channels = {c.id for u in slack.state.users() for c in slack.state.conversations_of(u.id)}
    for channel in sorted(channels):
        for message in slack.state.messages(channel):
            scan(f"message {channel}/{message.ts}", message.blocks)
    for user in slack.state.users():
        home = slack.state.home(user.id)
        if home is not None:
            scan(f"home of {user.id}", home.to_api().get("blocks", []))
    return found


@dataclass
class Ask:
    kind: str
    ids: set[int]  # the ask's id (a submission: every preference's)
    answerer: str | None  # who holds its card and reminder (None: a submission)


# --- setting each kind up, with a card and a reminder -----------------------------------------


def remind_from_dashboard(slack: Harness, request_id: int) -> None:
    slack.command("UADMIN", "/mentor-admin")
    dashboard = slack.modal("UADMIN")
    assert request_id in dashboard_ids(dashboard)
    slack.click("UADMIN", Action.ADMIN_REMIND, value=str(request_id), view=dashboard)
    slack.state.close_modals("UADMIN")


def only_request(slack: Harness, kind: RequestKind) -> int:
    with slack.db.read() as s:
        return s.scalars(select(Request.id).where(Request.kind == kind)).one()


def a_request(slack: Harness) -> Ask:
    enroll_cast(slack)
    request_maya(slack)  # Erin asks Maya
    rid = only_request(slack, RequestKind.MENTEE_REQUEST)
    remind_from_dashboard(slack, rid)
    return Ask("request", {rid}, "UMAYA")


def an_offer(slack: Harness) -> Ask:
    enroll_cast(slack)
    configure(slack, mentor_offers_enabled=True)
    send_offer(slack)  # Maya offers to mentor Erin
    rid = only_request(slack, RequestKind.MENTOR_OFFER)
    tick(slack, days=3)  # the sweep's reminder, in Erin's working hours (New York)
    tick(slack, hours=12)
    return Ask("offer", {rid}, "UERIN")


def a_meeting(slack: Harness) -> Ask:
    cast(slack)
    request_meeting(slack)  # Finn asks Maya for a meeting
    with slack.db.read() as s:
        mid = s.scalars(select(MeetingRequest.id)).one()
    dashboard = meetings_dashboard(slack)
    slack.click("UADMIN", Action.ADMIN_MEETING_REMIND, value=str(mid), view=dashboard)
    slack.state.close_modals("UADMIN")
    return Ask("meeting", {mid}, "UMAYA")


def a_submission(slack: Harness) -> Ask:
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed", mentor_offers_enabled=True)
    submit_preferences(slack)  # Erin ranks Maya, Omar and Priya; the admins are told
    with slack.db.read() as s:
        ids = set(s.scalars(select(Request.id).where(Request.kind == RequestKind.ADMIN_ROUTED)))
    return Ask("preference", ids, None)


# --- ending them -------------------------------------------------------------------------------


def latest_card(slack: Harness, user: str, action_id: str) -> dict[str, Any]:
    return next(
        m
        for m in reversed(slack.dm(user))
        if any(e.get("action_id") == action_id for e in _elements(m.get("blocks", [])))
    )


def answer_on_card(
    action_id: str, values: dict[str, Any] | None = None
) -> Callable[[Harness, Ask], None]:
    def end(slack: Harness, ask: Ask) -> None:
        assert ask.answerer is not None
        card = latest_card(slack, ask.answerer, action_id)
        value = f"{min(ask.ids)}:0" if action_id == Action.MEETING_ACCEPT else None
        slack.click(
            ask.answerer,
            action_id,
            value=value,
            message=card,
            channel=slack.state.dm_channel(ask.answerer),
        )
        if values is not None:
            slack.submit(ask.answerer, slack.modal(ask.answerer), values)

    return end


def withdraw_from_home(user: str, action_id: str) -> Callable[[Harness, Ask], None]:
    def end(slack: Harness, ask: Ask) -> None:
        slack.click(user, action_id, view=slack.open_home(user))

    return end


def expire(slack: Harness, ask: Ask) -> None:
    if ask.kind == "meeting":
        slack.clock.now = max(UTC_TIMES) + timedelta(minutes=1)
        tick(slack, minutes=1)
    else:
        tick(slack, days=15)


def admin_closes(slack: Harness, ask: Ask) -> None:
    [ask_id] = ask.ids
    if ask.kind == "meeting":
        view = meetings_dashboard(slack)
        slack.click("UADMIN", Action.ADMIN_MEETING_CLOSE, value=str(ask_id), view=view)
    else:
        slack.command("UADMIN", "/mentor-admin")
        slack.click("UADMIN", Action.ADMIN_CLOSE, value=str(ask_id), view=slack.modal("UADMIN"))
    slack.submit("UADMIN", slack.modal("UADMIN"), {Field.REASON: "The program pauses in June."})


def queue_closes(slack: Harness, ask: Ask) -> None:
    slack.command("UADMIN", "/mentor-admin", "queue")
    queue = slack.modal("UADMIN")
    slack.click("UADMIN", Action.CLOSE_SUBMISSION, value=str(min(ask.ids)), view=queue)
    slack.submit("UADMIN", slack.modal("UADMIN"), {Field.REASON: "Nobody has room until June."})


def queue_assigns(slack: Harness, ask: Ask) -> None:
    slack.command("UADMIN", "/mentor-admin", "queue")
    queue = slack.modal("UADMIN")
    slack.click("UADMIN", Action.ASSIGN, value=str(max(ask.ids)), view=queue)


def leaves(user: str) -> Callable[[Harness, Ask], None]:
    def end(slack: Harness, ask: Ask) -> None:
        slack.send(user_event(slack, "user_change", user, deleted=True))

    return end


def mentee_finds_another_mentor(slack: Harness, ask: Ask) -> None:
    """Erin also asks Omar, who accepts: her other pending asks are cancelled."""
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UERIN"))
    slack.submit(
        "UERIN", slack.modal("UERIN"), {Field.MESSAGE: "I'd love your help with data work."}
    )
    card = latest_card(slack, "UOMAR", Action.ACCEPT)
    slack.click("UOMAR", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UOMAR"))


def a_submission_with_an_offer_waiting(slack: Harness) -> Ask:
    """Maya offered to mentor Erin, who then ranks Omar and Priya for the admins."""
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, mentor_offers_enabled=True)
    send_offer(slack)
    configure(slack, matching_mode="admin_routed")
    erin_chooses_omar_then_priya(slack)
    with slack.db.read() as s:
        ids = set(s.scalars(select(Request.id).where(Request.kind == RequestKind.ADMIN_ROUTED)))
    return Ask("preference", ids, None)


def mentee_accepts_an_offer(slack: Harness, ask: Ask) -> None:
    """Erin accepts Maya's offer: her preferences are closed."""
    card = latest_card(slack, "UERIN", Action.ACCEPT)
    slack.click("UERIN", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UERIN"))


def mentors_last_slot_fills(slack: Harness, ask: Ask) -> None:
    """Maya has one slot; Finn asks her and she accepts: her waiting offer has no room."""
    with slack.db.write() as s:
        s.execute(update(Member).where(Member.slack_user_id == "UMAYA").values(mentor_capacity=1))
    enroll(slack, "UFINN", {Field.ROLES: ["mentee"], Field.FUNCTIONAL_AREA: "Engineering"})
    request_maya(slack, mentee="UFINN")
    card = latest_card(slack, "UMAYA", Action.ACCEPT)
    slack.click("UMAYA", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UMAYA"))


DECLINE_REQUEST = {Field.REASON: "My expertise isn't the right fit"}
DECLINE_OFFER = {Field.REASON: "I already have someone in mind"}
DECLINE_MEETING = {Field.REASON: meeting_decline_reasons(DEFAULT_WORDS)[0]}

CASES: dict[str, tuple[Callable[[Harness], Ask], Callable[[Harness, Ask], None], RequestStatus]] = {
    "request-accepted": (a_request, answer_on_card(Action.ACCEPT), RequestStatus.ACCEPTED),
    "request-declined": (
        a_request,
        answer_on_card(Action.DECLINE, DECLINE_REQUEST),
        RequestStatus.DECLINED,
    ),
    "request-withdrawn": (
        a_request,
        withdraw_from_home("UERIN", Action.WITHDRAW),
        RequestStatus.WITHDRAWN,
    ),
    "request-expired": (a_request, expire, RequestStatus.EXPIRED),
    "request-closed-by-admin": (a_request, admin_closes, RequestStatus.CLOSED_BY_ADMIN),
    "request-cancelled-mentee-matched": (
        a_request,
        mentee_finds_another_mentor,
        RequestStatus.CANCELLED,
    ),
    "request-mentee-left": (a_request, leaves("UERIN"), RequestStatus.CANCELLED),
    "request-mentor-left": (a_request, leaves("UMAYA"), RequestStatus.CANCELLED),
    "offer-accepted": (an_offer, answer_on_card(Action.ACCEPT), RequestStatus.ACCEPTED),
    "offer-declined": (
        an_offer,
        answer_on_card(Action.DECLINE, DECLINE_OFFER),
        RequestStatus.DECLINED,
    ),
    "offer-withdrawn": (
        an_offer,
        withdraw_from_home("UMAYA", Action.WITHDRAW),
        RequestStatus.WITHDRAWN,
    ),
    "offer-expired": (an_offer, expire, RequestStatus.EXPIRED),
    "offer-closed-by-admin": (an_offer, admin_closes, RequestStatus.CLOSED_BY_ADMIN),
    "offer-cancelled-no-room": (an_offer, mentors_last_slot_fills, RequestStatus.CANCELLED),
    "offer-mentee-left": (an_offer, leaves("UERIN"), RequestStatus.CANCELLED),
    "offer-mentor-left": (an_offer, leaves("UMAYA"), RequestStatus.CANCELLED),
    "meeting-accepted": (a_meeting, answer_on_card(Action.MEETING_ACCEPT), RequestStatus.ACCEPTED),
    "meeting-declined": (
        a_meeting,
        answer_on_card(Action.MEETING_DECLINE, DECLINE_MEETING),
        RequestStatus.DECLINED,
    ),
    "meeting-withdrawn": (
        a_meeting,
        withdraw_from_home("UFINN", Action.MEETING_WITHDRAW),
        RequestStatus.WITHDRAWN,
    ),
    "meeting-expired": (a_meeting, expire, RequestStatus.EXPIRED),
    "meeting-closed-by-admin": (a_meeting, admin_closes, RequestStatus.CLOSED_BY_ADMIN),
    "meeting-mentee-left": (a_meeting, leaves("UFINN"), RequestStatus.CANCELLED),
    "meeting-mentor-left": (a_meeting, leaves("UMAYA"), RequestStatus.CANCELLED),
    "submission-assigned": (a_submission, queue_assigns, RequestStatus.ACCEPTED),
    "submission-closed-by-admin": (a_submission, queue_closes, RequestStatus.CLOSED_BY_ADMIN),
    "submission-withdrawn": (
        a_submission,
        withdraw_from_home("UERIN", Action.WITHDRAW_PREFERENCES),
        RequestStatus.WITHDRAWN,
    ),
    "submission-expired": (a_submission, expire, RequestStatus.EXPIRED),
    "submission-cancelled-mentee-matched": (
        a_submission_with_an_offer_waiting,
        mentee_accepts_an_offer,
        RequestStatus.CANCELLED,
    ),
    "submission-mentee-left": (a_submission, leaves("UERIN"), RequestStatus.CANCELLED),
    "submission-mentor-left": (a_submission, leaves("UMAYA"), RequestStatus.CANCELLED),
}


def statuses(slack: Harness, ask: Ask) -> set[RequestStatus]:
    model = MeetingRequest if ask.kind == "meeting" else Request
    with slack.db.read() as s:
        return set(s.scalars(select(model.status).where(model.id.in_(ask.ids))))


@pytest.mark.parametrize("case", list(CASES))
def test_no_live_button_acts_on_an_ask_once_it_has_ended(slack: Harness, case: str) -> None:
    set_up, end, status = CASES[case]
    ask = set_up(slack)
    before = live_buttons(slack, ask.kind, ask.ids)
    if ask.answerer is not None:  # its first card and a reminder, each with live buttons
        cards = {w for w, _, _ in before if w.startswith("message")}
        assert len(cards) >= 2, before
    else:  # each program admin's notice of the submission
        assert any(a == Action.OPEN_QUEUE for _, a, _ in before), before

    end(slack, ask)

    moved = statuses(slack, ask)
    assert status in moved and RequestStatus.PENDING not in moved, moved
    left = live_buttons(slack, ask.kind, ask.ids)
    assert left == [], left


def test_every_copy_says_how_the_request_ended(slack: Harness) -> None:
    ask = a_request(slack)
    expire(slack, ask)
    copies = slack.dm("UMAYA")[:2]  # the card and the reminder
    assert [m["text"] for m in copies] == [
        "Request from Erin Walsh: Closed automatically after waiting too long"
    ] * 2
    assert all("Closed automatically after waiting too long" in texts(m) for m in copies)


def test_a_departed_persons_accepted_meeting_ahead_is_cancelled_and_the_other_told(
    slack: Harness,
) -> None:
    ask = a_meeting(slack)
    answer_on_card(Action.MEETING_ACCEPT)(slack, ask)
    before = len(slack.dm("UMAYA"))
    event = user_event(slack, "user_change", "UFINN", deleted=True)
    slack.send(event)
    slack.send(slack.inbound.retry(event))

    assert statuses(slack, ask) == {RequestStatus.CANCELLED}
    told = [texts(m) for m in slack.dm("UMAYA")[before:]]
    gone = "Finn &lt;!channel&gt; Ito"
    assert told == [
        f"Your meeting with {gone} was closed: {gone} is no longer in this Slack workspace."
    ]
    card = slack.dm("UMAYA")[0]
    assert "Finn &lt;!channel&gt; Ito is no longer in this Slack workspace." in texts(card)
    tick(slack, days=2)  # the day-before reminder of the cancelled meeting never goes out
    assert len(slack.dm("UMAYA")) == before + 1
