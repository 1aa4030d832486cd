"""outbox claim order: the dispatcher's claim walks pending rows in id order

``claim_due`` takes the oldest due rows, ``WHERE status = 'pending' ... ORDER BY id LIMIT 25``.
With only ``ix_outbox_due`` (status, next_attempt_at) the database read every pending row and
sorted them for each claim of 25: 7 ms a claim with 10,000 notices waiting (SQLite, bench.sweep
at 100,000 pending requests), 0.1 ms with this index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 15:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_claim_order", "outbox", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_claim_order", table_name="outbox")
