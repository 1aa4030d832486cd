"""Reading a workspace's mentors as the directory index needs them (mentoring.directory.index)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, cast, func, select, true
from sqlalchemy.orm import Session

from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, MemberTag, Relationship, Request
from store.types import json_list


@dataclass(frozen=True, slots=True)
class MentorRow:
    """One mentor as the index loads it."""

    id: int
    name: str
    tz: str
    area: str | None
    expertise: tuple[str, ...]
    tags: tuple[str, ...]  # member_tags, what the expertise filter matches
    languages: tuple[str, ...]
    location: str | None
    gender: str | None
    search_text: str
    capacity: int
    paused_until: datetime | None
    active: int
    pending: int  # mentee requests waiting for this mentor's answer


def mentor_rows(session: Session, team_id: str, ids: Sequence[int] | None) -> list[MentorRow]:
    """The team's mentors (or those of ``ids`` still mentors), with tags, active mentees and
    the mentee requests waiting for them."""
    conn = session.connection()
    where = [Member.team_id == team_id, Member.is_mentor == true()]
    tag_where = [MemberTag.team_id == team_id]
    active_where = [
        Relationship.team_id == team_id,
        Relationship.status == RelationshipStatus.ACTIVE,
    ]
    waiting_where = [
        Request.status == RequestStatus.PENDING,
        Request.kind == RequestKind.MENTEE_REQUEST,
    ]
    if ids is not None:
        where.append(Member.id.in_(ids))
        tag_where.append(MemberTag.member_id.in_(ids))
        active_where.append(Relationship.mentor_id.in_(ids))
        # By mentor only: with team_id = ? too, SQLite may walk the team's requests instead.
        waiting_where.append(Request.mentor_id.in_(ids))
    else:
        waiting_where.append(Request.team_id == team_id)
    tags: dict[int, list[str]] = {}
    for member_id, tag in conn.execute(
        select(MemberTag.member_id, MemberTag.tag).where(*tag_where)
    ):
        tags.setdefault(member_id, []).append(tag)
    counted = select(Relationship.mentor_id, func.count())
    active = {
        mentor_id: int(count)
        for mentor_id, count in conn.execute(
            counted.where(*active_where).group_by(Relationship.mentor_id)
        )
    }
    waiting = {
        mentor_id: int(count)
        for mentor_id, count in conn.execute(
            select(Request.mentor_id, func.count())
            .where(*waiting_where)
            .group_by(Request.mentor_id)
        )
    }
    columns = (
        Member.id,
        Member.display_name,
        Member.tz,
        Member.functional_area,
        # As text, decoded once per distinct list: mentors share a few thousand of them.
        cast(Member.expertise, Text),
        cast(Member.languages, Text),
        Member.location,
        Member.gender,
        Member.search_text,
        Member.mentor_capacity,
        Member.paused_until,
    )
    decoded = functools.cache(json_list)  # for this load: each distinct list decoded once

    return [
        MentorRow(
            id=r[0],
            name=r[1],
            tz=r[2],
            area=r[3],
            expertise=decoded(r[4]),
            tags=tuple(tags.get(r[0], ())),
            languages=decoded(r[5]),
            location=r[6],
            gender=r[7],
            search_text=r[8] or "",
            capacity=r[9],
            paused_until=r[10],
            active=int(active.get(r[0], 0)),
            pending=waiting.get(r[0], 0),
        )
        for r in conn.execute(select(*columns).where(*where))
    ]
