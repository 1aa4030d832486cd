"""Every way of matching, meeting and running the program speaks the program's words too.

The first walk (``test_terminology``) follows the self-service journey. These follow the rest of
the product in a program that calls its mentors "guides" and its mentees "learners" (and again
with "coaches" and "advisees", whose plural and article are not made by adding "s" or "a"), set
by an admin in the settings modal: admin-routed matching, pushed recommendations, offers,
flash mentoring, full profiles and resources on Home, and the admins' dashboard, health report
and export. Each walk collects every text the app showed anyone (including the files it
uploaded) and checks it with the same rules as the first walk, and that no text builds a
role's plural or article by hand ("coachs", "a advisee").

The export's CSV files are a data format: their column names (``mentee``, ``mentor_user_id``...)
stay fixed, whatever the program calls its roles, so that spreadsheets and scripts built on one
export keep working on the next, and on another workspace's. Their header rows are left out of
the check; every other line of them is checked.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from blocks.ids import Action, Field, Setting
from mentoring.core.wording import Words
from store.enums import RequestKind
from store.models import Member
from tests.rows import add_request
from tests.scenario.admin_helpers import buttons, choose, dashboard_ids, settings
from tests.scenario.harness import Harness, texts
from tests.scenario.test_admin_health import at
from tests.scenario.test_admin_health import seed as seed_program_history
from tests.scenario.test_admin_matching import enroll_priya, preference_ids
from tests.scenario.test_journey import enroll, enroll_cast
from tests.scenario.test_meetings import TOKYO_TIMES, UTC_TIMES, slot_values, the_meeting
from tests.scenario.test_reminders import tick
from tests.scenario.test_terminology import Transcript, leaks

MESSAGE = "Hi! I'd love your help moving into engineering management this year."
OFFER = "Hi! I moved into management two years ago and would love to help you do the same."
TOPIC = "Preparing for my first promotion review"


@pytest.fixture(
    params=[Words("guide", "learner"), Words("coach", "advisee")],
    ids=lambda words: words.mentors,
)
def words(request: pytest.FixtureRequest) -> Words:
    """The program's words for its two roles."""
    chosen: Words = request.param
    return chosen


def program_words(slack: Harness, words: Words, **program: Any) -> Transcript:
    """An admin names the roles in the settings modal; the rest of ``program`` is set as is.

    Returns the transcript that collects everything shown from here on.
    """
    slack.command("UADMIN", "/mentor-admin", "settings")
    saved = slack.submit(
        "UADMIN",
        slack.modal("UADMIN"),
        {Setting.MENTOR_WORD: words.mentor, Setting.MENTEE_WORD: words.mentee},
    )
    assert saved["response_action"] == "update"
    if program:
        settings(slack, **program)
    return Transcript(slack)


def enroll_mentee(slack: Harness, user: str, area: str = "Engineering") -> None:
    enroll(
        slack,
        user,
        {Field.ROLES: ["mentee"], Field.FUNCTIONAL_AREA: area, Field.INTERESTS: ["management"]},
    )


def speaks_only(words: Words, t: Transcript) -> str:
    """Check everything shown since ``t`` began; return it, joined, for further checks."""
    shown = t.everything()
    everything = "\n".join(shown)
    assert words.mentor in everything and words.mentee in everything
    assert leaks(shown) == [], "\n".join(sorted(set(leaking_lines(shown))))
    assert misworded(shown, words) == []
    return everything


def leaking_lines(shown: list[str]) -> list[str]:
    """The lines of leaking texts that say mentor or mentee: what a failure should show."""
    return [line for text in leaks(shown) for line in text.splitlines() if leaks([line])]


def misworded(shown: list[str], words: Words) -> list[str]:
    """Lines that make a role's plural or article by hand: "coachs", "a advisee"."""
    wrong = [
        rf"\b{word}s\b"
        for word, plural in ((words.mentor, words.mentors), (words.mentee, words.mentees))
        if plural != word + "s"
    ] + [
        rf"\b{'an' if article.startswith('a ') else 'a'} {word}\b"
        for word, article in ((words.mentor, words.a_mentor), (words.mentee, words.a_mentee))
    ]
    pattern = re.compile("|".join(wrong), re.IGNORECASE)
    return sorted({line for text in shown for line in text.splitlines() if pattern.search(line)})


