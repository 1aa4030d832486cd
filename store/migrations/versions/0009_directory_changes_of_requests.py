"""directory changes of requests: a mentor whose waiting requests changed is logged too

The directory index (mentoring.directory.index) keeps each mentor's count of mentee requests
waiting for their answer, which recommendations weigh in the fairness penalty. These triggers
log the mentor whenever a request starts or stops counting for them (made, answered, withdrawn,
expired, closed, deleted, or moved to another mentor or kind), by whatever path. A reminder
changes neither status nor mentor, so it logs nothing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 15:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# A request the index counts: a mentee's request still waiting for the mentor.
NEW_WAITING = "(NEW.status = 'pending' AND NEW.kind = 'mentee_request')"
OLD_WAITING = "(OLD.status = 'pending' AND OLD.kind = 'mentee_request')"
# (trigger name, event, WHEN condition, team expression, member expression)
TRIGGERS = (
    ("req_ins", "INSERT", NEW_WAITING, "NEW.team_id", "NEW.mentor_id"),
    (
        "req_upd",
        "UPDATE OF status, kind, mentor_id, team_id",
        f"{NEW_WAITING} OR {OLD_WAITING}",
        "NEW.team_id",
        "NEW.mentor_id",
    ),
    (
        "req_upd_old",
        "UPDATE OF mentor_id, team_id",
        f"{OLD_WAITING} AND (OLD.mentor_id <> NEW.mentor_id OR OLD.team_id <> NEW.team_id)",
        "OLD.team_id",
        "OLD.mentor_id",
    ),
    ("req_del", "DELETE", OLD_WAITING, "OLD.team_id", "OLD.mentor_id"),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, event, when, team, member in TRIGGERS:
        if postgres:
            op.execute(
                f"CREATE FUNCTION directory_change_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN INSERT INTO directory_changes (team_id, member_id, xid) "
                f"VALUES ({team}, {member}, pg_current_xact_id()::text::bigint); "
                "RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER directory_change_{name} AFTER {event} ON requests "
                f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION directory_change_{name}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER directory_change_{name} AFTER {event} ON requests "
                f"FOR EACH ROW WHEN {when} BEGIN "
                f"INSERT INTO directory_changes (team_id, member_id) VALUES ({team}, {member}); "
                "END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, *_ in TRIGGERS:
        op.execute(
            f"DROP TRIGGER IF EXISTS directory_change_{name}" + (" ON requests" if postgres else "")
        )
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS directory_change_{name}()")
