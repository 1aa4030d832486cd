"""Admin-routed matching and pushed recommendations, through the real app and the fake Slack."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from blocks.ids import Action, Field
from fakeslack import surfaces
from fakeslack.blockkit import APP_VIEW_KEYS
from handlers.access import REFUSAL
from mentoring.program.settings_changes import update_settings
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, Recommendation, Relationship, Request
from tests.conftest import NOW, TEAM
from tests.scenario.harness import Harness, texts, view_json
from tests.scenario.test_journey import enroll, enroll_cast

MESSAGE = "I'd love help moving into engineering management this year."


def configure(slack: Harness, **changes: Any) -> None:
    with slack.db.write() as s:
        update_settings(session=s, team_id=TEAM, actor="UADMIN", changes=changes, now=NOW)


def enroll_priya(slack: Harness) -> None:
    slack.state.add_user(
        "UPRIYA", name="priya", real_name="Priya Nair", display_name="Priya Nair", tz="UTC"
    )
    enroll(
        slack,
        "UPRIYA",
        {Field.ROLES: ["mentor"], Field.FUNCTIONAL_AREA: "Product", Field.EXPERTISE: ["writing"]},
    )


def buttons(view: dict[str, Any], action_id: str) -> list[tuple[str, str]]:
    """(label, value) of every button with ``action_id`` in a view or message."""
    found = []
    for block in view.get("blocks", []):
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                found.append((element["text"]["text"], element.get("value", "")))
    return found


def preference_ids(slack: Harness) -> dict[str, int]:
    """Slack user id of each preferred mentor -> the preference's request id."""
    with slack.db.read() as s:
        rows = s.execute(
            select(Member.slack_user_id, Request.id)
            .join(Member, Member.id == Request.mentor_id)
            .where(Request.kind == RequestKind.ADMIN_ROUTED)
        ).all()
    return {str(user): int(request_id) for user, request_id in rows}


def open_as(slack: Harness, user: str, view: dict[str, Any]) -> dict[str, Any]:
    """The same modal open in ``user``'s own Slack: their clicks come from inside it."""
    definition = {k: view[k] for k in APP_VIEW_KEYS if k in view}
    return view_json(surfaces.open_modal(slack.state, definition, user))


def submit_preferences(slack: Harness) -> None:
    """Erin chooses Maya from the directory, then Omar and Priya, and sends them."""
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    assert ("Choose", "UMAYA") in buttons(search, Action.REQUEST_MENTOR)
    assert not [label for label, _v in buttons(search, Action.REQUEST_MENTOR) if label == "Request"]
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=search)
    form = slack.modal("UERIN")
    assert form["callback_id"] == "preferences"
    first = next(b for b in form["blocks"] if b.get("block_id") == Field.PREFERENCE_1)
    assert first["element"]["initial_option"]["value"] == "UMAYA"
    answer = slack.submit(
        "UERIN",
        form,
        {Field.PREFERENCE_2: "UOMAR", Field.PREFERENCE_3: "UPRIYA", Field.MESSAGE: MESSAGE},
    )
    assert answer["response_action"] == "update"
    sent = texts(slack.modal("UERIN"))
    assert "Your preferences are with the program admins" in sent
    assert sent.index("Maya Chen") < sent.index("Omar Haddad") < sent.index("Priya Nair")


