"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 13:21:46.168041
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_subject', ['subject_type', 'subject_id'], unique=False)
        batch_op.create_index('ix_events_team_at', ['team_id', 'at'], unique=False)

    op.create_table('workspaces',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('settings_updated_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('settings_updated_by', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_workspaces'))
    )
    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('slack_user_id', sa.String(length=32), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('is_mentor', sa.Boolean(), nullable=False),
    sa.Column('is_mentee', sa.Boolean(), nullable=False),
    sa.Column('enrolled_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('functional_area', sa.String(length=80), nullable=True),
    sa.Column('expertise', sa.JSON(), nullable=False),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=120), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('gender', sa.String(length=60), nullable=True),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('mentor_capacity', sa.Integer(), nullable=False),
    sa.Column('paused_until', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_members_team_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('team_id', 'slack_user_id', name=op.f('uq_members_team_id'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_directory', ['team_id', 'is_mentor', 'functional_area'], unique=False)
        batch_op.create_index('ix_members_directory_scan', ['team_id', 'is_mentor', 'functional_area', 'paused_until', 'mentor_capacity', 'tz'], unique=False)

    op.create_table('member_tags',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=80), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_tags_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'tag', name=op.f('pk_member_tags'))
    )
    with op.batch_alter_table('member_tags', schema=None) as batch_op:
        batch_op.create_index('ix_member_tags_lookup', ['team_id', 'tag', 'member_id'], unique=False)

    op.create_table('requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('mentee_request', 'mentor_offer', 'admin_routed', name='requestkind', native_enum=False, length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'withdrawn', 'expired', 'closed_by_admin', 'cancelled', name='requeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('preference_rank', sa.Integer(), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('declined_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expired_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.String(length=120), nullable=True),
    sa.Column('decline_note', sa.Text(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.Column('closed_by', sa.String(length=32), nullable=True),
    sa.Column('reminder_count', sa.Integer(), nullable=False),
    sa.Column('last_reminded_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('slack_channel', sa.String(length=32), nullable=True),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['members.id'], name=op.f('fk_requests_mentee_id_members')),
    sa.ForeignKeyConstraint(['mentor_id'], ['members.id'], name=op.f('fk_requests_mentor_id_members')),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_requests_team_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_mentee_status', ['mentee_id', 'status'], unique=False)
        batch_op.create_index('ix_requests_mentor_status', ['mentor_id', 'status'], unique=False)
        batch_op.create_index('ix_requests_team_status_created', ['team_id', 'status', 'created_at'], unique=False)
        batch_op.create_index('uq_requests_one_pending_per_pair', ['mentee_id', 'mentor_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('relationships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('active', 'finished', 'abandoned', name='relationshipstatus', native_enum=False, length=20), nullable=False),
    sa.Column('started_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.Integer(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('hidden_from_profile', sa.Boolean(), nullable=False),
    sa.Column('conversation_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['ended_by'], ['members.id'], name=op.f('fk_relationships_ended_by_members')),
    sa.ForeignKeyConstraint(['mentee_id'], ['members.id'], name=op.f('fk_relationships_mentee_id_members')),
    sa.ForeignKeyConstraint(['mentor_id'], ['members.id'], name=op.f('fk_relationships_mentor_id_members')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_relationships_request_id_requests')),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_relationships_team_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationships'))
    )
    with op.batch_alter_table('relationships', schema=None) as batch_op:
        batch_op.create_index('ix_relationships_mentee_status', ['mentee_id', 'status'], unique=False)
        batch_op.create_index('ix_relationships_mentor_status', ['mentor_id', 'status'], unique=False)
        batch_op.create_index('uq_relationships_one_active_per_pair', ['mentor_id', 'mentee_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('relationship_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=128), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'dropped', name='outboxstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_until', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('slack_channel', sa.String(length=32), nullable=True),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['members.id'], name=op.f('fk_outbox_recipient_id_members')),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_outbox_relationship_id_relationships')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_outbox_request_id_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('team_id', 'dedupe_key', name=op.f('uq_outbox_team_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox')
    with op.batch_alter_table('relationships', schema=None) as batch_op:
        batch_op.drop_index('uq_relationships_one_active_per_pair', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index('ix_relationships_mentor_status')
        batch_op.drop_index('ix_relationships_mentee_status')

    op.drop_table('relationships')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('uq_requests_one_pending_per_pair', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_requests_team_status_created')
        batch_op.drop_index('ix_requests_mentor_status')
        batch_op.drop_index('ix_requests_mentee_status')

    op.drop_table('requests')
    with op.batch_alter_table('member_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_member_tags_lookup')

    op.drop_table('member_tags')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_directory_scan')
        batch_op.drop_index('ix_members_directory')

    op.drop_table('members')
    op.drop_table('workspaces')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_team_at')
        batch_op.drop_index('ix_events_subject')

    op.drop_table('events')
