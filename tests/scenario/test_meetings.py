"""Flash mentoring through the real app: a one-time meeting across timezones, in Slack."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from blocks.ids import Action, Field
from mentoring.program.settings_changes import update_settings
from store.enums import RequestStatus
from store.models import MeetingRequest, Relationship
from tests.conftest import TEAM
from tests.scenario.harness import Harness, texts
from tests.scenario.test_journey import enroll
from tests.scenario.test_reminders import tick
from tests.snapshot import snapshot

TOPIC = "Preparing for my first promotion review"
MESSAGE = "Hi Maya! Could we talk about how you prepared your own promotion case?"
# NOW is Monday 2026-03-02 09:00 UTC. Finn proposes three times in Tokyo (UTC+9):
TOKYO_TIMES = (
    (date(2026, 3, 4), time(10, 0)),  # Wed 01:00 UTC
    (date(2026, 3, 5), time(19, 0)),  # Thu 10:00 UTC
    (date(2026, 3, 6), time(18, 30)),  # Fri 09:30 UTC
)
UTC_TIMES = (
    datetime(2026, 3, 4, 1, 0, tzinfo=UTC),
    datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
    datetime(2026, 3, 6, 9, 30, tzinfo=UTC),
)


def set_program(slack: Harness, **changes: Any) -> None:
    with slack.db.write() as s:
        update_settings(
            session=s, team_id=TEAM, actor="UADMIN", changes=changes, now=slack.clock.now
        )


def cast(slack: Harness, *, meetings: bool = True) -> None:
    """Maya mentors from London; Finn (Tokyo) and Erin (New York) are mentees."""
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
    for mentee in ("UFINN", "UERIN"):
        enroll(
            slack,
            mentee,
            {
                Field.ROLES: ["mentee"],
                Field.FUNCTIONAL_AREA: "Engineering",
                Field.INTERESTS: ["management"],
            },
        )
    if meetings:
        set_program(slack, flash_mentoring_enabled=True)


def slot_values(times: tuple[tuple[date, time], ...]) -> dict[str, Any]:
    fields = (
        (Field.SLOT_1_DATE, Field.SLOT_1_TIME),
        (Field.SLOT_2_DATE, Field.SLOT_2_TIME),
        (Field.SLOT_3_DATE, Field.SLOT_3_TIME),
    )
    values: dict[str, Any] = {}
    for (day_field, time_field), (day, clock) in zip(fields, times, strict=False):
        values[day_field] = day
        values[time_field] = clock
    return values


def open_meeting_form(slack: Harness, mentee: str = "UFINN") -> dict[str, Any]:
    slack.command(mentee, "/find-mentor")
    slack.click(mentee, Action.REQUEST_MEETING, value="UMAYA", view=slack.modal(mentee))
    return slack.modal(mentee)


def request_meeting(
    slack: Harness,
    mentee: str = "UFINN",
    times: tuple[tuple[date, time], ...] = TOKYO_TIMES,
) -> dict[str, Any]:
    form = open_meeting_form(slack, mentee)
    return slack.submit(
        mentee,
        form,
        {Field.TOPIC: TOPIC, Field.MESSAGE: MESSAGE, **slot_values(times)},
    )


def the_meeting(slack: Harness) -> MeetingRequest:
    with slack.db.read() as s:
        return s.scalars(select(MeetingRequest)).one()


def card_of(slack: Harness, user: str = "UMAYA") -> dict[str, Any]:
    """The app's first message to ``user`` about the meeting (the card kept up to date)."""
    return slack.dm(user)[0]


def mrkdwn(source: dict[str, Any]) -> str:
    """Only the text Slack parses as markup (plain_text pings nobody)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node.get("text")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(source)
    return "\n".join(found)


def ics_lines(content: bytes) -> list[str]:
    """An iCalendar file's content lines, read as a calendar program reads them."""
    text = content.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "every line ends with CRLF"
    return [line for line in re.sub(r"\r\n[ \t]", "", text).split("\r\n") if line]


