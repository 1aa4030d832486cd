"""drop ix_members_directory: ix_members_directory_scan starts with the same columns

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 03:20:00
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_directory')


def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(
            'ix_members_directory', ['team_id', 'is_mentor', 'functional_area'], unique=False
        )
