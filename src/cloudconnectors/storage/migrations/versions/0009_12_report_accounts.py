"""reports per project: findings and evaluation counts name their project (issue 12)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 23:59:00

A GCP connector reads several projects (an Azure one a subscription): each finding records the
project it is in, and each evaluation keeps its counts and scores per project, so a report can
be read for one project and agree with the connector's totals.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account", sa.String(length=128), nullable=True))
    with op.batch_alter_table("report_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_counts", _json(), nullable=False,
                                      server_default="{}"))
        batch_op.add_column(sa.Column("account_scores", _json(), nullable=False,
                                      server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("report_runs", schema=None) as batch_op:
        batch_op.drop_column("account_scores")
        batch_op.drop_column("account_counts")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("account")