def test_three_times_across_timezones_second_accepted_with_calendar_file(slack: Harness) -> None:
    cast(slack)
    form = open_meeting_form(slack)
    pickers = [
        b["element"] for b in form["blocks"] if b["type"] == "input" and "slot" in b["block_id"]
    ]
    assert [p["type"] for p in pickers] == ["datepicker", "timepicker"] * 3
    assert {p.get("timezone") for p in pickers if p["type"] == "timepicker"} == {"Asia/Tokyo"}
    assert "Asia/Tokyo" in texts(form)
    answer = slack.submit(
        "UFINN", form, {Field.TOPIC: TOPIC, Field.MESSAGE: MESSAGE, **slot_values(TOKYO_TIMES)}
    )
    assert answer["response_action"] == "update"
    assert "on its way to *Maya Chen*" in texts(slack.modal("UFINN"))

    meeting = the_meeting(slack)
    assert meeting.status is RequestStatus.PENDING
    assert [datetime.fromisoformat(t) for t in meeting.proposed_times] == list(UTC_TIMES)

    # Maya's card shows every time in her own timezone (Slack's date formatting, London
    # fallback) with a button per time.
    card = card_of(slack)
    shown = texts(card)
    for moment, fallback in zip(
        UTC_TIMES,
        ("Wed 4 Mar 2026, 01:00 GMT", "Thu 5 Mar 2026, 10:00 GMT", "Fri 6 Mar 2026, 09:30 GMT"),
        strict=True,
    ):
        assert f"<!date^{int(moment.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>" in (
            shown
        )
    assert TOPIC in shown and "&lt;!channel&gt;" in shown  # Finn's hostile name, escaped
    assert "<!channel>" not in mrkdwn(card) and "<!channel>" not in card["text"]
    slack.click(
        "UMAYA",
        Action.MEETING_ACCEPT,
        value=f"{meeting.id}:1",
        message=card,
        channel=slack.state.dm_channel("UMAYA"),
    )

    meeting = the_meeting(slack)
    assert meeting.status is RequestStatus.ACCEPTED
    assert meeting.meeting_at == UTC_TIMES[1]
    group = slack.state.mpim(["UMAYA", "UFINN"])
    assert meeting.conversation_id == group
    details = texts(slack.state.messages(group)[0].to_api())
    assert "<@UMAYA>" in details and "<@UFINN>" in details and TOPIC in details
    assert "10:00 GMT for Maya Chen" in details and "19:00 JST for Finn" in details

    (upload,) = slack.state.files()
    assert upload.completed and upload.channels == [group] and upload.name.endswith(".ics")
    assert upload.content is not None
    lines = ics_lines(upload.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "DTSTART:20260305T100000Z" in lines and "DTEND:20260305T103000Z" in lines
    assert any(line.startswith("UID:meeting-") for line in lines)
    assert any(line.startswith(f"SUMMARY:{TOPIC}") for line in lines)

    told = texts(slack.dm("UFINN")[-1])
    assert "accepted your meeting request" in told and group in told
    updated = card_of(slack)
    assert "Accepted" in texts(updated) and str(int(UTC_TIMES[1].timestamp())) in texts(updated)
    assert not [
        b
        for b in updated["blocks"]
        if b.get("accessory", {}).get("action_id") == (Action.MEETING_ACCEPT)
    ]
    assert len(slack.calls("chat.update")) == 1
    # A one-time meeting starts no mentoring relationship.
    with slack.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Relationship)) == 0

    # A second click on the old card changes nothing and says why.
    before = snapshot(slack.db)
    slack.click(
        "UMAYA",
        Action.MEETING_ACCEPT,
        value=f"{meeting.id}:0",
        message=card,
        channel=slack.state.dm_channel("UMAYA"),
    )
    assert slack.told("UMAYA") == ["This meeting request was already accepted."]
    assert len(slack.state.files()) == 1
    assert snapshot(slack.db) == before

    # The day before, both are reminded, once.
    slack.clock.now = UTC_TIMES[1] - timedelta(hours=20)
    tick(slack, minutes=5)
    tick(slack, minutes=5)
    for user, zone_time in (("UMAYA", "10:00 GMT"), ("UFINN", "19:00 JST")):
        reminders = [m for m in slack.dm(user) if "Reminder: your meeting with" in texts(m)]
        assert len(reminders) == 1
        assert zone_time in texts(reminders[0]) and group in texts(reminders[0])


