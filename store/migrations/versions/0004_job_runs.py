"""job_runs: each scheduler job's last start, success and failure, for health checks

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'job_runs',
        sa.Column('job', sa.String(length=64), nullable=False),
        sa.Column('last_started_at', store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_success_at', store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_failure_at', store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('job', name=op.f('pk_job_runs')),
    )


def downgrade() -> None:
    op.drop_table('job_runs')
