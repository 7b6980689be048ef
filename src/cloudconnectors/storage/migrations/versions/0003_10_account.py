"""account column on assets and run results (issue 10)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 19:40:00

One connector can read several projects or subscriptions (GCP sees every project its key can
list): each asset and each collector outcome names the one it belongs to; NULL means the
connector's own account, so existing rows keep their meaning.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account", sa.String(length=128), nullable=True))
        batch_op.create_index("ix_assets_snapshot_account", ["snapshot_id", "account", "key"],
                              unique=False)
    with op.batch_alter_table("run_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_results", schema=None) as batch_op:
        batch_op.drop_column("account")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index("ix_assets_snapshot_account")
        batch_op.drop_column("account")