def in_dm(slack: Harness, user: str, action_id: str, value: str | None = None) -> dict[str, Any]:
    """The newest message in ``user``'s DM with the app that has this button."""
    for message in reversed(slack.dm(user)):
        for block in message.get("blocks", []):
            for element in [*block.get("elements", []), block.get("accessory") or {}]:
                if element.get("action_id") == action_id and value in (None, element["value"]):
                    return message
    raise AssertionError(f"no {action_id} button in {user}'s DM")


def press_in_dm(slack: Harness, user: str, action_id: str, value: str | None = None) -> None:
    message = in_dm(slack, user, action_id, value)
    slack.click(user, action_id, value=value, message=message, channel=slack.state.dm_channel(user))


def test_admin_routed_matching_speaks_the_programs_words(slack: Harness, words: Words) -> None:
    t = program_words(slack, words, matching_mode="admin_routed")
    enroll_cast(slack)  # Maya and Omar mentor; Erin is a mentee
    enroll_priya(slack)
    for user in ("UFINN", "USTRANGER"):
        enroll_mentee(slack, user)

    # A mentor who is no mentee can't choose mentors.
    slack.command("UMAYA", "/find-mentor")
    slack.click("UMAYA", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UMAYA"))
    refused = f"Add the {words.mentee} role to your profile to choose {words.a_mentor}."
    assert refused in texts(slack.modal("UMAYA"))

    # Pushed recommendations in this mode: Choose buttons that open the preferences form.
    slack.command("UADMIN", "/mentor-admin", "recommend")
    t.submit("UADMIN", {Field.PER_MENTEE: "2"})
    assert f"{words.mentors_title} recommended for you" in texts(slack.dm("UERIN")[-1])
    press_in_dm(slack, "UERIN", Action.REQUEST_MENTOR, "UMAYA")
    answer = t.submit("UERIN", {Field.PREFERENCE_2: "UMAYA", Field.MESSAGE: MESSAGE})
    assert "You chose this person already" in answer["errors"][Field.PREFERENCE_2]
    answer = t.submit("UERIN", {Field.PREFERENCE_2: None, Field.MESSAGE: "too short"})
    assert answer["response_action"] == "errors"
    t.submit(
        "UERIN", {Field.PREFERENCE_2: "UOMAR", Field.PREFERENCE_3: "UPRIYA", Field.MESSAGE: MESSAGE}
    )
    assert f"My preferred {words.mentors}" in texts(slack.open_home("UERIN"))
    # Asking again from the directory while the admins decide.
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))

    # Finn chooses from his Home; the stranger's choice will wait too long.
    for user in ("UFINN", "USTRANGER"):
        slack.click(user, Action.OPEN_PREFERENCES, view=slack.open_home(user))
        t.submit(user, {Field.PREFERENCE_1: "UMAYA", Field.MESSAGE: MESSAGE})

    # The admins' queue: a mentor is refused; the admin assigns Erin and closes Finn's.
    slack.command("UMAYA", "/mentor-admin", "queue")
    slack.command("UADMIN", "/mentor-admin", "queue")
    queue = slack.modal("UADMIN")
    assert f"3 {words.mentees} waiting to be matched" in texts(queue)
    ids = preference_ids(slack)
    slack.click("UADMIN", Action.ASSIGN, value=str(ids["UOMAR"]), view=queue)
    finn = min(int(v) for v in buttons(slack.modal("UADMIN"), Action.CLOSE_SUBMISSION))
    slack.click("UADMIN", Action.CLOSE_SUBMISSION, value=str(finn), view=slack.modal("UADMIN"))
    answer = t.submit("UADMIN", {Field.REASON: "   "})
    assert answer["errors"][Field.REASON] == f"Give a reason: the {words.mentee} will see it."
    t.submit("UADMIN", {Field.REASON: "Maya has no room until June."})
    assert f"as your {words.mentor}" in texts(slack.dm("UERIN")[-1])
    assert f"as your {words.mentee}" in texts(slack.dm("UOMAR")[-1])
    for user in ("UERIN", "UFINN", "UOMAR"):
        slack.open_home(user)

    # Erin now has as many mentors as allowed; Finn sends new ones and withdraws them.
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))
    enough = f"You already have as many {words.mentors} as the program allows (1)."
    assert enough in texts(slack.modal("UERIN"))
    slack.click("UFINN", Action.OPEN_PREFERENCES, view=slack.open_home("UFINN"))
    t.submit("UFINN", {Field.PREFERENCE_1: "UPRIYA", Field.MESSAGE: MESSAGE})
    slack.click("UFINN", Action.WITHDRAW_PREFERENCES, view=slack.open_home("UFINN"))

    # The stranger's preferences wait past the auto-close period.
    tick(slack, days=15)
    assert "waited a long time without a match" in texts(slack.dm("USTRANGER")[-1])
    slack.open_home("USTRANGER")
    speaks_only(words, t)


