"""a connector's inventory setting (issue 17)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 06:00:00

``inventory`` says what a poll reads: ``rules`` (the default, and what every existing
connector keeps) reads only what the compliance rules read; ``full`` reads every resource type
and detail the provider knows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inventory", sa.String(length=8), nullable=False,
                                      server_default="rules"))


def downgrade() -> None:
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.drop_column("inventory")
