"""Looking members up, locking them, and counting what the program's limits are about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from mentoring.core.errors import NotEnrolled, NotFound
from mentoring.core.prebuilt import run
from mentoring.core.views import MemberView
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, MemberTag, Relationship, Request

NOT_ENROLLED = "You haven't joined the mentoring program yet: create your profile first."


def find_member(session: Session, team_id: str, slack_user_id: str) -> Member | None:
    return session.scalars(
        select(Member).where(Member.team_id == team_id, Member.slack_user_id == slack_user_id)
    ).one_or_none()


def require_member(session: Session, team_id: str, slack_user_id: str) -> Member:
    member = find_member(session, team_id, slack_user_id)
    if member is None:
        raise NotEnrolled(NOT_ENROLLED)
    return member


def member_by_id(session: Session, team_id: str, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.team_id != team_id:
        raise NotFound("That person is not in this mentoring program.")
    return member


MEMBERS = cast(Table, Member.__table__)
# What a MemberView holds, built once (prebuilt.run): of one member by Slack user id, and of
# members by id. By id only: with team_id = ? as well, SQLite walks the whole workspace's
# (team_id, slack_user_id) index for two ids or more (~20 ms at 60,000 members); the rows'
# workspace is checked in Python instead.
_MEMBER_VIEW_COLUMNS = [MEMBERS.c[f.name] for f in fields(MemberView)]
_MEMBER_VIEW = select(*_MEMBER_VIEW_COLUMNS).where(
    MEMBERS.c.team_id == bindparam("team_id"),
    MEMBERS.c.slack_user_id == bindparam("slack_user_id"),
)
_MEMBER_VIEWS = select(*_MEMBER_VIEW_COLUMNS).where(
    MEMBERS.c.id.in_(bindparam("ids", expanding=True))
)


def get_member(*, session: Session, team_id: str, slack_user_id: str) -> MemberView | None:
    """The member's profile, or ``None`` when they have not enrolled."""
    params = {"team_id": team_id, "slack_user_id": slack_user_id}
    row = run(session, _MEMBER_VIEW, params).mappings().one_or_none()
    return MemberView.of_row(row) if row else None


def require_member_view(*, session: Session, team_id: str, slack_user_id: str) -> MemberView:
    """The member's profile; :class:`NotEnrolled` (as :func:`require_member`) when none."""
    member = get_member(session=session, team_id=team_id, slack_user_id=slack_user_id)
    if member is None:
        raise NotEnrolled(NOT_ENROLLED)
    return member


def get_members(*, session: Session, team_id: str, ids: Iterable[int]) -> dict[int, MemberView]:
    """Profiles by member id (for rendering lists of requests and relationships)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = run(session, _MEMBER_VIEWS, {"ids": sorted(wanted)}).mappings()
    return {row["id"]: MemberView.of_row(row) for row in rows if row["team_id"] == team_id}


def lock_members(session: Session, *member_ids: int) -> None:
    """Serialise writers that count on behalf of these members.

    PostgreSQL takes row locks (always in id order, so two transactions locking the same pair
    cannot deadlock). SQLite emits no FOR UPDATE; its write transactions already hold the
    database's write lock from ``BEGIN IMMEDIATE`` (see store.db).
    """
    if session.get_bind().dialect.name == "sqlite":
        return  # SQLite renders no FOR UPDATE: the statement would only read the rows
    ids = sorted(set(member_ids))
    # FOR NO KEY UPDATE (key_share=True) serialises our writers just like FOR UPDATE, but does
    # not block the FOR KEY SHARE a foreign-key check takes when another transaction inserts a
    # row pointing at the member (a notice to a mentor who is mid-accept): with FOR UPDATE that
    # wait closes a deadlock cycle.
    session.execute(
        select(Member.id)
        .where(Member.id.in_(ids))
        .order_by(Member.id)
        .with_for_update(key_share=True)
    )


def active_as_mentor(session: Session, member_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Relationship.mentor_id == member_id,
                Relationship.status == RelationshipStatus.ACTIVE,
            )
        )
        or 0
    )


def active_as_mentee(session: Session, member_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Relationship.mentee_id == member_id,
                Relationship.status == RelationshipStatus.ACTIVE,
            )
        )
        or 0
    )


def pending_sent_by_mentee(session: Session, member_id: int) -> int:
    """Pending requests the mentee sent themself (offers they received do not count).

    A submission of ranked preferences (admin-routed matching) counts as one, however many
    mentors it ranks: its rank-1 row stands for it.
    """
    return (
        session.scalar(
            select(func.count()).where(
                Request.mentee_id == member_id,
                Request.status == RequestStatus.PENDING,
                or_(
                    Request.kind == RequestKind.MENTEE_REQUEST,
                    and_(Request.kind == RequestKind.ADMIN_ROUTED, Request.preference_rank == 1),
                ),
            )
        )
        or 0
    )


def search_text_of(name: str, title: str, bio: str, expertise: Iterable[str]) -> str:
    """What free-text search looks in: name, title, bio and expertise, lower-cased."""
    return " ".join([name, title, bio, *expertise]).lower()


def member_tag_rows(member_id: int, team_id: str, expertise: Iterable[str]) -> list[dict[str, Any]]:
    """A mentor's ``member_tags`` rows: each tag once, lower-cased."""
    return [
        {"member_id": member_id, "team_id": team_id, "tag": tag}
        for tag in dict.fromkeys(t.lower() for t in expertise)
    ]


def refresh_search_data(session: Session, member: Member) -> None:
    """Recompute what directory search reads from a profile: its text and its tag rows."""
    member.search_text = search_text_of(
        member.display_name, member.title, member.bio, member.expertise
    )
    session.flush()
    session.execute(delete(MemberTag).where(MemberTag.member_id == member.id))
    if member.is_mentor:
        session.add_all(
            MemberTag(**row) for row in member_tag_rows(member.id, member.team_id, member.expertise)
        )
