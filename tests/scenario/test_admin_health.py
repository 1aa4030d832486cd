"""/mentor-admin health on a fixed data set: every figure as the admin reads it, by hand.

Now is Monday Mar 2 2026, 09:00 UTC. The program (all times 09:00 UTC unless noted):

    A  Erin -> Maya   created Feb 2   accepted Feb 3           24 h   (Maya's only slot)
    B  Finn -> Maya   created Feb 4   declined Feb 6  (time)   48 h
    C  Gus  -> Omar   created Feb 10  declined Feb 10 15:00     6 h   (time)
    D  Hana -> Omar   created Feb 11  expired Feb 25
    E  Gus  -> Maya   created Feb 20  pending                 240 h by now
    F  Finn -> Omar   created Feb 27  pending                  72 h by now
    G  Gus  -> Omar   created Jan 20  pending                 984 h by now (before any period)
    H  Hana -> Maya   created Feb 25  withdrawn Feb 26
    Ivy never sent a request.

Last 30 days = requests created after Jan 31 09:00: A-F and H.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from blocks.ids import Action, View
from store.enums import RequestStatus
from store.models import Member
from tests import factories
from tests.rows import add_meeting, add_relationship, add_request
from tests.scenario.admin_helpers import choose, settings
from tests.scenario.harness import Harness, texts

TIME = "I don't have time right now"


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def seed(slack: Harness) -> None:
    db = slack.db
    factories.workspace(db)
    maya = factories.mentor(db, "UMAYA", display_name="Maya Chen", mentor_capacity=1).id
    omar = factories.mentor(db, "UOMAR", display_name="Omar Haddad", mentor_capacity=3).id
    erin = factories.mentee(db, "UERIN", display_name="Erin Walsh").id
    finn = factories.mentee(db, "UFINN", display_name="Finn <!channel> Ito").id
    gus = factories.mentee(db, "UGUS", display_name="Gus Gray").id
    hana = factories.mentee(db, "UHANA", display_name="Hana Hill").id
    factories.mentee(db, "UIVY", display_name="Ivy Iles")
    s_ = RequestStatus
    with db.write() as s:
        a = add_request(s, erin, maya, at(2, 2), s_.ACCEPTED, at(2, 3))
        add_request(s, finn, maya, at(2, 4), s_.DECLINED, at(2, 6), reason=TIME)
        add_request(s, gus, omar, at(2, 10), s_.DECLINED, at(2, 10, 15), reason=TIME)
        add_request(s, hana, omar, at(2, 11), s_.EXPIRED, at(2, 25))
        add_request(s, gus, maya, at(2, 20))
        add_request(s, finn, omar, at(2, 27))
        add_request(s, gus, omar, at(1, 20))
        add_request(s, hana, maya, at(2, 25), s_.WITHDRAWN, at(2, 26))
        add_relationship(s, maya, erin, at(2, 3), a)


def test_the_last_30_days_as_displayed(slack: Harness) -> None:
    seed(slack)
    assert slack.clock.now == at(3, 2)

    slack.command("UADMIN", "/mentor-admin", "health")

    view = slack.modal("UADMIN")
    assert view["callback_id"] == View.ADMIN_HEALTH
    shown = texts({"blocks": view["blocks"]})
    assert "Requests created <!date^" in shown and "|Jan 31, 2026> – <!date^" in shown
    assert (
        "*Sent*\n7\n*Still pending*\n2\n*Accepted*\n1 (25%)\n*Declined*\n2 (50%)\n"
        "*Expired*\n1 (25%)\n*Closed by an admin*\n0\n*Withdrawn or cancelled*\n1"
    ) in shown
    assert "Rates are shares of the 4 requests with an outcome" in shown
    assert (
        "• Until answered (accepted or declined): average 26 h, median 24 h (3 requests)\n"
        "• Sent in this period and still waiting: average 6.5 days, median 6.5 days "
        "(2 requests)\n"
        "• Every request pending now: average 18 days, median 10 days (3 requests)"
    ) in shown
    assert f"• {TIME}: 2 (100%)" in shown
    assert (
        "• Maya Chen: average 36 h, median 36 h (2 answered), 1 waiting\n"
        "• Omar Haddad: average 6 h, median 6 h (1 answered), 1 waiting"
    ) in shown
    assert "*At capacity* (1)\nMaya Chen (1 of 1)" in shown
    assert (
        "*Without a mentor* (4)\nFinn &lt;!channel&gt; Ito, Gus Gray, Hana Hill, Ivy Iles\n"
        "_1 of them never sent a request._"
    ) in shown
    assert (
        "```\n"
        "Week of                   sent  acc  dec  exp\n"
        "Jan 26                       0    0    0    0\n"
        "Feb 02   ████████████████    2    1    1    0\n"
        "Feb 09   ████████████████    2    0    1    0\n"
        "Feb 16   ████████            1    0    0    0\n"
        "Feb 23   ████████████████    2    0    0    1\n"
        "Mar 02                       0    0    0    0\n"
        "```"
    ) in shown


def test_picking_the_last_7_days_redraws_in_place(slack: Harness) -> None:
    seed(slack)
    slack.command("UADMIN", "/mentor-admin", "health")
    first = slack.modal("UADMIN")

    choose(slack, "UADMIN", Action.ADMIN_HEALTH_PERIOD, "7")

    view = slack.modal("UADMIN")
    assert view["id"] == first["id"]
    shown = texts({"blocks": view["blocks"]})
    assert view["blocks"][0]["elements"][0]["initial_option"]["value"] == "7"
    # Created after Feb 23 09:00: H and F.
    assert "*Sent*\n2\n*Still pending*\n1\n*Accepted*\n0 (–)\n*Declined*\n0 (–)" in shown
    assert "• Until answered (accepted or declined): none" in shown
    assert (
        "• Sent in this period and still waiting: average 3 days, median 3 days (1 request)"
        in shown
    )
    assert "• Every request pending now: average 18 days, median 10 days (3 requests)" in shown
    assert "No requests were declined in this period." in shown
    assert "• Omar Haddad: nothing answered yet, 1 waiting" in shown and "• Maya" not in shown
    assert (
        "Feb 23   ████████████████    2    0    0    1\n"
        "Mar 02                       0    0    0    0"
    ) in shown


def test_a_period_can_be_named_and_a_wrong_one_is_explained(slack: Harness) -> None:
    seed(slack)
    slack.command("UADMIN", "/mentor-admin", "health 90")
    select = slack.modal("UADMIN")["blocks"][0]["elements"][0]
    assert select["initial_option"]["value"] == "90"
    assert "*Sent*\n8" in texts(slack.modal("UADMIN"))  # G, from Jan 20, is inside 90 days

    slack.state.reset_calls()
    slack.command("UADMIN", "/mentor-admin", "health 14")
    assert slack.told("UADMIN")[-1] == (
        "The health report covers the last 7, 30, 90 or 365 days: try `/mentor-admin health 90`."
    )
    assert slack.calls("views.open") == []


def seed_meetings(slack: Harness) -> None:
    """One-time meeting requests beside the requests of ``seed`` (times 09:00 UTC unless noted):

    a  Erin -> Maya  created Feb 2   accepted  Feb 2 15:00    6 h
    b  Finn -> Maya  created Feb 9   declined  Feb 10        24 h
    c  Gus  -> Omar  created Feb 16  accepted  Feb 16 11:00   2 h
    d  Hana -> Omar  created Feb 16  expired   Feb 20        96 h
    e  Erin -> Omar  created Feb 23  closed    Feb 24        24 h  (exactly 7 days ago)
    f  Gus  -> Maya  created Feb 24  withdrawn Feb 24 21:00  12 h
    g  Finn -> Omar  created Feb 28  pending                 48 h by now
    h  Hana -> Maya  created Mar 1 21:00  pending            12 h by now
    i  Ivy  -> Maya  created Jan 20  accepted  Jan 21        (before the last 30 days)
    """
    with slack.db.read() as s:
        ids = {m.slack_user_id: m.id for m in s.scalars(select(Member))}
    s_ = RequestStatus
    rows = (
        ("UERIN", "UMAYA", at(2, 2), s_.ACCEPTED, at(2, 2, 15)),
        ("UFINN", "UMAYA", at(2, 9), s_.DECLINED, at(2, 10)),
        ("UGUS", "UOMAR", at(2, 16), s_.ACCEPTED, at(2, 16, 11)),
        ("UHANA", "UOMAR", at(2, 16), s_.EXPIRED, at(2, 20)),
        ("UERIN", "UOMAR", at(2, 23), s_.CLOSED_BY_ADMIN, at(2, 24)),
        ("UGUS", "UMAYA", at(2, 24), s_.WITHDRAWN, at(2, 24, 21)),
        ("UFINN", "UOMAR", at(2, 28), s_.PENDING, None),
        ("UHANA", "UMAYA", at(3, 1, 21), s_.PENDING, None),
        ("UIVY", "UMAYA", at(1, 20), s_.ACCEPTED, at(1, 21)),
    )
    with slack.db.write() as s:
        for mentee, mentor, created, status, answered in rows:
            add_meeting(
                s,
                ids[mentee],
                ids[mentor],
                created,
                status,
                answered,
                times=[at(3, 9)],
                reason=TIME,
            )


def meeting_section(view: dict[str, Any]) -> str:
    """The report's text from the "One-time meetings" header to the next header."""
    blocks = view["blocks"]
    first = next(i for i, b in enumerate(blocks) if texts(b) == "One-time meetings")
    last = next(i for i, b in enumerate(blocks) if i > first and b["type"] == "header")
    return texts({"blocks": blocks[first:last]})


