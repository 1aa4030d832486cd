"""Closure feedback, terms and the admins' oversight, through the real app and the fake Slack."""

from __future__ import annotations

from sqlalchemy import select

from blocks.ids import Action, Field
from blocks.relationships.ids import RelAction, RelField
from store.enums import RelationshipStatus
from store.models import Feedback, Relationship
from tests.scenario.admin_helpers import settings
from tests.scenario.harness import Harness, texts
from tests.scenario.relationship_helpers import action_ids, group_dm, matched_pair
from tests.scenario.test_reminders import tick


def finish_as(slack: Harness, user: str) -> None:
    home = slack.open_home(user)
    slack.click(user, Action.FINISH, view=home)
    slack.submit(user, slack.modal(user), {Field.NOTE: "Great months together"})


def feedback_card(slack: Harness, user: str) -> dict:
    return next(m for m in reversed(slack.dm(user)) if RelAction.FEEDBACK in action_ids(m))


def test_finishing_asks_both_for_feedback_once_with_one_reminder(slack: Harness) -> None:
    relationship = matched_pair(slack)
    finish_as(slack, "UERIN")
    card = feedback_card(slack, "UMAYA")
    assert "Your mentoring with *Erin Walsh* has ended" in texts(card)
    channel = slack.state.dm_channel("UMAYA")
    slack.click("UMAYA", RelAction.FEEDBACK, message=card, channel=channel)
    form = slack.modal("UMAYA")
    answer = slack.submit("UMAYA", form, {RelField.OUTCOME: "partly", RelField.NOTE: "x"})
    assert answer["response_action"] == "errors" and RelField.RATING in answer["errors"]
    answer = slack.submit(
        "UMAYA", form, {RelField.OUTCOME: "partly", RelField.RATING: "4", RelField.NOTE: "Good"}
    )
    assert answer["response_action"] == "update"
    assert RelAction.FEEDBACK not in action_ids(slack.dm("UMAYA")[-1])  # redrawn in place
    slack.click("UMAYA", RelAction.FEEDBACK, message=card, channel=channel)  # stale button
    assert slack.told("UMAYA") == ["You already shared your feedback. Thank you!"]

    erin_cards = len([m for m in slack.dm("UERIN") if RelAction.FEEDBACK in action_ids(m)])
    tick(slack, days=3)
    tick(slack, days=3)
    tick(slack, days=10)
    reminders = [m for m in slack.dm("UERIN") if RelAction.FEEDBACK in action_ids(m)]
    assert len(reminders) == erin_cards + 1  # one reminder, then nothing
    assert "Reminder" in texts(reminders[-1])
    assert len([m for m in slack.dm("UMAYA") if "Reminder" in texts(m)]) == 0
    with slack.db.read() as s:
        rows = {f.member_id: f for f in s.scalars(select(Feedback))}
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rows[rel.mentor_id].rating == 4
        assert rows[rel.mentor_id].outcome == "partly"
        assert rows[rel.mentee_id].answered_at is None


def test_a_term_asks_ten_days_before_and_extend_moves_the_end_once(slack: Harness) -> None:
    relationship = matched_pair(slack)
    settings(slack, relationship_term_days=60, checkin_every_days=0)
    tick(slack, days=49)
    assert len(group_dm(slack, relationship)) == 1
    tick(slack, days=1)  # 10 days before the end, Monday 09:00: Maya's working hours
    card = group_dm(slack, relationship)[-1]
    assert action_ids(card) == [RelAction.TERM_EXTEND, RelAction.TERM_FINISH]
    assert "Extend by 30 days" in str(card)
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.term_ends_at is not None
        first_end = rel.term_ends_at
    conversation = rel.conversation_id
    slack.click("UERIN", RelAction.TERM_EXTEND, message=card, channel=conversation)
    slack.click("UMAYA", RelAction.TERM_EXTEND, message=card, channel=conversation)  # too late
    assert slack.told("UMAYA") == ["This was already decided: the message above shows what."]
    card = group_dm(slack, relationship)[-1]
    assert action_ids(card) == [] and "Extended" in texts(card)
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and (rel.term_ends_at - first_end).days == 30  # type: ignore[operator]

    tick(slack, days=30)  # asked again 10 days before the new end
    card = group_dm(slack, relationship)[-1]
    assert action_ids(card) == [RelAction.TERM_EXTEND, RelAction.TERM_FINISH]
    tick(slack, days=10)  # nobody answered: it finishes on the date
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.status is RelationshipStatus.FINISHED
        assert rel.end_cause == "term"
    assert action_ids(group_dm(slack, relationship)[-1]) == []  # the question's card closed
    assert "finished at the end of its term" in texts(slack.dm("UERIN"))
    assert RelAction.FEEDBACK in action_ids(feedback_card(slack, "UERIN"))


