"""Enrolling many new members at once (``mentor-match import-profiles``).

:func:`mentoring.profiles.editing.enroll` takes one profile per transaction, through the ORM:
~2 ms a person, 220 s for 100,000. A first import is almost all new people, so they are
checked by the very same rules (:func:`check_profile`) and written with one bulk INSERT per
table (members, their tags, their ``member.enrolled`` events; :func:`store.bulk.insert_many`)
in the caller's transaction. Members who already exist go through ``enroll``, which knows how
to edit a profile (capacity against active mentees, offers left without room).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from mentoring.core.errors import DomainError
from mentoring.core.members import member_tag_rows
from mentoring.profiles.editing import ProfileInput, check_profile, profile_columns, profile_json
from mentoring.program.settings import get_settings
from store.bulk import insert_many
from store.models import Event, Member, MemberTag

# Core tables: bulk INSERTs through the driver, without the ORM's per-row bookkeeping.
MEMBERS = cast(Table, Member.__table__)
MEMBER_TAGS = cast(Table, MemberTag.__table__)
EVENTS = cast(Table, Event.__table__)


def enroll_new(
    *,
    session: Session,
    team_id: str,
    people: Sequence[tuple[str, ProfileInput]],
    now: datetime,
) -> list[DomainError | None]:
    """Enroll ``people`` (Slack user id, profile), none of whom is a member of the team yet.

    Each profile is checked as :func:`mentoring.profiles.editing.enroll` checks it; the good
    ones are inserted together, with the same columns, tags and audit event ``enroll`` writes.

    Returns:
        For each person in order: ``None`` when enrolled, else the rule they broke.
    """
    settings = get_settings(session=session, team_id=team_id)
    outcomes: list[DomainError | None] = []
    rows: list[dict[str, object]] = []
    for user_id, profile in people:
        try:
            checked = check_profile(profile, settings, slack_user_id=user_id, current_capacity=None)
        except DomainError as err:
            outcomes.append(err)
            continue
        columns = profile_columns(profile, checked, now)
        rows.append({**columns, "team_id": team_id, "slack_user_id": user_id, "enrolled_at": now})
        outcomes.append(None)
    if not rows:
        return outcomes
    insert_many(session, MEMBERS, rows)
    # The ids the database gave: one query by (team, user), unique, rather than RETURNING,
    # which the driver's executemany cannot give back on SQLite.
    users = [str(row["slack_user_id"]) for row in rows]
    found = dict(
        session.execute(
            select(MEMBERS.c.slack_user_id, MEMBERS.c.id).where(
                MEMBERS.c.team_id == team_id, MEMBERS.c.slack_user_id.in_(users)
            )
        ).all()
    )
    ids = [found[user] for user in users]
    tags = [
        tag
        for member_id, row in zip(ids, rows, strict=True)
        if row["is_mentor"]
        for tag in member_tag_rows(member_id, team_id, row["expertise"])  # type: ignore[arg-type]
    ]
    insert_many(session, MEMBER_TAGS, tags)
    events = [
        {
            "team_id": team_id,
            "actor": row["slack_user_id"],
            "action": "member.enrolled",
            "subject_type": "member",
            "subject_id": str(member_id),
            "before": None,
            "after": profile_json(row),
            "at": now,
        }
        for member_id, row in zip(ids, rows, strict=True)
    ]
    insert_many(session, EVENTS, events)
    return outcomes
