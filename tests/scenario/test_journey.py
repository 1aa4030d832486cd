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


def request_maya(slack: Harness, mentee: str = "UERIN", message: str = MESSAGE) -> None:
    slack.command(mentee, "/find-mentor")
    slack.click(mentee, Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal(mentee))
    slack.submit(mentee, slack.modal(mentee), {Field.MESSAGE: message})


def test_decline_with_reason_tells_the_mentee_and_offers_alternatives(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    card = slack.dm("UMAYA")[-1]
    slack.click("UMAYA", Action.DECLINE, message=card, channel=slack.state.dm_channel("UMAYA"))
    decline = slack.modal("UMAYA")
    assert "Erin Walsh" in texts(decline)
    answer = slack.submit(
        "UMAYA",
        decline,
        {Field.REASON: "My expertise isn't the right fit", Field.NOTE: "Try <!here> Omar!"},
    )
    assert answer["response_action"] == "update"
    with slack.db.read() as s:
        request = s.scalars(select(Request)).one()
    assert (request.status, request.decline_reason) == (
        RequestStatus.DECLINED,
        "My expertise isn't the right fit",
    )
    notice = slack.dm("UERIN")[-1]
    shown = texts(notice)
    assert "My expertise isn't the right fit" in shown
    assert "&lt;!here&gt;" in shown and "<!here>" not in shown
    assert "Omar Haddad" in shown  # an alternative to request
    find_action_ids = [
        e["value"]
        for b in notice["blocks"]
        if b.get("accessory")
        for e in [b["accessory"]]
        if e["action_id"] == Action.REQUEST_MENTOR
    ]
    assert "UOMAR" in find_action_ids and "UMAYA" not in find_action_ids
    assert "Declined" in texts(slack.dm("UMAYA")[0])


def test_request_rules_show_inline_and_change_nothing(slack: Harness) -> None:
    enroll_cast(slack)
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))
    modal = slack.modal("UERIN")
    answer = slack.submit("UERIN", modal, {Field.MESSAGE: "too short"})
    assert answer["response_action"] == "errors"
    assert "at least 20 characters" in answer["errors"][Field.MESSAGE]
    request_maya(slack)
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))
    answer = slack.submit("UERIN", slack.modal("UERIN"), {Field.MESSAGE: MESSAGE})
    assert "already have a pending request" in answer["errors"][Field.MESSAGE]
    with slack.db.read() as s:
        assert len(s.scalars(select(Request)).all()) == 1


