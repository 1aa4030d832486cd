"""Seeding: the demo program as a whole, written in one transaction; what to tell the operator."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.demo.after_match import play_after_match
from bot.demo.people import ADMIN, DemoPerson, PersonPlan, build_people
from bot.demo.stories import plan_stories
from bot.demo.timeline import Timeline
from mentoring.core.members import find_member
from mentoring.program.settings import get_settings
from mentoring.program.settings_changes import update_settings
from mentoring.program.workspaces import ensure_workspace
from mentoring.relationships.oversight import at_risk_count
from store.db import Database
from store.enums import OutboxStatus, RelationshipStatus, RequestStatus
from store.models import CheckIn, Member, OutboxMessage, Relationship, Request

SEED = "mentor-match-demo-1"
# What the demo program turns on beyond the defaults, so the console shows it.
DEMO_SETTINGS = {
    "flash_mentoring_enabled": True,
    "resources": [
        {
            "title": "Mentoring program guide",
            "url": "https://mentoring.example.com/guide",
            "description": "How the program works, from the first request to the last meeting.",
        },
        {
            "title": "First meeting checklist",
            "url": "https://mentoring.example.com/first-meeting",
            "description": "Questions to agree on in your first conversation.",
        },
    ],
}
DEMO_TEAM_ID = "T0DEMO"
PROGRAM_AGE = timedelta(days=240)


class DemoError(Exception):
    """The demo cannot be seeded here (for example: the workspace has other members)."""


@dataclass(frozen=True, slots=True)
class DemoProgram:
    """The demo's people, and whom a console should act as first.

    Attributes:
        team_id: The workspace seeded.
        people: Everyone, admin first, then mentors and mentees (register them in a fake Slack).
        admin: A program admin's user id (not enrolled; add it to ADMIN_USER_IDS).
        guide_mentee: A mentee with no request and no mentor yet, who has good matches.
        guide_mentor: A matching mentor with an open slot, to receive the guide mentee's request.
        created: False when the demo was already there and nothing was written.
    """

    team_id: str
    people: tuple[DemoPerson, ...]
    admin: str
    guide_mentee: str
    guide_mentor: str
    created: bool = True
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def mentors(self) -> tuple[DemoPerson, ...]:
        """Everyone with the mentor role."""
        return tuple(p for p in self.people if "mentor" in p.roles)

    @property
    def mentees(self) -> tuple[DemoPerson, ...]:
        """Everyone with the mentee role."""
        return tuple(p for p in self.people if "mentee" in p.roles)

    def person(self, user_id: str) -> DemoPerson:
        """The person with this Slack user id (KeyError if there is none)."""
        for person in self.people:
            if person.user_id == user_id:
                return person
        raise KeyError(user_id)


def demo_people() -> tuple[list[PersonPlan], list[PersonPlan]]:
    """The demo's mentors and mentees; the same on every call."""
    return build_people(random.Random(f"{SEED}:people"))  # noqa: S311 - not for security


def demo_program(team_id: str = DEMO_TEAM_ID, *, created: bool = False) -> DemoProgram:
    """Who is in the demo, without touching a database."""
    mentors, mentees = demo_people()
    return DemoProgram(
        team_id=team_id,
        people=(ADMIN, *(p.person for p in mentors), *(p.person for p in mentees)),
        admin=ADMIN.user_id,
        guide_mentee=mentees[0].user_id,
        guide_mentor=mentors[0].user_id,
        created=created,
    )


