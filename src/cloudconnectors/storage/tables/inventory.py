"""Inventory snapshots: one per poll, complete or not visible at all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cloudconnectors.storage.tables.base import Base, new_id, utcnow


class SnapshotRow(Base):
    """``state`` is ``writing`` until the poll finishes; only then does the connector's
    ``current_snapshot_id`` move to it, in the same transaction that marks it complete."""

    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_connector_started", "connector_id", "started_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    connector_id: Mapped[str] = mapped_column(ForeignKey("connectors.id", ondelete="CASCADE"))
    run_id: Mapped[str | None] = mapped_column(String(36), default=None)
    state: Mapped[str] = mapped_column(String(16), default="writing")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    asset_count: Mapped[int] = mapped_column(default=0)
    vm_count: Mapped[int] = mapped_column(default=0)
    type_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    regions: Mapped[list[str]] = mapped_column(default=list)


class AssetRow(Base):
    __tablename__ = "assets"
    __table_args__ = (
        # Pages are ordered by key within a snapshot: the primary key and these serve them.
        Index("ix_assets_snapshot_type", "snapshot_id", "type", "key"),
        Index("ix_assets_snapshot_region", "snapshot_id", "region", "key"),
        Index("ix_assets_snapshot_account", "snapshot_id", "account", "key"),
    )

    snapshot_id: Mapped[str] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)
    connector_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(64))
    native_id: Mapped[str] = mapped_column(String(2048))
    name: Mapped[str | None] = mapped_column(String(1024), default=None)
    data: Mapped[dict[str, Any]]
    #: The project or subscription the resource lives in (None: the connector's own account).
    account: Mapped[str | None] = mapped_column(String(128), default=None)