def test_admins_see_a_pair_at_risk_nudge_it_and_end_it_with_a_reason(slack: Harness) -> None:
    relationship = matched_pair(slack)
    tick(slack, days=14)
    tick(slack, days=14)
    tick(slack, days=14)  # two check-ins closed with no answer at all
    slack.command("UADMIN", "/mentor-admin", "relationships")
    view = slack.modal("UADMIN")
    assert "nobody answered the last two check-ins" in texts(view)
    digest = texts(slack.dm("UADMIN")[-1])  # Monday's digest names the pair too
    assert "1 pair at risk" in digest and "Maya Chen & Erin Walsh: nobody answered" in digest

    slack.click("UADMIN", RelAction.ADMIN_NUDGE, view=view, value=str(relationship.id))
    assert "Nudged" in texts(slack.modal("UADMIN"))
    assert "friendly nudge" in texts(slack.dm("UERIN")[-1])
    slack.click(
        "UADMIN", RelAction.ADMIN_NUDGE, view=slack.modal("UADMIN"), value=str(relationship.id)
    )
    assert "Try again in" in texts(slack.modal("UADMIN"))
    assert len([m for m in slack.dm("UERIN") if "friendly nudge" in texts(m)]) == 1

    slack.click(
        "UADMIN", RelAction.ADMIN_END, view=slack.modal("UADMIN"), value=str(relationship.id)
    )
    form = slack.modal("UADMIN")
    assert slack.submit("UADMIN", form, {RelField.REASON: " "})["response_action"] == "errors"
    assert slack.submit("UADMIN", form, {RelField.REASON: "They moved teams"}) == {}
    assert "Ended" in texts(slack.modal("UADMIN"))
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.status is RelationshipStatus.ABANDONED
        assert rel.end_cause == "admin"
    for user in ("UMAYA", "UERIN"):
        told = texts(slack.dm(user))
        assert "A program admin ended your mentoring" in told and "They moved teams" in told
        assert RelAction.FEEDBACK in action_ids(feedback_card(slack, user))


def test_finish_on_the_date_confirms_the_end_and_closes_the_question(slack: Harness) -> None:
    relationship = matched_pair(slack)
    settings(slack, relationship_term_days=60, checkin_every_days=0)
    tick(slack, days=50)  # 10 days before the end: the pair is asked
    card = group_dm(slack, relationship)[-1]
    assert action_ids(card) == [RelAction.TERM_EXTEND, RelAction.TERM_FINISH]
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.term_ends_at is not None
        end, conversation = rel.term_ends_at, rel.conversation_id

    slack.click("UMAYA", RelAction.TERM_FINISH, message=card, channel=conversation)
    answered = group_dm(slack, relationship)[-1]
    assert action_ids(answered) == [] and "You'll finish on" in texts(answered)
    slack.click("UERIN", RelAction.TERM_EXTEND, message=card, channel=conversation)  # stale
    assert slack.told("UERIN") == ["This was already decided: the message above shows what."]
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.term_ends_at == end  # not extended
        assert rel.status is RelationshipStatus.ACTIVE

    tick(slack, days=10)
    with slack.db.read() as s:
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.status is RelationshipStatus.FINISHED
        assert rel.end_cause == "term"
