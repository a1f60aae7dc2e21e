"""The workflow history of a disposed-of record may have its free text redacted.

The history is append-only (foundation migration), like the audit log. As the disposal
migration did for the audit log, this narrows the refusal by one case: an UPDATE that
changes only `comment` and `data` of steps of a record that has a disposal record with a
disposal date (the lifecycle's name is the record type: dispute, complaint, escalation).
Every other update, and every delete, is still refused.

Revision ID: 7d3f1a9b6c52
Revises: 5e7a9c1d2b34
Create Date: 2026-12-07 16:35:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "7d3f1a9b6c52"
down_revision = "5e7a9c1d2b34"
branch_labels = None
depends_on = None

SAME_STEP = (
    "NEW.id = OLD.id AND NEW.lifecycle = OLD.lifecycle AND NEW.entity_id = OLD.entity_id"
    " AND NEW.trigger = OLD.trigger AND NEW.from_state = OLD.from_state AND NEW.to_state = OLD.to_state"
    " AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor_label = OLD.actor_label"
    " AND NEW.at = OLD.at AND NEW.occurred_on IS NOT DISTINCT FROM OLD.occurred_on"
)
DISPOSED = (
    "EXISTS (SELECT 1 FROM disposal_records d WHERE d.disposed_on IS NOT NULL"
    " AND d.record_type = OLD.lifecycle AND d.record_id = OLD.entity_id)"
)


def upgrade():
    _history_update_trigger(allow_redaction=True)


def downgrade():
    _history_update_trigger(allow_redaction=False)


def _history_update_trigger(*, allow_redaction: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS workflow_history_append_only ON workflow_history")
        if allow_redaction:
            op.execute(
                "CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger AS $$ BEGIN "
                f"IF TG_OP = 'UPDATE' AND {SAME_STEP} AND {DISPOSED} THEN RETURN NEW; END IF; "
                "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
            )
            function = "refuse_history_change"
        else:
            function = "refuse_change"
        op.execute(
            "CREATE TRIGGER workflow_history_append_only BEFORE UPDATE OR DELETE ON workflow_history "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        if not allow_redaction:
            op.execute("DROP FUNCTION IF EXISTS refuse_history_change()")
        return
    op.execute("DROP TRIGGER IF EXISTS workflow_history_no_update")
    when = f" WHEN NOT ({SAME_STEP.replace('IS NOT DISTINCT FROM', 'IS')} AND {DISPOSED})" if allow_redaction else ""
    op.execute(
        f"CREATE TRIGGER workflow_history_no_update BEFORE UPDATE ON workflow_history{when} "
        "BEGIN SELECT RAISE(ABORT, 'workflow_history is append-only'); END"
    )