def test_one_time_meetings_beside_the_mentoring_figures(slack: Harness) -> None:
    """Last 30 days: a-h. Decided (accepted, declined, expired, closed) = 5: 2 accepted (40%),
    1 declined (20%), 1 expired (20%). Answered: 2, 6, 24 h -> average 32/3 = 10.7 h, median
    6 h. Left pending: 2, 6, 12, 24, 24, 96 h -> average 164/6 = 27.3 h, median 18 h. Still
    waiting: 12 and 48 h -> 30 h both."""
    seed(slack)
    seed_meetings(slack)
    settings(slack, terminology={"mentor": "guide", "mentee": "learner"})

    slack.command("UADMIN", "/mentor-admin", "health")

    view = slack.modal("UADMIN")
    shown = texts({"blocks": view["blocks"]})
    # The mentoring figures are those of the requests alone, as before.
    assert "*Sent*\n7\n*Still pending*\n2\n*Accepted*\n1 (25%)" in shown
    assert "_1 of them never sent a request._" in shown
    assert meeting_section(view) == (
        "One-time meetings\n"
        "*Requested*\n8\n*Still pending*\n2\n*Accepted*\n2 (40%)\n*Declined*\n1 (20%)\n"
        "*Expired*\n1 (20%)\n*Closed by an admin*\n1\n*Withdrawn*\n1\n"
        "Meeting requests created in the same period. Rates are shares of the 5 meeting "
        "requests with an outcome (accepted, declined, expired because every proposed time "
        "passed, or closed by an admin).\n"
        "*How long meeting requests sit pending*\n"
        "• Until the guide answered (accepted or declined): average 10.7 h, median 6 h "
        "(3 meeting requests)\n"
        "• Until any outcome (answered, withdrawn, expired or closed): average 27.3 h, "
        "median 18 h (6 meeting requests)\n"
        "• Sent in this period and still waiting: average 30 h, median 30 h "
        "(2 meeting requests)"
    )

    # The last 7 days start just after Feb 23 09:00: f, g and h, none decided.
    choose(slack, "UADMIN", Action.ADMIN_HEALTH_PERIOD, "7")
    week = meeting_section(slack.modal("UADMIN"))
    assert (
        "*Requested*\n3\n*Still pending*\n2\n*Accepted*\n0 (–)\n*Declined*\n0 (–)\n"
        "*Expired*\n0 (–)\n*Closed by an admin*\n0\n*Withdrawn*\n1"
    ) in week
    assert "Rates are shares of the 0 meeting requests with an outcome" in week
    assert "• Until the guide answered (accepted or declined): none" in week
    assert (
        "• Until any outcome (answered, withdrawn, expired or closed): average 12 h, "
        "median 12 h (1 meeting request)"
    ) in week

    # The last 90 days take in i as well: 3 of 6 decided were accepted.
    choose(slack, "UADMIN", Action.ADMIN_HEALTH_PERIOD, "90")
    quarter = meeting_section(slack.modal("UADMIN"))
    assert "*Requested*\n9\n" in quarter and "*Accepted*\n3 (50%)" in quarter


def test_the_meetings_section_says_when_there_is_nothing_to_count(slack: Harness) -> None:
    seed(slack)
    slack.command("UADMIN", "/mentor-admin", "health")
    assert meeting_section(slack.modal("UADMIN")) == (
        "One-time meetings\nOne-time meetings are turned off in this program."
    )
    settings(slack, flash_mentoring_enabled=True)
    choose(slack, "UADMIN", Action.ADMIN_HEALTH_PERIOD, "7")
    assert meeting_section(slack.modal("UADMIN")) == (
        "One-time meetings\nNo meeting requests were sent in this period."
    )
