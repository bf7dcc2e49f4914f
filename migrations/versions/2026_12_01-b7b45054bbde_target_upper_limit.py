"""target upper limit

Revision ID: b7b45054bbde
Revises: 799e77d3dd35
Create Date: 2026-12-01 07:38:54.591950

A target can be an upper limit (行政诉讼败诉率控制在10%以内): ``target.at_most``. Before this column the importer
marked such targets by appending （上限） to the name; upgrading turns that mark into the flag (and takes it off
the name), downgrading puts it back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "b7b45054bbde"
down_revision: str | None = "799e77d3dd35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARK = "（上限）"  # the old importer's name suffix for an upper limit
_target = sa.table("target", sa.column("name", sa.String), sa.column("at_most", sa.Boolean))


def upgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("at_most", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.execute(
        _target.update()
        .where(_target.c.name.like(f"%{MARK}"))
        .values(
            name=sa.func.substr(_target.c.name, 1, sa.func.length(_target.c.name) - len(MARK)),
            at_most=sa.true(),
        )
    )


def downgrade() -> None:
    op.execute(_target.update().where(_target.c.at_most == sa.true()).values(name=_target.c.name + MARK))

    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_column("at_most")
