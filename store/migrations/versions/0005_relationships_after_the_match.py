"""relationships after the match: goals, check-ins, closure feedback, terms, departures

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 09:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('relationship_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('since', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('asked_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('mentor_answer', sa.String(length=8), nullable=True),
    sa.Column('mentor_answered_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('mentor_rating', sa.Integer(), nullable=True),
    sa.Column('mentor_note', sa.Text(), nullable=True),
    sa.Column('mentee_answer', sa.String(length=8), nullable=True),
    sa.Column('mentee_answered_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('mentee_rating', sa.Integer(), nullable=True),
    sa.Column('mentee_note', sa.Text(), nullable=True),
    sa.Column('slack_channel', sa.String(length=32), nullable=True),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_relationship_checkins_relationship_id_relationships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_checkins')),
    sa.UniqueConstraint('relationship_id', 'number', name=op.f('uq_relationship_checkins_relationship_id'))
    )
    with op.batch_alter_table('relationship_checkins', schema=None) as batch_op:
        batch_op.create_index('ix_relationship_checkins_team_asked', ['team_id', 'asked_at'], unique=False)

    op.create_table('relationship_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=8), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('slack_channel', sa.String(length=32), nullable=True),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_relationship_feedback_member_id_members')),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_relationship_feedback_relationship_id_relationships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_feedback')),
    sa.UniqueConstraint('relationship_id', 'member_id', name=op.f('uq_relationship_feedback_relationship_id'))
    )
    with op.batch_alter_table('relationship_feedback', schema=None) as batch_op:
        batch_op.create_index('ix_relationship_feedback_waiting', ['team_id', 'answered_at', 'reminded_at'], unique=False)

    op.create_table('relationship_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['done_by'], ['members.id'], name=op.f('fk_relationship_goals_done_by_members')),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_relationship_goals_relationship_id_relationships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_goals')),
    sa.UniqueConstraint('relationship_id', 'position', name=op.f('uq_relationship_goals_relationship_id'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_at', store.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('relationships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intro_ts', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('end_cause', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('checkins_asked', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('last_checkin_at', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('at_risk_since', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('at_risk_reason', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('nudged_at', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('term_ends_at', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('term_asked_for', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('term_decision', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('term_card_ts', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_relationships_team_status', ['team_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('relationships', schema=None) as batch_op:
        batch_op.drop_index('ix_relationships_team_status')
        batch_op.drop_column('term_card_ts')
        batch_op.drop_column('term_decision')
        batch_op.drop_column('term_asked_for')
        batch_op.drop_column('term_ends_at')
        batch_op.drop_column('nudged_at')
        batch_op.drop_column('at_risk_reason')
        batch_op.drop_column('at_risk_since')
        batch_op.drop_column('last_checkin_at')
        batch_op.drop_column('checkins_asked')
        batch_op.drop_column('end_cause')
        batch_op.drop_column('intro_ts')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')

    op.drop_table('relationship_goals')
    with op.batch_alter_table('relationship_feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_relationship_feedback_waiting')

    op.drop_table('relationship_feedback')
    with op.batch_alter_table('relationship_checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_relationship_checkins_team_asked')

    op.drop_table('relationship_checkins')
