"""Poll runs and their per-region, per-service results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloudconnectors.storage.tables.base import Base, new_id, utcnow


class PollRunRow(Base):
    """One poll. Runs the scale-out tick creates carry ``scheduled_for``: the unique pair
    (connector, scheduled time) makes a tick that runs twice create the run once, and the
    task that executes it idempotent on it (``attempts`` counts redeliveries)."""

    __tablename__ = "poll_runs"
    __table_args__ = (
        Index("ix_poll_runs_connector_started", "connector_id", "started_at"),
        UniqueConstraint("connector_id", "scheduled_for", name="uq_poll_runs_connector_scheduled"),
        # The reaper's question: which runs are still queued or running?
        Index("ix_poll_runs_state", "state"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    connector_id: Mapped[str] = mapped_column(ForeignKey("connectors.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    worker: Mapped[str] = mapped_column(String(100), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    regions: Mapped[list[str]] = mapped_column(default=list)
    asset_count: Mapped[int] = mapped_column(default=0)
    vm_count: Mapped[int] = mapped_column(default=0)
    api_calls: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    warning: Mapped[str | None] = mapped_column(Text, default=None)
    snapshot_id: Mapped[str | None] = mapped_column(String(36), default=None)
    # Scale-out only (NULL for embedded and CLI polls).
    scheduled_for: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")


class SchedulerLeaseRow(Base):
    """Who runs the periodic tick: one row per role, held like a poll lease, so any
    number of ``serve`` or ``scheduler`` processes elect exactly one ticker."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]


class RunResultRow(Base):
    __tablename__ = "run_results"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("poll_runs.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(128))
    outcome: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(default=0)
    calls: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    error_code: Mapped[str | None] = mapped_column(String(128), default=None)
    permission: Mapped[str | None] = mapped_column(String(128), default=None)
    account: Mapped[str | None] = mapped_column(String(128), default=None)
