"""Compliance findings with their history, evaluation runs (for trends) and tenant rules.

A finding is one failing (rule, resource) of a connector. It is never deleted when it stops
failing: its ``state`` moves to ``fixed`` with ``fixed_at``, and back to ``reopened`` if the
failure returns, so a report can say since when something fails and what was fixed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloudconnectors.storage.tables.base import Base, new_id, utcnow


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "connector_id", "rule_id", "resource_key",
                         name="uq_findings_identity"),
        Index("ix_findings_connector_state", "connector_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"),
                                           index=True)
    connector_id: Mapped[str] = mapped_column(ForeignKey("connectors.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(128))
    resource_key: Mapped[str] = mapped_column(String(200))
    resource_type: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(64))
    # The project or subscription the resource lives in (None: the connector as a whole).
    account: Mapped[str | None] = mapped_column(String(128), default=None)
    resource_id: Mapped[str] = mapped_column(String(2048))
    resource_name: Mapped[str | None] = mapped_column(String(1024), default=None)
    severity: Mapped[str] = mapped_column(String(16))
    # open -> fixed -> reopened -> fixed ...
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    fixed_at: Mapped[datetime | None] = mapped_column(default=None)
    reopened_at: Mapped[datetime | None] = mapped_column(default=None)
    times_reopened: Mapped[int] = mapped_column(default=0)
    last_snapshot_id: Mapped[str | None] = mapped_column(String(36), default=None)


class ReportRunRow(Base):
    """One evaluation of a connector's snapshot: per-rule counts and per-framework scores,
    kept so trends can be drawn without re-evaluating old snapshots."""

    __tablename__ = "report_runs"
    __table_args__ = (Index("ix_report_runs_connector_evaluated", "connector_id",
                            "evaluated_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"),
                                           index=True)
    connector_id: Mapped[str] = mapped_column(ForeignKey("connectors.id", ondelete="CASCADE"))
    snapshot_id: Mapped[str | None] = mapped_column(String(36), default=None)
    evaluated_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int] = mapped_column(default=0)
    asset_count: Mapped[int] = mapped_column(default=0)
    result_count: Mapped[int] = mapped_column(default=0)
    # {rule_id: {"pass": n, "fail": n, "manual": n, "not_applicable": n, "manual_reasons": []}}
    rule_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # {framework_id: score in [0, 1] or None when nothing was automated}
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Per project or subscription, for a report read for one of them ("" = the results about
    # the connector as a whole): {account: {rule_id: counts}}, kept on the newest run only;
    # and {account: {framework_id: score}} on every run, for that view's trend. Both are
    # empty for a connector that reads a single account.
    account_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    account_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CustomRuleRow(Base):
    """A tenant's declarative rule, stored as its validated spec."""

    __tablename__ = "custom_rules"
    __table_args__ = (UniqueConstraint("tenant_id", "rule_id", name="uq_custom_rules_tenant_rule"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"),
                                           index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    spec: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
