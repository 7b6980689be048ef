"""scale-out: queued runs unique on (connector, scheduled time), tick election

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 19:55:00

Written by hand after autogenerate; batch mode so SQLite can add the unique constraint.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cloudconnectors.storage.tables.base import UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("poll_runs") as batch:
        batch.add_column(sa.Column("scheduled_for", UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("published_at", UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.create_unique_constraint(
            "uq_poll_runs_connector_scheduled", ["connector_id", "scheduled_for"]
        )
        batch.create_index("ix_poll_runs_state", ["state"], unique=False)
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("expires_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )


def downgrade() -> None:
    op.drop_table("scheduler_leases")
    with op.batch_alter_table("poll_runs") as batch:
        batch.drop_index("ix_poll_runs_state")
        batch.drop_constraint("uq_poll_runs_connector_scheduled", type_="unique")
        batch.drop_column("attempts")
        batch.drop_column("published_at")
        batch.drop_column("scheduled_for")