def test_a_failed_upload_is_retried_without_repeating_the_details(slack: Harness) -> None:
    from fakeslack import ServerError
    from store.enums import OutboxStatus
    from store.models import OutboxMessage

    cast(slack)
    request_meeting(slack)
    meeting = the_meeting(slack)
    slack.state.inject("files.getUploadURLExternal", ServerError(503))
    slack.expected_failures = [("files.getUploadURLExternal", "service_unavailable")]
    card = card_of(slack)
    slack.click(
        "UMAYA",
        Action.MEETING_ACCEPT,
        value=f"{meeting.id}:0",
        message=card,
        channel=card_channel(slack),
    )
    with slack.db.read() as s:
        invite = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "meeting.invite")
        ).one()
    assert invite.status is OutboxStatus.PENDING and invite.last_error == "HTTP 503"
    assert slack.state.files() == []
    assert "accepted your meeting request" in texts(slack.dm("UFINN")[-1])  # not held up
    tick(slack, minutes=2)
    group = slack.state.mpim(["UMAYA", "UFINN"])
    (upload,) = slack.state.files()
    assert upload.channels == [group]
    assert [
        texts(m.to_api()).count("your one-time meeting is set") for m in slack.state.messages(group)
    ] == [1, 0]


def test_decline_with_a_reason_reaches_the_mentee(slack: Harness) -> None:
    cast(slack)
    request_meeting(slack)
    card = card_of(slack)
    slack.click("UMAYA", Action.MEETING_DECLINE, message=card, channel=card_channel(slack))
    form = slack.modal("UMAYA")
    assert "Finn &lt;!channel&gt; Ito" in texts(form)
    (reason,) = [b for b in form["blocks"] if b.get("block_id") == Field.REASON]
    assert [o["value"] for o in reason["element"]["options"]] == [
        "None of the proposed times work for me",
        "I don't have time for a meeting right now",
        "Another mentor would know more about this topic",
        "Other",
    ]
    answer = slack.submit(
        "UMAYA",
        form,
        {
            Field.REASON: "I don't have time for a meeting right now",
            Field.NOTE: "Ask Omar <!here>!",
        },
    )
    assert answer["response_action"] == "update"
    meeting = the_meeting(slack)
    assert (meeting.status, meeting.decline_reason) == (
        RequestStatus.DECLINED,
        "I don't have time for a meeting right now",
    )
    told = texts(slack.dm("UFINN")[-1])
    assert "I don't have time for a meeting right now" in told
    assert "Ask Omar &lt;!here&gt;!" in told and "ask another mentor" in told
    assert "Declined" in texts(card_of(slack))
    assert not [b for b in card_of(slack)["blocks"] if b["type"] == "actions"]


def card_channel(slack: Harness) -> str:
    return slack.state.dm_channel("UMAYA")


def test_every_time_passing_closes_the_request_and_tells_both(slack: Harness) -> None:
    cast(slack)
    request_meeting(slack, times=TOKYO_TIMES[:2])
    card = card_of(slack)
    slack.clock.now = UTC_TIMES[0] + timedelta(minutes=1)
    tick(slack, minutes=1)
    assert the_meeting(slack).status is RequestStatus.PENDING  # one time is still ahead
    slack.clock.now = UTC_TIMES[1] + timedelta(minutes=1)
    tick(slack, minutes=1)
    meeting = the_meeting(slack)
    assert meeting.status is RequestStatus.EXPIRED
    told = texts(slack.dm("UFINN")[-1])
    assert "Every time you proposed to *Maya Chen* has passed" in told
    closed = card_of(slack)
    assert "every proposed time has passed" in texts(closed)
    assert not [b for b in closed["blocks"] if b["type"] == "actions"]
    tick(slack, hours=1)  # a later sweep does nothing twice
    assert [texts(m).count("Every time you proposed") for m in slack.dm("UFINN")].count(1) == 1
    slack.click("UMAYA", Action.MEETING_ACCEPT, value=f"{meeting.id}:1", message=card)
    assert slack.told("UMAYA") == [
        "This meeting request was already closed because every proposed time has passed."
    ]


