"""Keeping ``directory_changes`` small: the sweep deletes all but each workspace's newest rows.

Every profile edit, pause, enrolment and relationship change adds a row (database triggers,
migration 0006), and nothing else ever deletes one. Pruning records how far it went in
``directory_horizons``, in the same transaction, so a process whose directory index last read
below that point reloads the whole team instead of missing a change
(:meth:`mentoring.directory.index.DirectoryIndex.refresh`).
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from store.models import DirectoryChange, DirectoryHorizon

# Far more than the changes between two searches, so only an index idle through this many
# changes pays for a full reload.
KEEP_CHANGES = 10_000


def prune_changes(session: Session, team_id: str, keep: int | None = None) -> int:
    """Delete all but the newest ``keep`` (default :data:`KEEP_CHANGES`) change rows of the
    workspace; how many were deleted."""
    keep = KEEP_CHANGES if keep is None else keep
    cutoff = session.scalar(
        select(DirectoryChange.seq)
        .where(DirectoryChange.team_id == team_id)
        .order_by(DirectoryChange.seq.desc())
        .offset(keep)
        .limit(1)
    )
    if cutoff is None:
        return 0
    pruned = [DirectoryChange.team_id == team_id, DirectoryChange.seq <= cutoff]
    if session.get_bind().dialect.name == "postgresql":
        # Only rows every later snapshot has seen committed: an index whose last read came after
        # this prune then holds a watermark (its snapshot's xmin) above every pruned xid, and
        # never reloads the team because of it.
        # Read once: each statement of a READ COMMITTED transaction has its own snapshot.
        xmin = session.scalar(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text"))
        pruned.append(DirectoryChange.xid < int(xmin or 0))
        seq, xid = session.execute(
            select(func.max(DirectoryChange.seq), func.max(DirectoryChange.xid)).where(*pruned)
        ).one()
        if seq is None:
            return 0
    else:
        # The cutoff is the workspace's own row, and SQLite leaves xid empty: no need to read
        # the ~all rows about to go for their maximum.
        seq, xid = cutoff, 0
    horizon = session.get(DirectoryHorizon, team_id, with_for_update=True)
    if horizon is None:
        session.add(DirectoryHorizon(team_id=team_id, seq=seq, xid=xid or 0))
    else:
        horizon.seq, horizon.xid = max(horizon.seq, seq), max(horizon.xid, xid or 0)
    result = session.execute(delete(DirectoryChange).where(*pruned))
    return int(result.rowcount)  # type: ignore[attr-defined]


def horizon_of(session: Session, team_id: str) -> tuple[int, int]:
    """The highest ``seq`` and ``xid`` pruned from the workspace's changes (0, 0 when none)."""
    row = session.execute(
        select(DirectoryHorizon.seq, DirectoryHorizon.xid).where(
            DirectoryHorizon.team_id == team_id
        )
    ).first()
    return (int(row.seq), int(row.xid)) if row else (0, 0)
