"""Slack's user_change and team_join events, through the real app and the fake Slack."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from blocks.ids import Action, Field
from blocks.relationships.ids import RelAction
from mentoring.program.settings_changes import update_settings
from store.enums import RelationshipStatus, RequestStatus
from store.models import Event, Member, OutboxMessage, Relationship, Request
from tests.conftest import TEAM
from tests.scenario.admin_helpers import settings
from tests.scenario.harness import Harness, texts
from tests.scenario.relationship_helpers import action_ids, matched_pair
from tests.scenario.test_journey import enroll, enroll_cast, request_maya


def user_event(slack: Harness, kind: str, user_id: str, *, deleted: bool) -> Any:
    user = slack.state.user(user_id)
    assert user is not None
    user.deleted = deleted
    return slack.inbound.event({"type": kind, "user": user.to_api(slack.state.wall_clock())})


def test_a_deactivated_mentor_leaves_everything_closed_and_everyone_told(slack: Harness) -> None:
    relationship = matched_pair(slack)  # Maya mentors Erin
    enroll(slack, "UFINN", {Field.ROLES: ["mentee"], Field.FUNCTIONAL_AREA: "Engineering"})
    request_maya(slack, mentee="UFINN")
    event = user_event(slack, "user_change", "UMAYA", deleted=True)
    slack.send(event)
    slack.send(slack.inbound.retry(event))  # Events API retries are not de-duplicated by Bolt

    with slack.db.read() as s:
        maya = s.scalars(select(Member).where(Member.slack_user_id == "UMAYA")).one()
        assert maya.deactivated_at is not None and not maya.is_mentor
        request = s.scalars(select(Request).where(Request.status != RequestStatus.ACCEPTED)).one()
        assert request.status is RequestStatus.CANCELLED
        assert request.close_reason == "Maya Chen is no longer in this Slack workspace."
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.status is RelationshipStatus.ABANDONED
        assert (rel.end_cause, rel.at_risk_reason) == ("departure", "departed")
        departures = s.scalars(select(Event).where(Event.action == "member.deactivated")).all()
        assert len(departures) == 1
        asked_maya = s.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == "feedback.asked", OutboxMessage.recipient_id == maya.id
            )
        ).all()
        assert asked_maya == []
    finn = texts(slack.dm("UFINN")[-1])
    assert "Your request with Maya Chen was closed" in finn
    erin = texts(slack.dm("UERIN"))
    assert "Your mentoring with Maya Chen has ended" in erin
    assert any(RelAction.FEEDBACK in action_ids(m) for m in slack.dm("UERIN"))
    admin = texts(slack.dm("UADMIN"))
    assert admin.count("Maya Chen*'s Slack account was deactivated") == 1
    assert "1 waiting request(s) closed and 1 relationship(s) ended" in admin

    slack.command("UFINN", "/find-mentor")
    assert "Maya Chen" not in texts(slack.modal("UFINN"))  # out of the directory


def test_a_departure_reaches_slack_workspace_admins_when_they_count_as_admins(
    slack: Harness,
) -> None:
    slack.state.add_user("UOLGA", name="olga", display_name="Olga Owner", is_owner=True)
    matched_pair(slack)
    settings(slack, admins_from_slack=True)
    slack.send(user_event(slack, "user_change", "UMAYA", deleted=True))

    for admin in ("UADMIN", "UOLGA"):  # configured, and Slack's owner: each told once
        assert texts(slack.dm(admin)).count("Maya Chen*'s Slack account was deactivated") == 1


def test_a_reactivated_member_is_back_in_the_directory_but_not_in_old_pairs(
    slack: Harness,
) -> None:
    relationship = matched_pair(slack)
    slack.send(user_event(slack, "user_change", "UMAYA", deleted=True))
    slack.send(user_event(slack, "user_change", "UMAYA", deleted=False))
    with slack.db.read() as s:
        maya = s.scalars(select(Member).where(Member.slack_user_id == "UMAYA")).one()
        assert maya.deactivated_at is None and maya.is_mentor
        rel = s.get(Relationship, relationship.id)
        assert rel is not None and rel.status is RelationshipStatus.ABANDONED
    slack.command("UERIN", "/find-mentor")
    assert "Maya Chen" in texts(slack.modal("UERIN"))


def test_newcomers_are_welcomed_once_when_the_program_says_so(slack: Harness) -> None:
    slack.state.add_user("UNEW", name="nia", real_name="Nia New", tz="UTC")
    join = user_event(slack, "team_join", "UNEW", deleted=False)
    slack.send(join)
    assert slack.dm("UNEW") == []  # off by default
    slack.services.ensure_team(TEAM)
    with slack.db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"welcome_newcomers": True},
            renames={},
            now=slack.clock.now,
        )
    slack.send(join)
    slack.send(slack.inbound.retry(join))
    welcome = slack.dm("UNEW")
    assert len(welcome) == 1 and "mentoring program" in texts(welcome[0])
    assert Action.OPEN_PROFILE in action_ids(welcome[0])


def test_a_request_from_someone_who_left_closes_on_the_mentors_card(slack: Harness) -> None:
    enroll_cast(slack)
    enroll(slack, "UFINN", {Field.ROLES: ["mentee"], Field.FUNCTIONAL_AREA: "Engineering"})
    request_maya(slack, mentee="UFINN")
    slack.send(user_event(slack, "user_change", "UFINN", deleted=True))
    card = slack.dm("UMAYA")[0]  # the request's card, redrawn in place
    assert "Closed: Finn &lt;!channel&gt; Ito is no longer in this Slack workspace." in texts(card)
    assert not action_ids(card)
    assert "was closed" in texts(slack.dm("UMAYA")[-1])  # and Maya is told
