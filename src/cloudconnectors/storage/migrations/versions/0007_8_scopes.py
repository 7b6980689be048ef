"""carried-forward assets and per-scope read outcomes (issue 8)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 20:00:00

A scope (region x resource type) a poll could not read keeps its assets from the previous
snapshot, marked ``stale`` with ``last_read_at``; the run result of that scope records how many
were carried and whether its listing stopped part-way (``truncated``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cloudconnectors.storage.tables.base import UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stale", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("last_read_at", UtcDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table("run_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("truncated", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("carried", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("last_read_at", UtcDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_results", schema=None) as batch_op:
        batch_op.drop_column("last_read_at")
        batch_op.drop_column("carried")
        batch_op.drop_column("truncated")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("last_read_at")
        batch_op.drop_column("stale")
