"""Flash mentoring's rules where people meet them, through the real app and the fake Slack.

Who may be asked (the recommendations-only directory), times the clocks skip, a meeting set for
tomorrow morning, names that look like the program's placeholders, and the meeting decline
reasons.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select

from blocks.ids import Action, Field
from store.enums import RequestStatus
from store.models import MeetingRequest, Member, Recommendation
from tests.scenario.harness import Harness, texts
from tests.scenario.test_admin_matching import buttons
from tests.scenario.test_journey import enroll
from tests.scenario.test_meetings import (
    MESSAGE,
    TOPIC,
    card_channel,
    card_of,
    cast,
    request_meeting,
    set_program,
    slot_values,
    the_meeting,
)
from tests.scenario.test_reminders import tick


def meetings_saved(slack: Harness) -> int:
    with slack.db.read() as s:
        return s.scalar(select(func.count()).select_from(MeetingRequest)) or 0


def press(slack: Harness, user: str, action_id: str, value: str, view: dict[str, Any]) -> None:
    """A button pressed with a value the view may not offer (an old view, a forged payload)."""
    slack.send(
        slack.inbound.block_actions(user, [{"action_id": action_id, "value": value}], view=view)
    )


def meeting_form(slack: Harness, mentee: str, mentor: str) -> dict[str, Any]:
    slack.command(mentee, "/find-mentor")
    slack.click(mentee, Action.REQUEST_MEETING, value=mentor, view=slack.modal(mentee))
    form = slack.modal(mentee)
    assert form["callback_id"] == "meeting"
    return form


def meeting_fields(*times: tuple[date, time]) -> dict[str, Any]:
    return {Field.TOPIC: TOPIC, Field.MESSAGE: MESSAGE, **slot_values(times)}


def test_recommendations_only_offers_meetings_with_recommended_mentors_only(
    slack: Harness,
) -> None:
    cast(slack)
    enroll(
        slack,
        "UOMAR",
        {Field.ROLES: ["mentor"], Field.FUNCTIONAL_AREA: "Data", Field.EXPERTISE: ["data"]},
    )
    stale_form = meeting_form(slack, "UERIN", "UOMAR")  # opened while the directory was open
    set_program(slack, directory_mode="recommendations_only")
    slack.command("UADMIN", "/mentor-admin", "recommend")
    slack.submit("UADMIN", slack.modal("UADMIN"), {Field.PER_MENTEE: "1"})
    with slack.db.read() as s:
        erin = s.scalars(select(Member.id).where(Member.slack_user_id == "UERIN")).one()
        (recommended,) = s.scalars(
            select(Member.slack_user_id)
            .join(Recommendation, Recommendation.mentor_id == Member.id)
            .where(Recommendation.mentee_id == erin)
        ).all()
    assert recommended == "UMAYA"

    # The form Erin opened before the switch: an inline error, nothing saved, nothing lost.
    answer = slack.submit("UERIN", stale_form, meeting_fields((date(2026, 3, 5), time(10, 0))))
    assert answer["response_action"] == "errors"
    assert "Omar Haddad isn't one of yours right now" in answer["errors"][Field.TOPIC]
    assert meetings_saved(slack) == 0
    assert slack.modal("UERIN")["id"] == stale_form["id"]

    # Maya, recommended to Erin: her profile offers a meeting.
    home = slack.open_home("UERIN")
    slack.click("UERIN", Action.VIEW_PROFILE, value="UMAYA", view=home)
    maya = slack.modal("UERIN")
    assert ("Request meeting", "UMAYA") in buttons(maya, Action.REQUEST_MEETING)

    # Omar, not recommended: his profile has no meeting button, only a message link.
    press(slack, "UERIN", Action.VIEW_PROFILE, "UOMAR", home)
    omar = slack.modal("UERIN")
    assert "Omar Haddad" in texts(omar)
    assert buttons(omar, Action.REQUEST_MEETING) == []
    assert buttons(omar, Action.MESSAGE_MENTOR)

    # A Request meeting button for Omar anyway (an old view, a forged payload): refused.
    press(slack, "UERIN", Action.REQUEST_MEETING, "UOMAR", home)
    refusal = texts(slack.modal("UERIN"))
    assert "Omar Haddad isn't one of yours right now" in refusal
    assert "recommended to them" in refusal

    # Maya can be asked.
    form = meeting_form(slack, "UERIN", "UMAYA")
    answer = slack.submit("UERIN", form, meeting_fields((date(2026, 3, 5), time(10, 0))))
    assert answer["response_action"] == "update"
    assert the_meeting(slack).status is RequestStatus.PENDING


def test_a_meeting_accepted_for_tomorrow_morning_is_not_reminded_right_after(
    slack: Harness,
) -> None:
    cast(slack)
    # 14:00 on Tuesday in Tokyo: 05:00 UTC, 20 hours after Monday 09:00 UTC.
    request_meeting(slack, times=((date(2026, 3, 3), time(14, 0)),))
    card = card_of(slack)
    meeting = the_meeting(slack)
    slack.click(
        "UMAYA",
        Action.MEETING_ACCEPT,
        value=f"{meeting.id}:0",
        message=card,
        channel=card_channel(slack),
    )
    assert the_meeting(slack).meeting_at == datetime(2026, 3, 3, 5, 0, tzinfo=UTC)
    told = [texts(m) for m in slack.dm("UFINN")]
    assert any("accepted your meeting request" in t for t in told)

    for minutes in (5, 60, 18 * 60):  # sweeps right after, an hour later, two hours before
        tick(slack, minutes=minutes)
    for user in ("UFINN", "UMAYA"):
        assert not [m for m in slack.dm(user) if "Reminder: your meeting with" in texts(m)]
    assert [texts(m) for m in slack.dm("UFINN")] == told  # nothing more arrived


def test_a_time_the_clocks_skip_is_refused_inline_and_a_repeated_one_is_the_first(
    slack: Harness,
) -> None:
    cast(slack)
    form = meeting_form(slack, "UERIN", "UMAYA")  # Erin is in New York
    skipped = (date(2026, 3, 5), time(10, 0)), (date(2026, 3, 8), time(2, 30))
    answer = slack.submit("UERIN", form, meeting_fields(*skipped))
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        Field.SLOT_2_DATE: "02:30 doesn't exist on March 8, 2026 in America/New_York: the "
        "clocks go forward then. Pick another time."
    }
    assert meetings_saved(slack) == 0
    assert slack.modal("UERIN")["id"] == form["id"]  # still open, nothing typed is lost

    twice = (date(2026, 3, 5), time(10, 0)), (date(2026, 11, 1), time(1, 30))
    answer = slack.submit("UERIN", form, meeting_fields(*twice))
    assert answer["response_action"] == "update"
    # 01:30 before New York's clocks go back (EDT, UTC-4), not the hour after.
    assert the_meeting(slack).proposed_times[1] == "2026-11-01T05:30:00+00:00"
    card = texts(card_of(slack))
    assert "<!date^1793511000^" in card  # the mentor's card shows that moment in their zone


def test_names_that_look_like_placeholders_are_shown_as_typed(slack: Harness) -> None:
    cast(slack)
    set_program(slack, terminology={"mentor": "guide", "mentee": "learner"})
    slack.state.add_user(
        "UANN", name="ann", real_name="Ann {Mentors}", display_name="Ann {Mentors}", tz="UTC"
    )
    enroll(
        slack,
        "UANN",
        {Field.ROLES: ["mentor"], Field.FUNCTIONAL_AREA: "Engineering", Field.EXPERTISE: ["data"]},
    )
    form = meeting_form(slack, "UERIN", "UANN")
    again = meeting_form(slack, "UFINN", "UANN")
    slack.submit("UERIN", form, meeting_fields((date(2026, 3, 5), time(10, 0))))

    # Erin asks again from the directory: told, with Ann's name as she typed it.
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MEETING, value="UANN", view=slack.modal("UERIN"))
    said = texts(slack.modal("UERIN"))
    assert "You already have a meeting request waiting for Ann {Mentors}." in said
    assert "Ann Guides" not in said

    # Ann pauses; Finn's form, opened before, says so by her name.
    with slack.db.write() as s:
        ann = s.scalars(select(Member).where(Member.slack_user_id == "UANN")).one()
        ann.paused_until = datetime(2026, 4, 1, tzinfo=UTC)
    answer = slack.submit("UFINN", again, meeting_fields((date(2026, 3, 5), time(19, 0))))
    assert answer["errors"][Field.TOPIC] == (
        "Ann {Mentors} isn't taking new requests until April 1, 2026."
    )


def test_declined_because_no_time_works_invites_the_mentee_to_propose_others(
    slack: Harness,
) -> None:
    cast(slack)
    request_meeting(slack)
    card = card_of(slack)
    slack.click("UMAYA", Action.MEETING_DECLINE, message=card, channel=card_channel(slack))
    answer = slack.submit(
        "UMAYA", slack.modal("UMAYA"), {Field.REASON: "None of the proposed times work for me"}
    )
    assert answer["response_action"] == "update"
    assert "None of the proposed times work for me" in texts(slack.modal("UMAYA"))
    notice = slack.dm("UFINN")[-1]
    shown = texts(notice)
    assert "*Reason:* None of the proposed times work for me" in shown
    assert "You're welcome to ask Maya Chen again with other times" in shown
    # The profile button in the notice leads straight to "Request meeting".
    slack.click(
        "UFINN",
        Action.VIEW_PROFILE,
        value="UMAYA",
        message=notice,
        channel=slack.state.dm_channel("UFINN"),
    )
    profile = slack.modal("UFINN")
    assert ("Request meeting", "UMAYA") in buttons(profile, Action.REQUEST_MEETING)
    slack.click("UFINN", Action.REQUEST_MEETING, value="UMAYA", view=profile)
    assert slack.modal("UFINN")["callback_id"] == "meeting"