def seed_demo(db: Database, *, team_id: str = DEMO_TEAM_ID, now: datetime) -> DemoProgram:
    """Seed the demo program into ``team_id`` (created if needed), its history ending at ``now``.

    Raises:
        DemoError: the workspace already has members who are not the demo's.
        mentoring.core.errors.DomainError: an operation refused (the workspace's settings differ
            from the defaults the demo was written for); nothing is written then.
    """
    program = demo_program(team_id)
    mentors, mentees = demo_people()
    with db.write() as session:
        ensure_workspace(
            session=session, team_id=team_id, now=now - PROGRAM_AGE, name="Mentor Match Demo"
        )
        members = session.scalar(
            select(func.count()).select_from(Member).where(Member.team_id == team_id)
        )
        if members:
            if find_member(session, team_id, program.guide_mentee) is None:
                raise DemoError(
                    f"Workspace {team_id} already has {members} members: the demo only fills an "
                    "empty workspace. Use another --team (or a fresh DATABASE_URL)."
                )
            return replace(program, counts=_counts(session, team_id))
        update_settings(
            session=session,
            team_id=team_id,
            actor=ADMIN.user_id,
            changes=DEMO_SETTINGS,
            now=now - PROGRAM_AGE,
        )
        settings = get_settings(session=session, team_id=team_id)
        timeline = Timeline(
            random.Random(f"{SEED}:stories"),  # noqa: S311 - not for security
            now=now,
            team_id=team_id,
            settings=settings,
            mentors=mentors,
            admin=ADMIN.user_id,
        )
        plan_stories(timeline, mentees)
        for action in timeline.actions_in_order(mentees):
            action.run(session)
        play_after_match(
            session,
            team_id=team_id,
            settings=settings,
            rng=random.Random(f"{SEED}:after"),  # noqa: S311 - not for security
            now=now,
        )
        _quiet_outbox(session, team_id, now)
        return replace(program, created=True, counts=_counts(session, team_id))


def describe(program: DemoProgram) -> list[str]:
    """What seed-demo tells the operator: what is there, and whom to act as first."""
    counts = program.counts

    def by_status(prefix: str, statuses: Iterable[StrEnum]) -> str:
        found = [(s, counts.get(f"{prefix}.{s.value}", 0)) for s in statuses]
        return ", ".join(f"{n} {s.value.replace('_', ' ')}" for s, n in found if n) or "none"

    mentee, mentor = program.person(program.guide_mentee), program.person(program.guide_mentor)
    admin = program.person(program.admin)
    return [
        f"Workspace {program.team_id}: {counts.get('mentors', 0)} mentors, "
        f"{counts.get('mentees', 0)} mentees.",
        f"Requests: {by_status('requests', RequestStatus)}.",
        f"Relationships: {by_status('relationships', RelationshipStatus)}; "
        f"{counts.get('checkins', 0)} check-ins so far, {counts.get('at_risk', 0)} pair at risk "
        "(`/mentor-admin relationships`).",
        f"Try it as the mentee {mentee.display_name} ({mentee.user_id}), who has no mentor yet: "
        f"{mentor.display_name} ({mentor.user_id}) is a good match with an open slot.",
        f"Program admin: {admin.display_name} ({admin.user_id}); put it in ADMIN_USER_IDS.",
    ]


def _quiet_outbox(session: Session, team_id: str, now: datetime) -> None:
    # The operations queued a notification for every step of months of history. A console or
    # bot starting on this database would deliver them all at once, so the demo starts from a
    # quiet inbox: everything the seed queued counts as already sent.
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.team_id == team_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENT, sent_at=now, attempts=1)
        .execution_options(synchronize_session=False)
    )


def _counts(session: Session, team_id: str) -> dict[str, int]:
    """Members by role, requests and relationships by status ("requests.pending": 12...)."""
    counts: Counter[str] = Counter()
    for is_mentor, is_mentee in session.execute(
        select(Member.is_mentor, Member.is_mentee).where(Member.team_id == team_id)
    ):
        counts["mentors"] += is_mentor
        counts["mentees"] += is_mentee
    models: tuple[tuple[str, type[Request] | type[Relationship]], ...] = (
        ("requests", Request),
        ("relationships", Relationship),
    )
    for prefix, model in models:
        query = select(model.status, func.count()).where(model.team_id == team_id)
        for status, n in session.execute(query.group_by(model.status)):
            counts[f"{prefix}.{status.value}"] = n
    counts["checkins"] = (
        session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.team_id == team_id))
        or 0
    )
    counts["at_risk"] = at_risk_count(session=session, team_id=team_id)
    return dict(counts)
