"""recommendations and meeting requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 02:58:48.527909
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=150), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('proposed_times', sa.JSON(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'withdrawn', 'expired', 'closed_by_admin', 'cancelled', name='requeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('declined_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expired_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('meeting_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.String(length=120), nullable=True),
    sa.Column('decline_note', sa.Text(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.Column('closed_by', sa.String(length=32), nullable=True),
    sa.Column('reminder_count', sa.Integer(), nullable=False),
    sa.Column('last_reminded_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('meeting_reminded_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('conversation_id', sa.String(length=32), nullable=True),
    sa.Column('slack_channel', sa.String(length=32), nullable=True),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['members.id'], name=op.f('fk_meeting_requests_mentee_id_members')),
    sa.ForeignKeyConstraint(['mentor_id'], ['members.id'], name=op.f('fk_meeting_requests_mentor_id_members')),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_meeting_requests_team_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_requests'))
    )
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_requests_mentee_status', ['mentee_id', 'status'], unique=False)
        batch_op.create_index('ix_meeting_requests_mentor_status', ['mentor_id', 'status'], unique=False)
        batch_op.create_index('ix_meeting_requests_team_status_created', ['team_id', 'status', 'created_at'], unique=False)
        batch_op.create_index('uq_meeting_requests_one_pending_per_pair', ['mentee_id', 'mentor_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('superseded_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['members.id'], name=op.f('fk_recommendations_mentee_id_members')),
    sa.ForeignKeyConstraint(['mentor_id'], ['members.id'], name=op.f('fk_recommendations_mentor_id_members')),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_recommendations_team_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index('ix_recommendations_mentee', ['mentee_id', 'superseded_at'], unique=False)
        batch_op.create_index('ix_recommendations_mentor', ['mentor_id', 'superseded_at'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_meeting_id_meeting_requests'), 'meeting_requests', ['meeting_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_meeting_id_meeting_requests'), type_='foreignkey')
        batch_op.drop_column('meeting_id')

    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendations_mentor')
        batch_op.drop_index('ix_recommendations_mentee')

    op.drop_table('recommendations')
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_requests_one_pending_per_pair', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_meeting_requests_team_status_created')
        batch_op.drop_index('ix_meeting_requests_mentor_status')
        batch_op.drop_index('ix_meeting_requests_mentee_status')

    op.drop_table('meeting_requests')
