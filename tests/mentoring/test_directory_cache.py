"""The directory snapshot is reused while nothing changes and rebuilt after any change."""

from __future__ import annotations

from datetime import timedelta

from mentoring.directory import DirectoryFilters, search_mentors
from mentoring.directory_cache import DirectoryCache
from mentoring.profiles import pause
from mentoring.requests import accept, send_request
from store.db import Database
from tests import factories as f
from tests.conftest import NOW, TEAM


def names(db: Database, cache: DirectoryCache) -> list[str]:
    with db.read() as s:
        page = search_mentors(
            session=s,
            team_id=TEAM,
            searcher_user_id="UE",
            now=NOW,
            filters=DirectoryFilters(),
            cache=cache,
        )
    return [m.mentor.display_name for m in page.results]


def test_snapshot_follows_every_change(db: Database) -> None:
    f.workspace(db)
    f.mentee(db, "UE")
    f.mentor(db, "UA", display_name="Ada", mentor_capacity=1)
    cache = DirectoryCache()
    assert names(db, cache) == ["Ada"]
    with db.read() as s:
        first = cache.snapshot(s, TEAM)
        assert cache.snapshot(s, TEAM) is first  # nothing changed: the same snapshot

    f.mentor(db, "UB", display_name="Bea")  # enrolment
    assert sorted(names(db, cache)) == ["Ada", "Bea"]

    with db.write() as s:  # Ada's only slot fills: she leaves the open-slots directory
        req = send_request(
            session=s,
            team_id=TEAM,
            mentee_user_id="UE",
            mentor_user_id="UA",
            message="Please help me grow as an engineer!",
            now=NOW,
        )
    with db.write() as s:
        accept(session=s, team_id=TEAM, request_id=req.id, actor_user_id="UA", now=NOW)
    assert names(db, cache) == ["Bea"]

    with db.write() as s:  # a pause hides Bea
        pause(session=s, team_id=TEAM, slack_user_id="UB", until=NOW + timedelta(days=2), now=NOW)
    assert names(db, cache) == []