def test_stranger_double_click_and_retry_change_nothing(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    card = slack.dm("UMAYA")[-1]
    channel = slack.state.dm_channel("UMAYA")
    slack.click("USTRANGER", Action.ACCEPT, message=card, channel=channel)
    assert slack.told("USTRANGER") == ["Only the person this request was sent to can answer it."]
    click = slack.inbound.block_actions(
        "UMAYA",
        [{"action_id": Action.ACCEPT, "value": card["blocks"][-1]["elements"][0]["value"]}],
        message=card,
        channel=channel,
    )
    slack.send(click)
    slack.send(slack.inbound.retry(click))  # Slack retrying the same click
    slack.click("UMAYA", Action.ACCEPT, message=card, channel=channel)  # a double click
    with slack.db.read() as s:
        assert len(s.scalars(select(Relationship)).all()) == 1
    assert slack.told("UMAYA") == ["This request was already accepted."] * 2
    assert len(slack.calls("conversations.open")) == 1


def test_withdraw_updates_the_mentor_card(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    home = slack.open_home("UERIN")
    assert "Maya Chen" in texts(home) and "waiting" in texts(home)
    slack.click("UERIN", Action.WITHDRAW, view=home)
    with slack.db.read() as s:
        assert s.scalars(select(Request)).one().status is RequestStatus.WITHDRAWN
    card = slack.dm("UMAYA")[0]
    assert "Withdrawn" in texts(card)
    assert not [b for b in card["blocks"] if b["type"] == "actions"]
    assert "withdrawn" in texts(slack.home("UERIN"))


def test_forged_and_stale_signatures_are_refused(slack: Harness) -> None:
    enroll_cast(slack)
    request = slack.inbound.command("UERIN", "/find-mentor")
    slack.state.reset_calls()
    assert slack.send(slack.inbound.forged(request))[0] == 401
    assert slack.send(slack.inbound.stale(request))[0] == 401
    assert slack.calls("views.open") == []


def test_unenrolled_person_is_taken_to_enrollment_first(slack: Harness) -> None:
    slack.command("USTRANGER", "/find-mentor", "python")
    assert slack.modal("USTRANGER")["callback_id"] == "profile"
    home = slack.open_home("USTRANGER")
    assert "Join the program" in texts(home)


def test_changing_a_filter_updates_the_search_in_place(slack: Harness) -> None:
    enroll_cast(slack)
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    slack.send(
        slack.inbound.block_actions(
            "UERIN",
            [
                {
                    "action_id": Action.SEARCH_FILTER,
                    "block_id": Field.FUNCTIONAL_AREA,
                    "selected": "Data",
                }
            ],
            view=slack.state.views_for("UERIN")[-1],
            values={Field.FUNCTIONAL_AREA: {Action.SEARCH_FILTER: "Data"}},
        )
    )
    updated = slack.modal("UERIN")
    assert updated["id"] == search["id"]
    assert "Omar Haddad" in texts(updated) and "Maya Chen" not in texts(updated)
    slack.send(
        slack.inbound.block_actions(
            "UERIN",
            [{"action_id": Action.SEARCH_FILTER, "block_id": Field.KEYWORDS}],
            view=slack.state.views_for("UERIN")[-1],
            values={
                Field.KEYWORDS: {Action.SEARCH_FILTER: "astronaut"},
                Field.FUNCTIONAL_AREA: {Action.SEARCH_FILTER: "Data"},
            },
        )
    )
    assert "try fewer filters" in texts(slack.modal("UERIN")).lower()


def test_home_for_mentor_and_mentee_with_finish(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    mentor_home = slack.open_home("UMAYA")
    shown = texts(mentor_home)
    assert "Waiting for your answer" in shown and "Erin Walsh" in shown
    assert "0 of 3" in shown
    slack.click("UMAYA", Action.ACCEPT, view=mentor_home)
    mentor_home = slack.home("UMAYA")
    assert "1 of 3" in texts(mentor_home) and "Waiting for your answer" not in texts(mentor_home)
    mentee_home = slack.open_home("UERIN")
    assert "Maya Chen" in texts(mentee_home) and "accepted" in texts(mentee_home)

    slack.click("UERIN", Action.FINISH, view=mentee_home)
    finish = slack.modal("UERIN")
    slack.submit("UERIN", finish, {Field.NOTE: "Thank you so much!"})
    with slack.db.read() as s:
        assert s.scalars(select(Relationship)).one().status is RelationshipStatus.FINISHED
    assert "Thank you so much!" in texts(slack.dm("UMAYA")[-1])
    assert "0 of 3" in texts(slack.home("UMAYA"))


def test_pause_and_resume_from_home(slack: Harness) -> None:
    enroll_cast(slack)
    home = slack.open_home("UMAYA")
    slack.click("UMAYA", Action.PAUSE, view=home)
    slack.submit("UMAYA", slack.modal("UMAYA"), {Field.PAUSE_UNTIL: "2026-03-20"})
    assert "paused until" in texts(slack.home("UMAYA"))
    slack.command("UERIN", "/find-mentor")
    assert "Maya Chen" not in texts(slack.modal("UERIN"))
    slack.click("UMAYA", Action.RESUME, view=slack.home("UMAYA"))
    assert "Pause new requests" in texts(slack.home("UMAYA"))


def test_admin_summary_and_refusal(slack: Harness) -> None:
    enroll_cast(slack)
    request_maya(slack)
    slack.command("USTRANGER", "/mentor-admin")
    assert slack.told("USTRANGER") == [
        "Sorry, `/mentor-admin` is only for the mentoring program's admins."
    ]
    slack.command("UADMIN", "/mentor-admin")
    assert "*1* pending" in texts(slack.modal("UADMIN"))
    assert "Program admin" in texts(slack.open_home("UADMIN"))
    slack.command("UADMIN", "/mentor-admin", "dance")
    answer = slack.told("UADMIN")[-1]
    assert "I don't know `/mentor-admin dance`" in answer and "/mentor-admin pending" in answer


def test_unexpected_error_apologises_with_an_error_id(slack: Harness) -> None:
    from fakeslack import ServerError

    enroll_cast(slack)
    slack.state.inject("views.open", ServerError(500))
    slack.expected_failures = [("views.open", "internal_error")]
    slack.command("UERIN", "/find-mentor")
    apology = slack.told("UERIN")[-1]
    assert apology.startswith("Sorry, something went wrong on our side.")
    assert "error id:" in apology


def test_failed_delivery_stays_in_the_outbox(slack: Harness) -> None:
    from fakeslack import ServerError
    from store.enums import OutboxStatus
    from store.models import OutboxMessage

    enroll_cast(slack)
    slack.state.inject("chat.postMessage", ServerError(503))
    slack.expected_failures = [("chat.postMessage", "service_unavailable")]
    request_maya(slack)
    with slack.db.read() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "request.received")).one()
    assert row.status is OutboxStatus.PENDING
    assert row.last_error == "HTTP 503"
    assert row.next_attempt_at > slack.clock.now
    assert slack.dm("UMAYA") == []


def test_a_hostile_name_pings_nobody_anywhere(slack: Harness) -> None:
    enroll_cast(slack)
    enroll(slack, "UFINN", {Field.ROLES: ["mentee"], Field.INTERESTS: ["management"]})
    request_maya(slack, mentee="UFINN")
    slack.command("UFINN", "/find-mentor")
    slack.click("UFINN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UFINN"))
    slack.submit("UFINN", slack.modal("UFINN"), {Field.MESSAGE: MESSAGE})  # a duplicate
    card = slack.dm("UMAYA")[-1]
    assert "<!channel>" not in card["text"] and "&lt;!channel&gt;" in card["text"]
    slack.click("UMAYA", Action.ACCEPT, message=card, channel=slack.state.dm_channel("UMAYA"))
    for call in slack.calls("chat.postMessage") + slack.calls("chat.update"):
        assert "<!channel>" not in str(call.params.get("text", ""))