def test_pushed_recommendations_speak_the_programs_words(slack: Harness, words: Words) -> None:
    t = program_words(slack, words, directory_mode="recommendations_only")
    enroll_cast(slack)
    enroll_priya(slack)
    enroll_mentee(slack, "UFINN", area="Sales")

    # Before any push, the directory has nobody to show.
    slack.command("UERIN", "/find-mentor")
    assert "yours will appear here" in texts(slack.modal("UERIN"))
    slack.open_home("UERIN")

    # A push for an area nobody is in, then for everyone.
    slack.command("UADMIN", "/mentor-admin", "recommend")
    t.submit("UADMIN", {Field.PER_MENTEE: "1", Field.FUNCTIONAL_AREA: "Legal"})
    assert f"there are no {words.mentees} in Legal" in texts(slack.dm("UADMIN")[-1])
    slack.command("UADMIN", "/mentor-admin", "recommend")
    t.submit("UADMIN", {Field.PER_MENTEE: "2"})
    assert "Recommendations sent" in texts(slack.dm("UADMIN")[-1])

    # Erin's DM and Home; her directory shows only her mentors; a forged request is refused.
    assert f"{words.mentors_title} recommended for you" in texts(slack.dm("UERIN")[-1])
    slack.open_home("UERIN")
    slack.command("UERIN", "/find-mentor")
    assert f"the {words.mentors} the program recommended for you" in texts(slack.modal("UERIN"))
    dm = slack.dm("UERIN")[-1]
    slack.send(
        slack.inbound.block_actions(
            "UERIN",
            [{"action_id": Action.REQUEST_MENTOR, "value": "UOMAR"}],
            message=dm,
            channel=slack.state.dm_channel("UERIN"),
        )
    )
    answer = t.submit("UERIN", {Field.MESSAGE: MESSAGE})
    assert "isn't one of yours right now" in answer["errors"][Field.MESSAGE]
    first = buttons(in_dm(slack, "UERIN", Action.REQUEST_MENTOR), Action.REQUEST_MENTOR)[0]
    press_in_dm(slack, "UERIN", Action.REQUEST_MENTOR, first)
    t.submit("UERIN", {Field.MESSAGE: MESSAGE})
    slack.open_home("UFINN")
    speaks_only(words, t)


def offer(slack: Harness, t: Transcript, mentor: str, mentee: str) -> None:
    slack.command(mentor, "/find-mentor", "mentees")
    slack.click(mentor, Action.OFFER_MENTEE, value=mentee, view=slack.modal(mentor))
    t.submit(mentor, {Field.MESSAGE: OFFER})


def test_offers_from_mentors_speak_the_programs_words(slack: Harness, words: Words) -> None:
    t = program_words(slack, words, mentor_offers_enabled=True)
    enroll_cast(slack)
    enroll_mentee(slack, "UFINN")

    # A mentee can't offer; a mentor browses, filters to nobody, and offers with a short note.
    slack.command("UERIN", "/find-mentor", "mentees")
    slack.click("UMAYA", Action.OPEN_OFFERS, view=slack.open_home("UMAYA"))
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
    slack.command("UMAYA", "/find-mentor", "mentees")
    slack.click("UMAYA", Action.OFFER_MENTEE, value="UERIN", view=slack.modal("UMAYA"))
    answer = t.submit("UMAYA", {Field.MESSAGE: "Hi!"})
    assert answer["response_action"] == "errors"
    t.submit("UMAYA", {Field.MESSAGE: OFFER})
    offer(slack, t, "UMAYA", "UFINN")
    offer(slack, t, "UOMAR", "UFINN")
    assert f"offers to be your {words.mentor}" in texts(slack.dm("UFINN")[-1])
    for user in ("UMAYA", "UERIN", "UFINN"):
        slack.open_home(user)

    # Erin declines with a mentee's reasons; Finn accepts Omar, which closes Maya's offer.
    press_in_dm(slack, "UERIN", Action.DECLINE)
    t.submit(
        "UERIN",
        {Field.REASON: f"I'm not looking for {words.a_mentor} right now", Field.NOTE: "Thanks!"},
    )
    press_in_dm(slack, "UFINN", Action.ACCEPT, None)
    assert f"found {words.a_mentor}, so your offer was closed" in texts(slack.dm("UMAYA")[-1])
    for user in ("UMAYA", "UOMAR", "UFINN"):
        slack.open_home(user)

    # Omar offers to Erin and hears nothing: a reminder, then the offer expires.
    offer(slack, t, "UOMAR", "UERIN")
    tick(slack, days=3)
    tick(slack, days=12)
    assert "closed after waiting too long" in texts(slack.dm("UOMAR")[-1])

    # Offers turned off: the command and a stale button both say so.
    slack.command("UMAYA", "/find-mentor", "mentees")
    browse = slack.modal("UMAYA")
    settings(slack, mentor_offers_enabled=False)
    slack.command("UMAYA", "/find-mentor", "mentees")
    slack.click("UMAYA", Action.OFFER_MENTEE, value="UERIN", view=browse)
    speaks_only(words, t)