def test_withdraw_from_home_updates_the_mentors_card(slack: Harness) -> None:
    cast(slack)
    request_meeting(slack, mentee="UERIN")
    home = slack.open_home("UERIN")
    shown = texts(home)
    assert "My meeting requests" in shown and TOPIC in shown and "waiting" in shown
    slack.click("UERIN", Action.MEETING_WITHDRAW, view=home)
    assert the_meeting(slack).status is RequestStatus.WITHDRAWN
    card = card_of(slack)
    assert "Withdrawn by the sender" in texts(card)
    assert not [b for b in card["blocks"] if b["type"] == "actions"]
    assert "Withdrawn" in texts(slack.home("UERIN"))
    maya_home = texts(slack.open_home("UMAYA"))
    assert "Meeting requests for you" not in maya_home


def test_the_mentor_accepts_from_home(slack: Harness) -> None:
    cast(slack)
    request_meeting(slack)
    home = slack.open_home("UMAYA")
    assert "Meeting requests for you" in texts(home)
    meeting = the_meeting(slack)
    slack.click("UMAYA", Action.MEETING_ACCEPT, value=f"{meeting.id}:2", view=home)
    assert the_meeting(slack).meeting_at == UTC_TIMES[2]
    refreshed = texts(slack.home("UMAYA"))
    assert "Upcoming meetings" in refreshed and TOPIC in refreshed
    assert "Upcoming meetings" in texts(slack.open_home("UFINN"))
    assert "Accepted" in texts(card_of(slack))


def test_bad_times_are_inline_errors_and_save_nothing(slack: Harness) -> None:
    cast(slack)
    form = open_meeting_form(slack)
    base = {Field.TOPIC: TOPIC, Field.MESSAGE: MESSAGE}
    yesterday = ((date(2026, 3, 1), time(10, 0)),)
    answer = slack.submit("UFINN", form, {**base, **slot_values(yesterday)})
    assert answer["response_action"] == "errors"
    assert "already passed" in answer["errors"][Field.SLOT_1_DATE]
    twice = (TOKYO_TIMES[0], TOKYO_TIMES[0])
    answer = slack.submit("UFINN", form, {**base, **slot_values(twice)})
    assert "proposed this time already" in answer["errors"][Field.SLOT_2_DATE]
    half = {**base, **slot_values(TOKYO_TIMES[:1]), Field.SLOT_3_DATE: date(2026, 3, 9)}
    answer = slack.submit("UFINN", form, half)
    assert "both a date and a time" in answer["errors"][Field.SLOT_3_DATE]
    with slack.db.read() as s:
        assert s.scalar(select(func.count()).select_from(MeetingRequest)) == 0
    assert slack.modal("UFINN")["id"] == form["id"]  # still open, nothing typed is lost


def test_turned_off_hides_the_button_and_refuses(slack: Harness) -> None:
    cast(slack, meetings=False)
    slack.command("UFINN", "/find-mentor")
    search = slack.modal("UFINN")
    assert "Request meeting" not in texts(search)
    home = slack.open_home("UFINN")
    assert "Request meeting" not in texts(home)
    # A stale button (from before it was turned off) is refused politely.
    set_program(slack, flash_mentoring_enabled=True)
    slack.command("UERIN", "/find-mentor")
    stale = slack.modal("UERIN")
    form = open_meeting_form(slack)
    set_program(slack, flash_mentoring_enabled=False)
    slack.click("UERIN", Action.REQUEST_MEETING, value="UMAYA", view=stale)
    assert slack.told("UERIN") == []
    refusal = texts(slack.modal("UERIN"))
    assert "One-time meetings are turned off in this program." in refusal
    answer = slack.submit(
        "UFINN", form, {Field.TOPIC: TOPIC, Field.MESSAGE: MESSAGE, **slot_values(TOKYO_TIMES)}
    )
    assert answer["errors"][Field.TOPIC] == "One-time meetings are turned off in this program."
    with slack.db.read() as s:
        assert s.scalar(select(func.count()).select_from(MeetingRequest)) == 0


