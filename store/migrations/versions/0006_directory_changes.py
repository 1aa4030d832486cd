"""directory changes: triggers log every mentor whose directory data changed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# What the directory reads of a member (mentoring.directory.index): a change to any of these
# columns of a mentor, or of a member becoming or ceasing to be one, is logged.
MEMBER_COLUMNS = (
    "team_id, display_name, tz, is_mentor, functional_area, expertise, location, languages, "
    "gender, search_text, mentor_capacity, paused_until, deactivated_at"
)
# (trigger name, table, event, WHEN condition, team expression, member expression)
TRIGGERS = (
    ("members_ins", "members", "INSERT", "NEW.is_mentor", "NEW.team_id", "NEW.id"),
    (
        "members_upd",
        "members",
        f"UPDATE OF {MEMBER_COLUMNS}",
        "NEW.is_mentor OR OLD.is_mentor",
        "NEW.team_id",
        "NEW.id",
    ),
    ("members_del", "members", "DELETE", "OLD.is_mentor", "OLD.team_id", "OLD.id"),
    ("tags_ins", "member_tags", "INSERT", None, "NEW.team_id", "NEW.member_id"),
    ("tags_del", "member_tags", "DELETE", None, "OLD.team_id", "OLD.member_id"),
    ("rel_ins", "relationships", "INSERT", None, "NEW.team_id", "NEW.mentor_id"),
    (
        "rel_upd",
        "relationships",
        "UPDATE OF status, mentor_id",
        None,
        "NEW.team_id",
        "NEW.mentor_id",
    ),
    ("rel_upd_old", "relationships", "UPDATE OF mentor_id", None, "OLD.team_id", "OLD.mentor_id"),
    ("rel_del", "relationships", "DELETE", None, "OLD.team_id", "OLD.mentor_id"),
)


def upgrade() -> None:
    op.create_table(
        "directory_changes",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_directory_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_directory_changes_team_seq", "directory_changes", ["team_id", "seq"], unique=False
    )
    op.create_index(
        "ix_directory_changes_team_xid", "directory_changes", ["team_id", "xid"], unique=False
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, event, when, team, member in TRIGGERS:
        if postgres:
            op.execute(
                f"CREATE FUNCTION directory_change_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN INSERT INTO directory_changes (team_id, member_id, xid) "
                f"VALUES ({team}, {member}, pg_current_xact_id()::text::bigint); "
                "RETURN NULL; END $$"
            )
            condition = f"WHEN ({when}) " if when else ""
            op.execute(
                f"CREATE TRIGGER directory_change_{name} AFTER {event} ON {table} "
                f"FOR EACH ROW {condition}EXECUTE FUNCTION directory_change_{name}()"
            )
        else:
            condition = f"WHEN {when} " if when else ""
            op.execute(
                f"CREATE TRIGGER directory_change_{name} AFTER {event} ON {table} "
                f"FOR EACH ROW {condition}BEGIN "
                f"INSERT INTO directory_changes (team_id, member_id) VALUES ({team}, {member}); "
                "END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, *_ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS directory_change_{name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS directory_change_{name}()")
    op.drop_index("ix_directory_changes_team_xid", table_name="directory_changes")
    op.drop_index("ix_directory_changes_team_seq", table_name="directory_changes")
    op.drop_table("directory_changes")