def meeting_card(slack: Harness, mentee_name: str) -> dict[str, Any]:
    return next(m for m in reversed(slack.dm("UMAYA")) if mentee_name in texts(m))


def ask_for_a_meeting(
    slack: Harness, t: Transcript, mentee: str, times: tuple[tuple[date, time], ...]
) -> dict[str, Any]:
    slack.command(mentee, "/find-mentor")
    slack.click(mentee, Action.REQUEST_MEETING, value="UMAYA", view=slack.modal(mentee))
    return t.submit(
        mentee, {Field.TOPIC: TOPIC, Field.MESSAGE: MESSAGE + " Just once!", **slot_values(times)}
    )


def test_flash_mentoring_speaks_the_programs_words(slack: Harness, words: Words) -> None:
    t = program_words(slack, words, flash_mentoring_enabled=True)
    enroll_cast(slack)
    enroll_mentee(slack, "UFINN")

    # Finn asks Maya for a meeting: a time in the past first, then three in Tokyo.
    past = ((date(2026, 3, 1), time(10, 0)),)
    answer = ask_for_a_meeting(slack, t, "UFINN", past)
    assert answer["response_action"] == "errors"
    ask_for_a_meeting(slack, t, "UFINN", TOKYO_TIMES)
    for user in ("UMAYA", "UFINN"):
        slack.open_home(user)

    # Maya picks the second time: group DM details, calendar file, the mentee told.
    meeting = the_meeting(slack)
    card = meeting_card(slack, "Finn")
    channel = slack.state.dm_channel("UMAYA")
    slack.click(
        "UMAYA", Action.MEETING_ACCEPT, value=f"{meeting.id}:1", message=card, channel=channel
    )
    (invitation,) = slack.state.files()
    assert invitation.name.endswith(".ics")
    slack.click(
        "UMAYA", Action.MEETING_ACCEPT, value=f"{meeting.id}:0", message=card, channel=channel
    )
    for user in ("UMAYA", "UFINN"):
        slack.open_home(user)

    # Erin asks twice: Maya declines the first; every time of the second passes.
    ask_for_a_meeting(slack, t, "UERIN", ((date(2026, 3, 3), time(10, 0)),))
    slack.click(
        "UMAYA", Action.MEETING_DECLINE, message=meeting_card(slack, "Erin"), channel=channel
    )
    reason = f"Another {words.mentor} would know more about this topic"
    t.submit("UMAYA", {Field.REASON: reason, Field.NOTE: "Try Omar!"})
    assert f"*Reason:* {reason}" in texts(slack.dm("UERIN")[-1])
    ask_for_a_meeting(slack, t, "UERIN", ((date(2026, 3, 3), time(10, 0)),))
    slack.clock.now = UTC_TIMES[0] - timedelta(hours=1)  # Tue 15:00 UTC = 10:00 in New York
    tick(slack, minutes=5)
    assert "Every time you proposed" in texts(slack.dm("UERIN")[-1])

    # The day before Finn's meeting, both are reminded.
    slack.clock.now = UTC_TIMES[1] - timedelta(hours=20)
    tick(slack, minutes=5)
    assert "Reminder: your meeting with" in texts(slack.dm("UFINN")[-1])

    # Erin asks once more and withdraws from her Home.
    ask_for_a_meeting(slack, t, "UERIN", ((date(2026, 3, 9), time(10, 0)),))
    slack.click("UERIN", Action.MEETING_WITHDRAW, view=slack.open_home("UERIN"))
    slack.open_home("UMAYA")
    everything = speaks_only(words, t)
    assert f"Maya Chen ({words.mentor}) and Finn <!channel> Ito ({words.mentee})" in everything


