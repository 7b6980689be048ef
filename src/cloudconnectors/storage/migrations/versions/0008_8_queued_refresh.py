"""a queued Refresh remembers the status it goes back to (issue 8)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 23:30:00

A connector reads ``refreshing`` from the moment a Refresh is accepted. While no poller has
taken it, ``refresh_previous_status`` holds the status it had, so a refresh that nobody takes
within the lease time goes back to it; the column is empty while a poll actually runs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refresh_previous_status", sa.String(length=16),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.drop_column("refresh_previous_status")
