"""A compact in-memory index of each workspace's mentors, exactly as the database holds them.

Ranking 100,000 mentors in SQL costs ~10 µs per candidate on SQLite (docs/benchmarks.md), so an
unfiltered search took ~200 ms. The index keeps what the ranking needs as numpy columns (one
row per mentor: codes for area, timezone, languages and location, capacity, active mentees,
mentee requests waiting for them, pause, tag counts) and the strings the text filters look
in, so a search is a handful of vector operations over every mentor
(mentoring.directory.scan).

Exactness: triggers on ``members``, ``member_tags``, ``relationships`` and ``requests`` log
every mentor whose directory data changed in ``directory_changes``, in the writing transaction
(migrations 0006 and 0009), whatever code made the change. Before each search,
:meth:`DirectoryIndex.refresh` reads the rows it has not seen, in the search's own session,
and reloads only those mentors. So an edit, pause, enrollment, new relationship, request made
or answered, or deactivation committed by any process is visible in the next search.

- SQLite commits one writer at a time, so ``seq`` order is commit order: the rows above the
  last ``seq`` seen are exactly the changes not yet applied.
- PostgreSQL hands out ``seq`` values before commit, out of commit order, so the index keeps
  instead the oldest transaction still running when it last read (``xmin`` of the snapshot):
  every change it has not seen was made by a transaction at or above that id. Rows from those
  transactions are read again next time (reloading a mentor twice is harmless).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from array import array
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from mentoring.core.prebuilt import run
from mentoring.directory.mentor_rows import MentorRow, mentor_rows
from mentoring.directory.pruning import horizon_of
from mentoring.directory.words import WordIndex
from store.db import Database
from store.models import DirectoryChange, DirectoryHorizon, Workspace

log = logging.getLogger(__name__)
NO_PAUSE = np.iinfo(np.int64).min
# More changed mentors than this since the last search: reading everyone is as quick.
FULL_RELOAD_AFTER = 20_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

IntArray = NDArray[np.int64]


def micros(moment: datetime) -> int:
    """A timezone-aware moment as integer microseconds since the epoch (exact comparisons)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class Codebook:
    """Distinct values of one column, each given a small integer code (0 is ``None``)."""

    def __init__(self) -> None:
        self.values: list[Any] = [None]
        self._codes: dict[Any, int] = {None: 0}

    def code(self, value: Any) -> int:
        try:
            return self._codes[value]
        except KeyError:
            self._codes[value] = len(self.values)
            self.values.append(value)
            return len(self.values) - 1

    def find(self, value: Any) -> int | None:
        return self._codes.get(value)

    def table(self, points: Any) -> IntArray:
        """``points(value)`` for every code, as an array to index with the codes."""
        return np.fromiter((points(v) for v in self.values), np.int64, len(self.values))