def test_profiles_and_home_resources_speak_the_programs_words(slack: Harness, words: Words) -> None:
    t = program_words(
        slack,
        words,
        resources=[
            {
                "title": "Program handbook",
                "url": "https://example.org/handbook",
                "description": "How our program works, step by step.",
            }
        ],
    )
    enroll_cast(slack)
    enroll_mentee(slack, "UFINN")
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))
    t.submit("UERIN", {Field.MESSAGE: MESSAGE})
    press_in_dm(slack, "UMAYA", Action.ACCEPT)

    # Profiles from the directory (pushed) and from Home (opened).
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    slack.click("UERIN", Action.VIEW_PROFILE, value="UMAYA", view=search)
    assert f"{words.mentor_title} of *Erin Walsh*" in texts(slack.modal("UERIN"))
    slack.click("UERIN", Action.VIEW_PROFILE, value="UOMAR", view=search)
    slack.click("UMAYA", Action.VIEW_PROFILE, value="UERIN", view=slack.open_home("UMAYA"))
    assert f"{words.mentee_title} of *Maya Chen*" in texts(slack.modal("UMAYA"))

    # Home for each role, with the program's resources and tips for waiting.
    for user in ("UFINN", "UERIN", "UOMAR", "UADMIN", "USTRANGER"):
        slack.open_home(user)
    assert "How mentoring works" in texts(slack.home("UFINN"))
    speaks_only(words, t)


def test_admin_dashboard_health_and_export_speak_the_programs_words(
    slack: Harness, words: Words
) -> None:
    for user, name in (("UGUS", "Gus Gray"), ("UHANA", "Hana Hill"), ("UIVY", "Ivy Iles")):
        slack.state.add_user(user, name=name, real_name=name, display_name=name, tz="UTC")
    seed_program_history(slack)  # every status, a decline reason, a mentor at capacity
    with slack.db.write() as s:
        ids = dict(s.execute(select(Member.slack_user_id, Member.id)).all())
        add_request(s, ids["UERIN"], ids["UOMAR"], at(3, 1), kind=RequestKind.MENTOR_OFFER)
    t = program_words(slack, words, mentor_offers_enabled=True)

    # The dashboard under every status filter, both orders, from the command and from Home.
    slack.command("UADMIN", "/mentor-admin")
    for status in ("accepted", "declined", "expired", "closed", "withdrawn", "all"):
        choose(slack, "UADMIN", Action.ADMIN_STATUS, status)
    choose(slack, "UADMIN", Action.ADMIN_ORDER, "newest")
    slack.click("UADMIN", Action.OPEN_ADMIN, view=slack.open_home("UADMIN"))

    # Remind on each request and on the offer; close one with a reason.
    pending = dashboard_ids(slack.modal("UADMIN"))
    for rid in pending:
        slack.click("UADMIN", Action.ADMIN_REMIND, value=str(rid), view=slack.modal("UADMIN"))
    gus_to_omar = pending[0]  # the oldest
    slack.click("UADMIN", Action.ADMIN_CLOSE, value=str(gus_to_omar), view=slack.modal("UADMIN"))
    answer = t.submit("UADMIN", {Field.REASON: "   "})
    assert answer["errors"][Field.REASON] == f"Give a reason: the {words.mentee} will see it."
    t.submit("UADMIN", {Field.REASON: "Omar is on leave until June."})
    # Finn withdraws his request while the dashboard still shows it.
    dashboard = slack.modal("UADMIN")
    slack.click("UFINN", Action.WITHDRAW, view=slack.open_home("UFINN"))
    slack.click("UADMIN", Action.ADMIN_CLOSE, value=str(pending[-2]), view=dashboard)
    assert "already withdrawn" in texts(slack.modal("UADMIN"))

    # The health report for two periods, and a period it doesn't know.
    slack.command("UADMIN", "/mentor-admin", "health")
    choose(slack, "UADMIN", Action.ADMIN_HEALTH_PERIOD, "7")
    slack.command("UADMIN", "/mentor-admin", "health 14")
    slack.command("UADMIN", "/mentor-admin", "help")

    # The export: its confirmation, its message, and its files.
    slack.command("UADMIN", "/mentor-admin", "export")
    assert slack.told("UADMIN")[-1].startswith("Export sent to your DM")
    everything = speaks_only(words, t)
    assert f"_offer from the {words.mentor}_" in everything
    assert f"*Without {words.a_mentor}* (4)" in everything
    assert "Mentoring program export as of" in everything
