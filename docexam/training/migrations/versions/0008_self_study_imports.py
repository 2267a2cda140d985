"""Self-study records are imported as units too: ``imports.kind`` may be 'self-study'.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

``docexam sync`` pushes the attempts officers made outside any workshop
and their refresher schedules (:mod:`docexam.training.self_study`); the
server records each such import like a workshop import, so it can be
undone. Frozen.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _kinds(kinds: str) -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table with the new one
    with op.batch_alter_table("imports", recreate="auto") as batch:
        batch.drop_constraint("ck_imports_kind", type_="check")
        batch.create_check_constraint("ck_imports_kind", f"kind IN ({kinds})")


def upgrade() -> None:
    _kinds("'workshop', 'pack', 'self-study'")


def downgrade() -> None:
    op.execute("DELETE FROM import_rows WHERE import_id IN (SELECT id FROM imports WHERE kind = 'self-study')")
    op.execute("DELETE FROM imports WHERE kind = 'self-study'")
    _kinds("'workshop', 'pack'")