class DirectoryIndex:
    """One workspace's mentors as columns; rows are slots, freed slots are marked dead."""

    def __init__(self, team_id: str) -> None:
        self.team_id = team_id
        self.lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.loaded = False
        self._watermark = 0  # SQLite: last seq applied; PostgreSQL: xmin at the last read
        self.areas, self.zones, self.tongues, self.places = (Codebook() for _ in range(4))
        self.tag_columns = Codebook()  # tag -> column (column 0 unused)
        self.slot_of: dict[int, int] = {}
        self._allocate(0)

    # -- storage ---------------------------------------------------------------------------

    def _allocate(self, size: int) -> None:
        self._words: WordIndex | None = None
        self.size = 0
        self._free: list[int] = []
        self.ids = np.zeros(size, np.int64)
        self.alive = np.zeros(size, bool)
        self.area = np.zeros(size, np.int32)
        self.zone = np.zeros(size, np.int32)
        self.tongue = np.zeros(size, np.int32)
        self.place = np.zeros(size, np.int32)
        self.capacity = np.zeros(size, np.int32)
        self.active = np.zeros(size, np.int32)
        self.pending = np.zeros(size, np.int32)  # mentee requests waiting for their answer
        self.paused = np.full(size, NO_PAUSE, np.int64)
        self.expertise = np.zeros((size, 1), np.uint8)  # counts of each lower-cased tag
        self.tags = np.zeros((size, 1), bool)  # member_tags
        self.names: list[str] = [""] * size
        self.texts: list[str] = [""] * size
        self.genders: list[str | None] = [None] * size
        self.locations: list[str | None] = [None] * size

    def _grow(self, rows: int, columns: int) -> None:
        rows = max(rows, self.ids.shape[0])
        columns = max(columns, self.tags.shape[1])
        if rows == self.ids.shape[0] and columns == self.tags.shape[1]:
            return
        extra = rows - self.ids.shape[0]
        for name in (
            "ids",
            "alive",
            "area",
            "zone",
            "tongue",
            "place",
            "capacity",
            "active",
            "pending",
        ):
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.zeros(extra, old.dtype)]))
        self.paused = np.concatenate([self.paused, np.full(extra, NO_PAUSE, np.int64)])
        for name in ("expertise", "tags"):
            old = getattr(self, name)
            grown = np.zeros((rows, columns), old.dtype)
            grown[: old.shape[0], : old.shape[1]] = old
            setattr(self, name, grown)
        for name in ("names", "texts", "genders", "locations"):
            getattr(self, name).extend([None if name in ("genders", "locations") else ""] * extra)

    def _put(self, row: MentorRow) -> None:
        slot = self.slot_of.get(row.id)
        if slot is None:
            if self._free:
                slot = self._free.pop()
            else:
                slot = self.size
                self.size += 1
            self.slot_of[row.id] = slot
        tag_codes = [self.tag_columns.code(t.lower()) for t in row.expertise] + [
            self.tag_columns.code(t) for t in row.tags
        ]
        self._grow(
            slot + 1 if slot < self.ids.shape[0] else max(64, 2 * self.ids.shape[0]),
            max(tag_codes, default=0) + 1,
        )
        self.ids[slot] = row.id
        self.alive[slot] = True
        self.area[slot] = self.areas.code(row.area)
        self.zone[slot] = self.zones.code(row.tz)
        self.tongue[slot] = self.tongues.code(row.languages)
        self.place[slot] = self.places.code(row.location)
        self.capacity[slot] = row.capacity
        self.active[slot] = row.active
        self.pending[slot] = row.pending
        self.paused[slot] = NO_PAUSE if row.paused_until is None else micros(row.paused_until)
        self.expertise[slot] = 0
        for tag in row.expertise:
            self.expertise[slot, self.tag_columns.code(tag.lower())] += 1
        self.tags[slot] = False
        for tag in row.tags:
            self.tags[slot, self.tag_columns.code(tag)] = True
        self.names[slot] = row.name.casefold()
        if self._words is not None and self.texts[slot] != row.search_text:
            self._words.stale.add(slot)
        self.texts[slot] = row.search_text
        self.genders[slot] = None if row.gender is None else row.gender.lower()
        self.locations[slot] = None if row.location is None else row.location.lower()

    @property
    def has_words(self) -> bool:
        """Whether the word lists are loaded (built by the first text search or a warm-up)."""
        return self._words is not None

    def words(self) -> WordIndex:
        """The free-text lists, built on the first text search and after many changes."""
        if self._words is None or self._words.worn:
            self._words = WordIndex(self.texts, self.alive[: self.size])
        return self._words

    def _drop(self, member_id: int) -> None:
        slot = self.slot_of.pop(member_id, None)
        if slot is not None:
            self.alive[slot] = False
            self._free.append(slot)
            if self._words is not None:  # its next holder may have the very same text
                self._words.stale.add(slot)

    # -- keeping in step with the database -------------------------------------------------

    def refresh(self, session: Session) -> None:
        """Apply every change committed since the last refresh (the whole team the first time).

        Call with :attr:`lock` held, in the session the search reads with.
        """
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            mark = session.scalar(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text"))
            watermark = int(mark or 0)
        else:
            top, pruned = run(session, _NEWEST_AND_PRUNED, {"team_id": self.team_id}).one()
            watermark = top or 0
            if self.loaded and watermark == self._watermark and (pruned or 0) <= watermark:
                return  # no change committed since the last read, none unseen pruned
        if not self.loaded:
            self._load_all(session)
            self._watermark = watermark
            self.loaded = True
            return
        column = DirectoryChange.xid if postgres else DirectoryChange.seq
        seen = DirectoryChange.xid >= self._watermark if postgres else column > self._watermark
        changed = set(
            session.scalars(
                select(DirectoryChange.member_id).where(
                    DirectoryChange.team_id == self.team_id, seen
                )
            )
        )
        # Read after the changes: a prune committed meanwhile shows here (a needless reload at
        # worst), one committed before shows in both.
        pruned_seq, pruned_xid = horizon_of(session, self.team_id)
        missed = pruned_xid >= self._watermark if postgres else pruned_seq > self._watermark
        if missed or len(changed) > FULL_RELOAD_AFTER:
            self._reset()
            self._load_all(session)
            self.loaded = True
        elif changed:
            self._reload(session, sorted(changed))
        self._watermark = watermark if postgres else max(self._watermark, watermark)

    def _load_all(self, session: Session) -> None:
        """Every mentor of the team, column by column (row by row would take seconds at 100k)."""
        rows = mentor_rows(session, self.team_id, None)
        n = len(rows)
        self._allocate(n + 64)
        self.size = n
        self.slot_of = {row.id: slot for slot, row in enumerate(rows)}
        self.ids[:n] = [r.id for r in rows]
        self.alive[:n] = True
        for column, book, values in (
            (self.area, self.areas, (r.area for r in rows)),
            (self.zone, self.zones, (r.tz for r in rows)),
            (self.tongue, self.tongues, (r.languages for r in rows)),
            (self.place, self.places, (r.location for r in rows)),
        ):
            column[:n] = [book.code(v) for v in values]
        self.capacity[:n] = [r.capacity for r in rows]
        self.active[:n] = [r.active for r in rows]
        self.pending[:n] = [r.pending for r in rows]
        self.paused[:n] = [
            NO_PAUSE if r.paused_until is None else micros(r.paused_until) for r in rows
        ]
        for matrix, tags_of in (
            ("expertise", lambda r: [t.lower() for t in r.expertise]),
            ("tags", lambda r: r.tags),  # as stored: SQL matched them as stored
        ):
            owners, columns = array("l"), array("l")  # C ints: 275,000 pairs at 100k
            for slot, r in enumerate(rows):
                for tag in tags_of(r):
                    owners.append(slot)
                    columns.append(self.tag_columns.code(tag))
            self._grow(n + 64, len(self.tag_columns.values))
            at = (np.frombuffer(owners, np.int_), np.frombuffer(columns, np.int_))
            if matrix == "expertise":
                np.add.at(self.expertise, at, 1)
            else:
                self.tags[at] = True
        self.names[:n] = [r.name.casefold() for r in rows]
        self.texts[:n] = [r.search_text for r in rows]
        # Lower-cased once per distinct value: one string each, not one per mentor.
        lowered: dict[str | None, str | None] = {None: None}
        for target, source in ((self.genders, "gender"), (self.locations, "location")):
            for slot, r in enumerate(rows):
                value = getattr(r, source)
                if value not in lowered:
                    lowered[value] = value.lower()
                target[slot] = lowered[value]

    def _reload(self, session: Session, member_ids: Sequence[int]) -> None:
        rows = {row.id: row for row in mentor_rows(session, self.team_id, member_ids)}
        for member_id in member_ids:
            if member_id in rows:
                self._put(rows[member_id])
            else:
                self._drop(member_id)


# SQLite: the log's newest seq and how far the workspace's rows were pruned, in one read
# before every search and recommendation (built once: mentoring.core.prebuilt).
_NEWEST_AND_PRUNED = select(
    select(func.max(DirectoryChange.seq)).scalar_subquery(),
    select(DirectoryHorizon.seq)
    .where(DirectoryHorizon.team_id == bindparam("team_id"))
    .scalar_subquery(),
)
_INDEXES: weakref.WeakKeyDictionary[Any, dict[str, DirectoryIndex]] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def index_for(session: Session, team_id: str) -> DirectoryIndex:
    """This process's index of ``team_id`` for the session's database (one per engine pool)."""
    pool = session.get_bind().pool  # type: ignore[union-attr]
    with _REGISTRY_LOCK:
        by_team = _INDEXES.setdefault(pool, {})
        index = by_team.get(team_id)
        if index is None:
            index = by_team[team_id] = DirectoryIndex(team_id)
        return index


def drop_indexes(pools: Iterable[Any] = ()) -> None:
    """Forget the indexes of these engine pools (all of them by default); for tests and tools."""
    with _REGISTRY_LOCK:
        for pool in list(pools) or list(_INDEXES):
            _INDEXES.pop(pool, None)


def warm(db: Database, *, words: bool = True) -> threading.Thread:
    """Load every workspace's index (and its word lists with ``words``) in a background thread.

    At 100,000 mentors loading takes seconds; a server calls this once it is up, so the
    first person to search after a start does not wait for it (they would get the same
    results either way: a search loads whatever is not loaded yet). The scheduler process
    only ranks alternatives for notices, never by text: it loads no word lists.
    """

    def load() -> None:
        started = time.monotonic()
        try:
            with db.read() as session:
                teams = list(session.scalars(select(Workspace.team_id)))
            for team_id in teams:
                with db.read() as session:
                    index = index_for(session, team_id)
                    with index.lock:
                        index.refresh(session)
                        if words:
                            index.words()
            log.info(
                "directory index loaded ahead for %d workspace(s)%s in %.1f s",
                len(teams),
                "" if words else " (no word lists)",
                time.monotonic() - started,
            )
        except Exception as error:  # noqa: BLE001 - a failed warm-up: searches load it
            # A warning, not a traceback: the database going away while a server starts is
            # expected (and answered by /healthz); a real fault shows again at that search.
            log.warning("loading the directory index ahead failed (searches load it): %s", error)

    thread = threading.Thread(target=load, name="directory-index-warm-up", daemon=True)
    thread.start()
    return thread
