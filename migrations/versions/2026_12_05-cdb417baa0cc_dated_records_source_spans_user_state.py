"""dated records, source spans, user state

Revision ID: cdb417baa0cc
Revises: b7b45054bbde
Create Date: 2026-12-05 16:11:29.798843

- ``progressupdate.as_of``: the day a record speaks for, apart from when it was typed (``recorded_at``).
  Existing records speak for the local day they were typed on (the office's zone, read from this machine).
- ``progressupdate.moved_from``: set on the records a merge of two tasks moved to the surviving task.
- ``planitem`` / ``task``: ``source_label`` (the label as the source wrote it, kept when a person
  renumbers), ``source_start_line`` / ``source_end_line`` (the span in the plan's source text, unknown for
  rows imported before this revision) and ``origin`` (import, split, merge, added).
- ``user_state``: what the TUI remembers per login (department chosen, last visit).
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = "cdb417baa0cc"
down_revision: str | None = "b7b45054bbde"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _source_columns(batch_op: object) -> None:
    batch_op.add_column(sa.Column("source_label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))  # type: ignore[attr-defined]
    batch_op.add_column(sa.Column("source_start_line", sa.Integer(), nullable=True))  # type: ignore[attr-defined]
    batch_op.add_column(sa.Column("source_end_line", sa.Integer(), nullable=True))  # type: ignore[attr-defined]
    batch_op.add_column(  # type: ignore[attr-defined]
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=10), server_default="import", nullable=False)
    )


def _local_day_of_recorded_at() -> str:
    """SQL for the local date of ``recorded_at`` (stored in UTC), for this machine's UTC offset."""
    offset = datetime.now().astimezone().utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    if op.get_bind().dialect.name == "sqlite":
        return f"date(recorded_at, '{hours:+d} hours')"
    return f"CAST(recorded_at + INTERVAL '{hours} hours' AS DATE)"


def upgrade() -> None:
    op.create_table(
        "user_state",
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("login"),
    )
    with op.batch_alter_table("planitem", schema=None) as batch_op:
        _source_columns(batch_op)
    with op.batch_alter_table("task", schema=None) as batch_op:
        _source_columns(batch_op)
    op.execute("UPDATE planitem SET source_label = label")
    op.execute("UPDATE task SET source_label = label")

    with op.batch_alter_table("progressupdate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("moved_from", sqlmodel.sql.sqltypes.AutoString(length=600), nullable=True))
    op.execute(f"UPDATE progressupdate SET as_of = {_local_day_of_recorded_at()}")
    with op.batch_alter_table("progressupdate", schema=None) as batch_op:
        batch_op.alter_column("as_of", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(batch_op.f("ix_progressupdate_as_of"), ["as_of"], unique=False)
        batch_op.create_index("ix_progressupdate_task_as_of", ["task_id", "as_of"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        for name in ("origin", "source_end_line", "source_start_line", "source_label"):
            batch_op.drop_column(name)
    with op.batch_alter_table("progressupdate", schema=None) as batch_op:
        batch_op.drop_index("ix_progressupdate_task_as_of")
        batch_op.drop_index(batch_op.f("ix_progressupdate_as_of"))
        batch_op.drop_column("moved_from")
        batch_op.drop_column("as_of")
    with op.batch_alter_table("planitem", schema=None) as batch_op:
        for name in ("origin", "source_end_line", "source_start_line", "source_label"):
            batch_op.drop_column(name)
    op.drop_table("user_state")
