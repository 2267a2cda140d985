"""The course: workshop settings and frozen test forms, trainee merges, retired specimens;
identity keys tolerant of punctuation and Unicode normalisation.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

* ``workshop_course``: per workshop, the trainer's course settings (order of
  the steps, opening times, pass mark, certificate rule) and the pre- and
  post-test forms as first drawn (frozen, so every trainee of a workshop sits
  the same items even when the item statistics change).
* ``trainee_merges``: two records found to be the same officer. Nothing is
  deleted or rewritten (attempts are append-only): reads resolve the alias
  to the record kept, and an undo sets ``undone_at``.
* ``retired_specimens``: specimens no new quiz or test draws on; old
  attempts keep them in their history.
* ``trainees.identity_key`` recomputed: NFC, case-folded, punctuation and
  symbols read as spaces, spaces folded ("Immigration, Poipet checkpoint"
  is "Immigration Poipet checkpoint"). Where two existing records now share
  a key, the later keeps a key suffixed with its id (a merge candidate the
  trainer's page lists). Frozen.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    return " ".join(text.split())


def upgrade() -> None:
    op.create_table(
        "workshop_course",
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), primary_key=True),
        sa.Column("settings", sa.JSON, nullable=True),
        sa.Column("forms", sa.JSON, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "trainee_merges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alias_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("target_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("alias_id <> target_id", name="ck_trainee_merges_two"),
        sa.Index("ix_trainee_merges_alias", "alias_id"),
    )
    op.create_table(
        "retired_specimens",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
    )
    conn = op.get_bind()
    trainees = sa.table("trainees", sa.column("id", sa.Integer), sa.column("name", sa.String),
                        sa.column("department", sa.String), sa.column("province", sa.String),
                        sa.column("identity_key", sa.String))
    rows = conn.execute(sa.select(trainees.c.id, trainees.c.name, trainees.c.department, trainees.c.province)
                        .order_by(trainees.c.id)).all()
    # two passes: first free every key (a new key may equal another row's old one), then set them
    for row in rows:
        conn.execute(trainees.update().where(trainees.c.id == row.id).values(identity_key=f"#migrating {row.id}"))
    taken: set[str] = set()
    for row in rows:
        key = "\x1f".join(_fold(part) for part in (row.name, row.department, row.province))
        if key in taken:
            key = f"{key}\x1f#{row.id}"
        taken.add(key)
        conn.execute(trainees.update().where(trainees.c.id == row.id).values(identity_key=key))


def downgrade() -> None:
    op.drop_table("retired_specimens")
    op.drop_table("trainee_merges")
    op.drop_table("workshop_course")
