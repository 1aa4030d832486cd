"""Goals and check-ins, through the real app and the fake Slack."""

from __future__ import annotations

from sqlalchemy import select

from blocks.ids import Action
from blocks.relationships.ids import RelAction, RelField
from store.models import CheckIn, Event, Goal, OutboxMessage, Relationship
from tests.scenario.admin_helpers import settings
from tests.scenario.harness import Harness, texts
from tests.scenario.relationship_helpers import action_ids, group_dm, matched_pair
from tests.scenario.test_reminders import tick
from tests.snapshot import snapshot


def test_either_person_writes_goals_and_marks_one_done_in_the_group_dm(slack: Harness) -> None:
    relationship = matched_pair(slack)
    intro = group_dm(slack, relationship)[0]
    assert "Write our goals" in texts(intro)
    conversation = group_dm_channel(slack, relationship)

    slack.click("UERIN", RelAction.EDIT_GOALS, message=intro, channel=conversation)
    form = slack.modal("UERIN")
    answer = slack.submit(
        "UERIN",
        form,
        {RelField.GOAL_1: "Lead a design review", RelField.GOAL_2: "x" * 0, RelField.GOAL_3: ""},
    )
    assert answer["response_action"] == "update"
    intro = group_dm(slack, relationship)[0]  # redrawn in place
    assert "Lead a design review" in texts(intro)
    assert RelAction.GOAL_DONE in action_ids(intro)
    assert "Lead a design review" in texts(slack.open_home("UMAYA"))
    home = slack.open_home("UERIN")
    slack.click("UERIN", Action.VIEW_PROFILE, value="UMAYA", view=home)
    assert "Lead a design review" in texts(slack.modal("UERIN"))  # the profile's mentoring

    slack.click("UMAYA", RelAction.GOAL_DONE, message=intro, channel=conversation)
    slack.click("UMAYA", RelAction.GOAL_DONE, message=intro, channel=conversation)  # double
    assert slack.told("UMAYA") == ["That goal is already marked done."]
    slack.click("UOMAR", RelAction.EDIT_GOALS, message=intro, channel=conversation)
    assert "Only the mentor and mentee" in slack.told("UOMAR")[0]
    with slack.db.read() as s:
        goal = s.scalars(select(Goal)).one()
        assert goal.done_at is not None
    assert RelAction.GOAL_DONE not in action_ids(group_dm(slack, relationship)[0])


def test_a_goal_too_long_is_refused_inline_and_nothing_saved(slack: Harness) -> None:
    relationship = matched_pair(slack)
    intro = group_dm(slack, relationship)[0]
    slack.click(
        "UMAYA", RelAction.EDIT_GOALS, message=intro, channel=group_dm_channel(slack, relationship)
    )
    answer = slack.submit(
        "UMAYA", slack.modal("UMAYA"), {RelField.GOAL_1: "y" * 150, RelField.GOAL_2: ""}
    )
    assert answer["response_action"] == "update"  # 150 fits
    slack.click(
        "UMAYA", RelAction.EDIT_GOALS, message=intro, channel=group_dm_channel(slack, relationship)
    )
    answer = slack.submit("UMAYA", slack.modal("UMAYA"), {RelField.GOAL_1: "", RelField.GOAL_2: ""})
    assert answer == {
        "response_action": "errors",
        "errors": {RelField.GOAL_1: "Write at least one goal."},
    }
    with slack.db.read() as s:
        assert [g.text for g in s.scalars(select(Goal))] == ["y" * 150]


def test_a_check_in_arrives_after_14_days_and_both_answers_update_the_card(slack: Harness) -> None:
    relationship = matched_pair(slack)
    tick(slack, days=13)
    assert len(group_dm(slack, relationship)) == 1  # only the introduction
    tick(slack, days=1)
    messages = group_dm(slack, relationship)
    assert len(messages) == 2
    card = messages[-1]
    assert "have you met since" in texts(card)
    assert action_ids(card)[:3] == [
        RelAction.CHECKIN_YES,
        RelAction.CHECKIN_NOT_YET,
        RelAction.CHECKIN_HELP,
    ]
    conversation = group_dm_channel(slack, relationship)

    slack.click("UMAYA", RelAction.CHECKIN_YES, message=card, channel=conversation)
    before = snapshot(slack.db)
    slack.click("UMAYA", RelAction.CHECKIN_NOT_YET, message=card, channel=conversation)
    assert snapshot(slack.db) == before  # a second answer changes nothing
    slack.click("UOMAR", RelAction.CHECKIN_YES, message=card, channel=conversation)
    assert slack.told("UMAYA") == ["You already answered this check-in. Thank you!"]
    assert "Only the mentor and mentee" in slack.told("UOMAR")[0]
    card = group_dm(slack, relationship)[-1]
    assert "Maya Chen (mentor): :white_check_mark: yes, we met" in texts(card)
    assert "not answered yet" in texts(card)

    slack.click("UERIN", RelAction.CHECKIN_YES, message=card, channel=conversation)
    card = group_dm(slack, relationship)[-1]
    assert action_ids(card) == []  # both answered: no live buttons
    assert len(group_dm(slack, relationship)) == 2  # updated in place, nothing new posted
    with slack.db.read() as s:
        checkin = s.scalars(select(CheckIn)).one()
        assert (checkin.mentor_answer, checkin.mentee_answer) == ("yes", "yes")
        answers = s.scalars(
            select(Event.action).where(Event.action == "relationship.checkin_answered")
        ).all()
        assert len(answers) == 2

    tick(slack, days=1)
    assert len(group_dm(slack, relationship)) == 2  # asked at most once per period


