"""ask messages: every Slack message whose buttons act on an ask (card, reminders, admin notice)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ask_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=False),
    sa.Column('posted_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting_requests.id'], name=op.f('fk_ask_messages_meeting_id_meeting_requests')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_ask_messages_request_id_requests')),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_ask_messages_team_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ask_messages')),
    sa.UniqueConstraint('channel', 'ts', name=op.f('uq_ask_messages_channel'))
    )
    op.create_index('ix_ask_messages_meeting', 'ask_messages', ['meeting_id'], unique=False)
    op.create_index('ix_ask_messages_request', 'ask_messages', ['request_id'], unique=False)
    # Until now only the last card of each ask was remembered (on the ask's own row): keep it.
    for table, column in (('requests', 'request_id'), ('meeting_requests', 'meeting_id')):
        op.execute(
            f"INSERT INTO ask_messages (team_id, {column}, role, channel, ts, posted_at) "
            f"SELECT team_id, id, 'card', slack_channel, slack_ts, created_at FROM {table} "
            "WHERE slack_channel IS NOT NULL AND slack_ts IS NOT NULL"
        )


def downgrade() -> None:
    op.drop_index('ix_ask_messages_request', table_name='ask_messages')
    op.drop_index('ix_ask_messages_meeting', table_name='ask_messages')
    op.drop_table('ask_messages')
