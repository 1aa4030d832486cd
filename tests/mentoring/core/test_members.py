"""Looking members up: by Slack user id and by id, within one workspace only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentoring.core.errors import NotEnrolled
from mentoring.core.members import get_member, get_members, require_member, require_member_view
from mentoring.core.views import MemberView
from store.db import Database
from store.models import Member
from tests import factories as f
from tests.conftest import TEAM

OTHER = "T0OTHER"


def test_views_equal_the_orm_rows_and_stay_in_their_workspace(db: Database) -> None:
    f.workspace(db)
    f.workspace(db, OTHER)
    ann = f.mentor(db, "UANN", languages=["German"], location="Berlin", bio="Hi")
    eve = f.mentee(db, "UEVE", interests=["python", "data"])
    zed = f.mentor(db, "UZED", OTHER)
    with db.read() as s:
        orm = {m.id: MemberView.of(m) for m in s.scalars(select(Member))}
        assert get_member(session=s, team_id=TEAM, slack_user_id="UANN") == orm[ann.id]
        assert require_member_view(session=s, team_id=TEAM, slack_user_id="UEVE") == orm[eve.id]
        assert get_member(session=s, team_id=TEAM, slack_user_id="UZED") is None
        with pytest.raises(NotEnrolled) as view_error:
            require_member_view(session=s, team_id=TEAM, slack_user_id="UZED")
        with pytest.raises(NotEnrolled) as orm_error:
            require_member(s, TEAM, "UZED")
        assert str(view_error.value) == str(orm_error.value)
        # Four ids or more once made SQLite walk the whole workspace; the answer is the same.
        ids = [ann.id, eve.id, zed.id, 10_000]
        assert get_members(session=s, team_id=TEAM, ids=ids) == {
            ann.id: orm[ann.id],
            eve.id: orm[eve.id],
        }
        assert get_members(session=s, team_id=OTHER, ids=ids) == {zed.id: orm[zed.id]}
        assert get_members(session=s, team_id=TEAM, ids=[]) == {}
