"""Connectors (with their lease and sealed credentials) and issued AWS External IDs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloudconnectors.storage.tables.base import Base, new_id, utcnow


class ConnectorRow(Base):
    __tablename__ = "connectors"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name", name="uq_connectors_tenant_name"),
        Index("ix_connectors_due", "next_run_at"),
        # Listing pages: each serves one filter+sort from the index alone (ids first, then
        # only the page's rows are read), so deep offsets and filtered totals stay cheap.
        Index("ix_connectors_tenant_name", "tenant_id", "name", "id"),
        Index("ix_connectors_tenant_status_name", "tenant_id", "status", "name", "id"),
        Index("ix_connectors_tenant_provider_name", "tenant_id", "provider", "name", "id"),
        Index("ix_connectors_tenant_created", "tenant_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(16), index=True)
    run_frequency_minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), index=True)
    discovery: Mapped[str | None] = mapped_column(String(32), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    warning: Mapped[str | None] = mapped_column(Text, default=None)
    credentials_public: Mapped[dict[str, Any]]
    credentials_sealed: Mapped[str] = mapped_column(Text)
    # Which of the accounts a connector can see it reads: {"include": [...], "exclude": [...]}
    # (GCP project IDs); None reads them all.
    scope: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # ``rules`` or ``full`` (domain.connector.INVENTORY_CHOICES): what a poll reads.
    inventory: Mapped[str] = mapped_column(String(8), default="rules", server_default="rules")
    last_run_at: Mapped[datetime | None] = mapped_column(default=None)
    next_run_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Claim-by-lease: whoever holds an unexpired lease is the only one polling.
    lease_owner: Mapped[str | None] = mapped_column(String(100), default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    refresh_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    # While a Refresh waits for a poller: the status to go back to if none takes it in time.
    refresh_previous_status: Mapped[str | None] = mapped_column(String(16), default=None)
    # The last complete snapshot; readers follow this pointer, so a swap is atomic.
    current_snapshot_id: Mapped[str | None] = mapped_column(String(36), default=None)
    # Organizations (issue 16): "account" or "organization". An organization connector keeps
    # its root, member role and filters in ``organization``; each member it found is a child
    # connector (``parent_id``) whose ``member`` holds the account, name, OU path and tags.
    # A member no longer in the organization keeps its row and history, with ``gone_at``.
    kind: Mapped[str] = mapped_column(String(16), default="account", server_default="account")
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("connectors.id", ondelete="CASCADE"), default=None, index=True)
    organization: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    member: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    gone_at: Mapped[datetime | None] = mapped_column(default=None)


class ExternalIdRow(Base):
    """An AWS External ID we issued: bound to a tenant, used by at most one connector."""

    __tablename__ = "aws_external_ids"

    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    connector_id: Mapped[str | None] = mapped_column(String(36), default=None, unique=True)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
