"""organization connectors and their member connectors (issue 16)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 00:00:00

An organization connector (``kind = 'organization'``) keeps its root, member role and
include/exclude filters in ``organization``; every member it discovers is a connector of its
own with ``parent_id`` pointing at it, ``member`` describing the account, and ``gone_at`` set
once the member has left the organization (its runs and reports stay).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from cloudconnectors.storage.tables.base import UtcDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=False,
                                      server_default="account"))
        batch_op.add_column(sa.Column("parent_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("organization", json, nullable=True))
        batch_op.add_column(sa.Column("member", json, nullable=True))
        batch_op.add_column(sa.Column("gone_at", UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_connectors_parent_id"), ["parent_id"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_connectors_parent_id_connectors"),
                                    "connectors", ["parent_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_connectors_parent_id_connectors"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_connectors_parent_id"))
        batch_op.drop_column("gone_at")
        batch_op.drop_column("member")
        batch_op.drop_column("organization")
        batch_op.drop_column("parent_id")
        batch_op.drop_column("kind")
