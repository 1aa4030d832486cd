"""The directory's change log is pruned, and no index misses a change because of it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

import mentoring.directory.index as index_module
import mentoring.directory.pruning as pruning
from mentoring.directory.pruning import horizon_of, prune_changes
from mentoring.sweep.sweep import sweep_all
from store.db import Database
from store.models import DirectoryChange, Member
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.mentoring.directory.test_index import program, search, users

__all__ = ["program"]  # the fixture, shared with the index's tests


def seqs(db: Database) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(DirectoryChange.seq).order_by(DirectoryChange.seq)))


def move_to_engineering(db: Database, user: str) -> None:
    """Plain SQL: only the trigger's log tells the index."""
    with db.write() as s:
        s.execute(
            update(Member).where(Member.slack_user_id == user).values(functional_area="Engineering")
        )


def test_pruning_keeps_the_newest_rows_and_records_how_far_it_went(program: Database) -> None:
    for area in ("Data", "Design", "Product"):
        f.mentor(program, "UBOB", display_name="Bob", functional_area=area)
    before = seqs(program)
    assert len(before) > 3

    with program.write() as s:
        deleted = prune_changes(s, TEAM, keep=2)
    kept = seqs(program)
    gone = sorted(set(before) - set(kept))
    assert kept[-2:] == before[-2:] and set(kept) <= set(before) and len(gone) == deleted
    if program.is_sqlite:
        assert kept == before[-2:]
    # On PostgreSQL a transaction elsewhere on the server can hold back the rows it may not
    # have seen committed yet; whatever went is recorded.
    with program.read() as s:
        assert horizon_of(s, TEAM)[0] == max(gone, default=0)
        assert horizon_of(s, "TOTHER") == (0, 0)
    with program.write() as s:
        prune_changes(s, TEAM, keep=len(kept))  # nothing more to do
        assert horizon_of(s, TEAM)[0] == max(gone, default=0)


def test_an_index_that_last_read_before_a_prune_reloads_and_misses_nothing(
    program: Database,
) -> None:
    move_to_engineering(program, "UBOB")
    with program.write() as s:
        prune_changes(s, TEAM, keep=0)  # the row that told of Bob's move is gone
    assert seqs(program) == [] or not program.is_sqlite
    assert users(search(program, functional_area="Engineering")) == ["UANN", "UBOB"]


def test_a_change_pruned_while_another_workspaces_change_is_the_newest_is_not_missed(
    program: Database,
) -> None:
    """Nothing newer than the index's last read is left in the log, but a change it never saw
    was pruned: the search must still reload, not take the log for unchanged."""
    f.workspace(program, "T0OTHER")
    f.mentor(program, "UZED", "T0OTHER", display_name="Zed")  # the newest row of the log
    assert users(search(program)) == ["UANN", "UBOB"]  # read after Zed's row
    newest = seqs(program)[-1]
    move_to_engineering(program, "UBOB")
    with program.write() as s:
        prune_changes(s, TEAM, keep=0)  # the row that told of Bob's move is gone
    assert seqs(program)[-1] == newest
    assert users(search(program, functional_area="Engineering")) == ["UANN", "UBOB"]


def test_an_index_that_read_after_a_prune_applies_changes_without_a_full_reload(
    program: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with program.write() as s:
        prune_changes(s, TEAM, keep=0)
    assert users(search(program)) == ["UANN", "UBOB"]  # reloads once: it read before the prune

    loads: list[str] = []
    full_load = index_module.DirectoryIndex._load_all

    def counted(self: index_module.DirectoryIndex, session: object) -> None:
        loads.append(self.team_id)
        full_load(self, session)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module.DirectoryIndex, "_load_all", counted)
    move_to_engineering(program, "UBOB")
    assert users(search(program, functional_area="Engineering")) == ["UANN", "UBOB"]
    assert loads == []


def test_the_sweep_prunes_the_log_to_the_newest_rows(
    program: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pruning, "KEEP_CHANGES", 1)
    before = seqs(program)
    report = sweep_all(session_factory=program.write, now=NOW)
    kept = seqs(program)
    assert report.directory_changes_pruned == len(before) - len(kept)
    assert kept[-1:] == before[-1:]
    if program.is_sqlite:  # PostgreSQL keeps rows a transaction elsewhere may not have seen
        assert kept == before[-1:] and len(before) > 1