def test_we_need_help_asks_for_a_note_tells_the_admins_and_flags_the_pair(slack: Harness) -> None:
    relationship = matched_pair(slack)
    tick(slack, days=14)
    card = group_dm(slack, relationship)[-1]
    conversation = group_dm_channel(slack, relationship)
    slack.click("UERIN", RelAction.CHECKIN_HELP, message=card, channel=conversation)
    form = slack.modal("UERIN")
    assert slack.submit("UERIN", form, {RelField.NOTE: "  "})["response_action"] == "errors"
    answer = slack.submit("UERIN", form, {RelField.NOTE: "We can't find <!channel> a time"})
    assert answer["response_action"] == "update"
    told = texts(slack.dm("UADMIN")[-1])
    assert "Erin Walsh* asked for help" in told and "&lt;!channel&gt;" in told
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.at_risk_reason == "help"
    slack.click("UERIN", RelAction.CHECKIN_HELP, message=card, channel=conversation)
    assert slack.told("UERIN") == ["You already answered this check-in. Thank you!"]


def test_a_call_for_help_reaches_slack_workspace_admins_when_they_count_as_admins(
    slack: Harness,
) -> None:
    slack.state.add_user("UOLGA", name="olga", display_name="Olga Owner", is_owner=True)
    relationship = matched_pair(slack)
    settings(slack, admins_from_slack=True)
    tick(slack, days=14)
    card = group_dm(slack, relationship)[-1]
    slack.click(
        "UERIN", RelAction.CHECKIN_HELP, message=card, channel=group_dm_channel(slack, relationship)
    )
    slack.submit("UERIN", slack.modal("UERIN"), {RelField.NOTE: "We never find a time"})

    for admin in ("UADMIN", "UOLGA"):  # configured, and Slack's owner: each told once
        assert texts(slack.dm(admin)).count("Erin Walsh* asked for help") == 1


def test_rating_is_private_and_taken_once(slack: Harness) -> None:
    relationship = matched_pair(slack)
    tick(slack, days=14)
    card = group_dm(slack, relationship)[-1]
    conversation = group_dm_channel(slack, relationship)
    rate = next(
        e
        for b in card["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == RelAction.CHECKIN_RATE
    )
    four = next(o for o in rate["options"] if o["value"].endswith(":4"))
    click = slack.inbound.block_actions(
        "UMAYA",
        [{**rate, "selected_option": four, "type": "static_select"}],
        message=card,
        channel=conversation,
    )
    slack.send(click)
    slack.send(slack.inbound.retry(click))
    card = group_dm(slack, relationship)[-1]
    assert (
        "shared how it is going" in texts(card) and "4" not in texts(card).split("(mentor)")[1][:40]
    )
    with slack.db.read() as s:
        assert s.scalars(select(CheckIn.mentor_rating)).one() == 4
    assert slack.told("UMAYA") == ["You already said how it is going for this check-in. Thank you!"]


def test_check_ins_are_off_when_the_program_sets_0(slack: Harness) -> None:
    from mentoring.program.settings_changes import update_settings

    relationship = matched_pair(slack)
    with slack.db.write() as s:
        update_settings(
            session=s,
            team_id=relationship.team_id,
            actor="UADMIN",
            changes={"checkin_every_days": 0},
            renames={},
            now=slack.clock.now,
        )
    tick(slack, days=30)
    assert len(group_dm(slack, relationship)) == 1
    with slack.db.read() as s:
        assert not s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "checkin.asked")
        ).all()


def group_dm_channel(slack: Harness, relationship: Relationship) -> str:
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.conversation_id is not None
        return rel.conversation_id