def test_profile_shows_current_relationships_but_not_hidden_ones(slack: Harness) -> None:
    cast(slack)
    enroll(
        slack,
        "UOMAR",
        {Field.ROLES: ["mentor"], Field.FUNCTIONAL_AREA: "Data", Field.EXPERTISE: ["data"]},
    )
    for mentee, mentor in (("UERIN", "UMAYA"), ("UFINN", "UOMAR")):
        slack.command(mentee, "/find-mentor")
        slack.click(mentee, Action.REQUEST_MENTOR, value=mentor, view=slack.modal(mentee))
        slack.submit(mentee, slack.modal(mentee), {Field.MESSAGE: MESSAGE})
        card = slack.dm(mentor)[-1]
        slack.click(mentor, Action.ACCEPT, message=card, channel=slack.state.dm_channel(mentor))
    home = slack.open_home("UFINN")
    slack.click("UFINN", Action.HIDE, view=home)  # Finn hides his pair with Omar

    # From a modal (the directory), the profile is pushed on top of it.
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    slack.click("UERIN", Action.VIEW_PROFILE, value="UMAYA", view=search)
    stack = slack.state.views_for("UERIN")
    assert len(stack) == 2 and stack[0].id == search["id"]
    maya = texts(slack.modal("UERIN"))
    assert "Maya Chen" in maya and "Director" in maya and "leadership, management" in maya
    assert "Mentor of *Erin Walsh*" in maya
    assert "2 of 3" in maya and "Local time" in maya and "Europe/London" in maya

    slack.click("UERIN", Action.VIEW_PROFILE, value="UOMAR", view=search)
    omar = texts(slack.modal("UERIN"))
    assert "Omar Haddad" in omar and "Finn" not in omar
    assert "No mentoring relationships to show" in omar

    # From App Home (not a modal), it opens.
    home = slack.open_home("UMAYA")
    slack.click("UMAYA", Action.VIEW_PROFILE, value="UERIN", view=home)
    assert len(slack.state.views_for("UMAYA")) == 1
    erin = texts(slack.modal("UMAYA"))
    assert "Mentee of *Maya Chen*" in erin and "Wants to learn" in erin


def test_resources_and_waiting_tips_on_home(slack: Harness) -> None:
    cast(slack)
    set_program(
        slack,
        resources=[
            {
                "title": "Mentoring guide <!here>",
                "url": "https://example.org/guide",
                "description": "How our program works, step by step.",
            },
            {"title": "First meeting checklist", "url": "https://example.org/checklist"},
        ],
    )
    mentee_home = slack.open_home("UFINN")
    shown = texts(mentee_home)
    assert "How mentoring works" in shown
    assert "Mentoring guide &lt;!here&gt;" in shown and "<!here>" not in shown
    assert "How our program works, step by step." in shown and "First meeting checklist" in shown
    assert "While you wait for an answer" in shown and "While you wait for requests" not in shown
    links = [
        b["accessory"]["url"]
        for b in mentee_home["blocks"]
        if b.get("accessory", {}).get("action_id") == Action.OPEN_RESOURCE
    ]
    assert links == ["https://example.org/guide", "https://example.org/checklist"]
    slack.click("UFINN", Action.OPEN_RESOURCE, view=mentee_home)  # Slack still tells the app
    mentor_home = texts(slack.open_home("UMAYA"))
    assert "While you wait for requests" in mentor_home and "Mentoring guide" in mentor_home