def test_preferences_queue_assign_tells_the_pair_and_closes_the_rest(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed")
    submit_preferences(slack)

    home = texts(slack.open_home("UERIN"))
    assert "My preferred mentors" in home and "waiting for a program admin" in home
    assert ("Withdraw", str(preference_ids(slack)["UMAYA"])) in buttons(
        slack.home("UERIN"), Action.WITHDRAW_PREFERENCES
    )
    for mentor in ("UMAYA", "UOMAR", "UPRIYA"):
        assert slack.dm(mentor) == []  # nobody was asked anything
    assert "Waiting for your answer" not in texts(slack.open_home("UOMAR"))

    slack.command("UADMIN", "/mentor-admin", "queue")
    queue = slack.modal("UADMIN")
    shown = texts(queue)
    assert "1 mentee waiting to be matched" in shown
    assert "Erin Walsh" in shown and "engineering management" in shown
    assert "1. *Maya Chen*" in shown and "2. *Omar Haddad*" in shown and "3. *Priya Nair*" in shown
    assert "% match" in shown and "3 of 3 slots open" in shown
    ids = preference_ids(slack)
    assert sorted(v for _l, v in buttons(queue, Action.ASSIGN)) == sorted(map(str, ids.values()))

    slack.click("UADMIN", Action.ASSIGN, value=str(ids["UOMAR"]), view=queue)

    updated = texts(slack.modal("UADMIN"))
    assert "*Erin Walsh* and *Omar Haddad* are matched" in updated
    assert "Nobody is waiting to be matched" in updated
    with slack.db.read() as s:
        relationship = s.scalars(select(Relationship)).one()
        statuses = dict(
            s.execute(
                select(Request.preference_rank, Request.status).where(
                    Request.kind == RequestKind.ADMIN_ROUTED
                )
            ).all()
        )
    assert relationship.status is RelationshipStatus.ACTIVE
    assert relationship.request_id == ids["UOMAR"]
    assert statuses == {
        1: RequestStatus.CANCELLED,
        2: RequestStatus.ACCEPTED,
        3: RequestStatus.CANCELLED,
    }
    # The pair: the same group DM introduction as an accepted request, and one DM each.
    assert relationship.conversation_id is not None
    intro = texts(slack.state.messages(relationship.conversation_id)[-1].to_api())
    assert "<@UOMAR>" in intro and "<@UERIN>" in intro and "engineering management" in intro
    to_erin = texts(slack.dm("UERIN")[-1])
    assert "matched you with *Omar Haddad*" in to_erin and relationship.conversation_id in to_erin
    to_omar = texts(slack.dm("UOMAR")[-1])
    assert "matched you with *Erin Walsh*" in to_omar and "engineering management" in to_omar
    assert slack.dm("UMAYA") == [] and slack.dm("UPRIYA") == []
    assert "matched with *Omar Haddad*" in texts(slack.home("UERIN"))


def test_admin_closes_with_a_reason_the_mentee_sees(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed")
    submit_preferences(slack)
    slack.command("UADMIN", "/mentor-admin", "queue")
    queue = slack.modal("UADMIN")
    head = preference_ids(slack)["UMAYA"]
    slack.click("UADMIN", Action.CLOSE_SUBMISSION, value=str(head), view=queue)
    ask = slack.modal("UADMIN")
    assert ask["callback_id"] == "queue.close" and "Erin Walsh" in texts(ask)
    answer = slack.submit(
        "UADMIN", ask, {Field.REASON: "None of them has room <!here> until June."}
    )
    assert answer == {}
    back = slack.modal("UADMIN")
    assert back["id"] == queue["id"]
    assert "Closed *Erin Walsh*'s preferences" in texts(back)
    with slack.db.read() as s:
        closed = s.scalars(select(Request.status).where(Request.kind == RequestKind.ADMIN_ROUTED))
        assert set(closed) == {RequestStatus.CLOSED_BY_ADMIN}
    notice = texts(slack.dm("UERIN")[-1])
    assert "closed your preferences" in notice and "&lt;!here&gt; until June" in notice
    assert "<!here>" not in notice
    home = texts(slack.open_home("UERIN"))
    assert "closed by a program admin" in home and "until June" in home
    assert ("Choose your mentors", "") in [
        (label, value or "")
        for label, value in buttons(slack.home("UERIN"), Action.OPEN_PREFERENCES)
    ]
    for mentor in ("UMAYA", "UOMAR", "UPRIYA"):
        assert slack.dm(mentor) == []


def test_mentee_withdraws_preferences_from_home(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed")
    submit_preferences(slack)
    home = slack.open_home("UERIN")
    slack.click("UERIN", Action.WITHDRAW_PREFERENCES, view=home)
    assert "withdrawn" in texts(slack.home("UERIN"))
    slack.command("UADMIN", "/mentor-admin", "queue")
    assert "Nobody is waiting to be matched" in texts(slack.modal("UADMIN"))


def test_non_admins_are_refused_on_every_admin_entry_point(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed")
    submit_preferences(slack)
    for sub in ("queue", "recommend"):
        slack.command("UMAYA", "/mentor-admin", sub)
    assert slack.told("UMAYA") == [REFUSAL, REFUSAL]

    slack.command("UADMIN", "/mentor-admin", "queue")
    queue = slack.modal("UADMIN")
    ids = preference_ids(slack)
    # Buttons carry ids only: a non-admin pressing them (the same view open in their own
    # Slack, as a forged payload would claim) is refused by the server, over that view.
    copy = open_as(slack, "USTRANGER", queue)
    slack.click("USTRANGER", Action.ASSIGN, value=str(ids["UMAYA"]), view=copy)
    assert REFUSAL in texts(slack.modal("USTRANGER"))
    slack.click("USTRANGER", Action.CLOSE_SUBMISSION, value=str(ids["UMAYA"]), view=copy)
    refusal = slack.modal("USTRANGER")  # another refusal, not the reason form
    assert refusal["callback_id"] == "notice" and REFUSAL in texts(refusal)
    assert slack.modal("UADMIN")["id"] == queue["id"]  # the admin's own queue is untouched

    slack.click("UADMIN", Action.CLOSE_SUBMISSION, value=str(ids["UMAYA"]), view=queue)
    ask = slack.modal("UADMIN")
    refused = slack.submit("USTRANGER", ask, {Field.REASON: "No reason at all."})
    assert refused["response_action"] == "update" and texts(refused["view"]["blocks"]) == REFUSAL

    slack.command("UADMIN", "/mentor-admin", "recommend")
    form = slack.modal("UADMIN")
    refused = slack.submit("USTRANGER", form, {Field.PER_MENTEE: "2"})
    assert refused["errors"] == {Field.PER_MENTEE: REFUSAL}

    with slack.db.read() as s:
        assert s.scalars(select(Relationship)).all() == []
        assert s.scalars(select(Recommendation)).all() == []
        pending = s.scalars(select(Request.status).where(Request.kind == RequestKind.ADMIN_ROUTED))
        assert set(pending) == {RequestStatus.PENDING}


def test_pushed_recommendations_reach_the_mentees_dm_and_home(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    slack.command("UADMIN", "/mentor-admin", "recommend")
    form = slack.modal("UADMIN")
    assert form["callback_id"] == "recommend"
    answer = slack.submit("UADMIN", form, {Field.PER_MENTEE: "2"})
    assert answer["response_action"] == "update"
    assert "direct message" in texts(slack.modal("UADMIN"))

    report = texts(slack.dm("UADMIN")[-1])
    assert "Recommendations sent" in report
    assert "*1 mentee* got 2 recommendations (up to 2 each)" in report
    assert "at most 1 time each" in report

    with slack.db.read() as s:
        recommended = s.scalars(
            select(Member.slack_user_id)
            .join(Recommendation, Recommendation.mentor_id == Member.id)
            .order_by(Recommendation.rank)
        ).all()
    assert recommended[0] == "UMAYA"  # management and Engineering: Erin's best match
    message = slack.dm("UERIN")[-1]
    shown = texts(message)
    assert "Mentors recommended for you" in shown and "Maya Chen" in shown
    assert [v for _l, v in buttons(message, Action.REQUEST_MENTOR)] == list(recommended)
    home = texts(slack.open_home("UERIN"))
    assert "recommended for you by the program" in home and "Maya Chen" in home

    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", message=message)
    assert slack.modal("UERIN")["callback_id"] == "request"


def test_recommendations_only_restricts_search_and_requests(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, directory_mode="recommendations_only")
    slack.command("UERIN", "/find-mentor")
    assert "yours will appear here" in texts(slack.modal("UERIN"))

    slack.command("UADMIN", "/mentor-admin", "recommend")
    slack.submit("UADMIN", slack.modal("UADMIN"), {Field.PER_MENTEE: "1"})
    slack.command("UERIN", "/find-mentor")
    search = texts(slack.modal("UERIN"))
    assert "the mentors the program recommended for you" in search
    assert "Maya Chen" in search and "Omar Haddad" not in search and "Priya Nair" not in search

    # A Request button for someone else (an old message, a forged payload): refused inline.
    dm = slack.dm("UERIN")[-1]
    slack.send(
        slack.inbound.block_actions(
            "UERIN",
            [{"action_id": Action.REQUEST_MENTOR, "value": "UOMAR"}],
            message=dm,
            channel=slack.state.dm_channel("UERIN"),
        )
    )
    answer = slack.submit("UERIN", slack.modal("UERIN"), {Field.MESSAGE: MESSAGE})
    assert "Omar Haddad isn't one of yours right now" in answer["errors"][Field.MESSAGE]
    with slack.db.read() as s:
        assert s.scalars(select(Request)).all() == []


def test_preference_rules_show_next_to_the_choice(slack: Harness) -> None:
    enroll_cast(slack)
    enroll_priya(slack)
    configure(slack, matching_mode="admin_routed")
    home = slack.open_home("UERIN")
    slack.click("UERIN", Action.OPEN_PREFERENCES, view=home)
    form = slack.modal("UERIN")
    # The third choice repeats the first; the second is left empty.
    answer = slack.submit(
        "UERIN",
        form,
        {Field.PREFERENCE_1: "UOMAR", Field.PREFERENCE_3: "UOMAR", Field.MESSAGE: MESSAGE},
    )
    assert answer["response_action"] == "errors"
    assert "You chose this person already" in answer["errors"][Field.PREFERENCE_3]
    answer = slack.submit(
        "UERIN",
        form,
        {Field.PREFERENCE_1: "UOMAR", Field.PREFERENCE_3: None, Field.MESSAGE: "too short"},
    )
    assert "at least 20 characters" in answer["errors"][Field.MESSAGE]
    with slack.db.read() as s:
        assert s.scalars(select(Request)).all() == []
    answer = slack.submit("UERIN", form, {Field.MESSAGE: MESSAGE})
    assert answer["response_action"] == "update"
    assert buttons(slack.home("UERIN"), Action.OPEN_PREFERENCES) == []
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))
    assert "already with the program admins" in texts(slack.modal("UERIN"))
