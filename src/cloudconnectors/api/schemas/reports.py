"""Compliance shapes: frameworks, reports (``Report.to_dict()``), the overview, evaluations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cloudconnectors.services.compliance import ConnectorSummary
from cloudconnectors.services.organization_reports import OrganizationReport
from cloudconnectors.services.reports import EvaluationSummary


class FrameworkOut(BaseModel):
    id: str
    name: str
    version: str
    provider: str | None = Field(description="None: applies to every provider (custom).")
    description: str = ""
    controls: int
    automated: int = Field(description="Controls with at least one rule.")
    manual: int = Field(description="Controls a person must check.")

    @classmethod
    def of(cls, summary: dict[str, Any]) -> FrameworkOut:
        return cls(id=summary["id"], name=summary["name"], version=summary["version"],
                   provider=summary["provider"], description=summary.get("description", ""),
                   controls=summary["controls"], automated=summary["automated_controls"],
                   manual=summary["manual_controls"])


class FrameworkList(BaseModel):
    items: list[FrameworkOut]


class FindingOut(BaseModel):
    rule_id: str
    resource_key: str = Field(description="The asset ID (GET /assets/{id}), or 'account'.")
    resource_type: str
    region: str
    resource_id: str
    resource_name: str | None
    severity: str
    state: str = Field(description="open | reopened | fixed")
    reason: str
    first_seen: datetime
    last_seen: datetime
    fixed_at: datetime | None = None
    reopened_at: datetime | None = None
    times_reopened: int = 0
    account: str | None = Field(default=None, description="The GCP project or Azure "
                                "subscription the resource is in (None: the connector itself).")


class ControlOut(BaseModel):
    id: str
    title: str
    section: str
    level: int | None
    status: str = Field(description="pass | fail | not_evaluated | manual | not_applicable "
                        "(manual: by design; not_evaluated: an automated control that could "
                        "not be decided)")
    automated: bool
    rules: list[str]
    passed: int
    failed: int
    manual: int
    not_applicable: int
    notes: list[str]
    failing: list[FindingOut]


class ReportTrendOut(BaseModel):
    evaluated_at: datetime
    score: float | None
    snapshot_id: str | None


class ReportOut(BaseModel):
    framework: dict[str, Any]
    connector_id: str
    connector_name: str
    provider: str
    account_uid: str | None = Field(
        default=None, description="The AWS account, GCP project or Azure subscription read.")
    account: str | None = Field(
        default=None, description="The project or subscription the report is read for "
        "(?account=); None: the whole connector.")
    accounts: list[str] = Field(
        default_factory=list, description="Every project or subscription the connector's "
        "latest evaluation has results for (the values ?account= takes); empty for a "
        "connector that reads a single account.")
    evaluated_at: datetime | None
    snapshot_id: str | None
    score: float | None = Field(description="passed / (passed + failed) over automated "
                                "results; None when nothing was automated.")
    results: dict[str, int]
    controls_by_status: dict[str, int] = Field(
        description="Controls by status: pass, fail, not_evaluated, manual, not_applicable.")
    controls: list[ControlOut]
    fixed: list[FindingOut]
    trend: list[ReportTrendOut]


class TrendPointOut(BaseModel):
    at: datetime
    score: float | None


class ConnectorReportSummary(BaseModel):
    connector_id: str
    connector_name: str
    provider: str
    framework: str | None = Field(description="None when no framework applies yet.")
    score: float | None
    passed: int = Field(description="Results (one per rule and resource) that passed; "
                        "score = passed / (passed + failed).")
    failed: int = Field(description="Results that failed.")
    manual: int = Field(description="Results a person must check.")
    not_applicable: int = Field(description="Results with nothing to check.")
    controls: dict[str, int] = Field(description="Controls by status: pass, fail, "
                                     "not_evaluated, manual, not_applicable.")
    evaluated_at: datetime | None = Field(description="None until first evaluated.")
    snapshot_id: str | None
    trend: list[TrendPointOut] = Field(description="Score per evaluation, oldest first.")

    @classmethod
    def of(cls, s: ConnectorSummary) -> ConnectorReportSummary:
        return cls(
            connector_id=s.connector_id, connector_name=s.connector_name, provider=s.provider,
            framework=s.framework, score=s.score, passed=s.passed, failed=s.failed,
            manual=s.manual, not_applicable=s.not_applicable, controls=s.controls,
            evaluated_at=s.evaluated_at, snapshot_id=s.snapshot_id,
            trend=[TrendPointOut(at=p.at, score=p.score) for p in s.trend])


class ReportSummaryList(BaseModel):
    items: list[ConnectorReportSummary]


class HistoryOut(BaseModel):
    opened: int
    reopened: int
    fixed: int
    still_open: int


class EvaluationOut(BaseModel):
    run_id: str
    connector_id: str
    snapshot_id: str
    evaluated_at: datetime
    duration_ms: int
    asset_count: int
    result_count: int
    scores: dict[str, float | None] = Field(description="Score per framework ID.")
    findings: HistoryOut

    @classmethod
    def of(cls, s: EvaluationSummary) -> EvaluationOut:
        h = s.history
        return cls(run_id=s.run_id, connector_id=s.connector_id, snapshot_id=s.snapshot_id,
                   evaluated_at=s.evaluated_at, duration_ms=s.duration_ms,
                   asset_count=s.asset_count, result_count=s.result_count, scores=s.scores,
                   findings=HistoryOut(opened=h.opened, reopened=h.reopened, fixed=h.fixed,
                                       still_open=h.still_open))


class MemberReportSummary(ConnectorReportSummary):
    account: str = Field(description="The member's account, project or subscription ID.")
    status: str = Field(description="The member connector's status.")
    gone: bool = Field(description="The member left the organization or is excluded.")


class OrganizationReportOut(BaseModel):
    organization_id: str
    organization_name: str
    framework: str | None
    score: float | None = Field(description="passed / (passed + failed) over the present "
                                "members' results; None before any member is evaluated.")
    passed: int
    failed: int
    members: list[MemberReportSummary] = Field(
        description="One per member, worst score first; not yet evaluated, then gone, last.")

    @classmethod
    def of(cls, report: OrganizationReport) -> OrganizationReportOut:
        return cls(
            organization_id=report.organization_id,
            organization_name=report.organization_name, framework=report.framework,
            score=report.score, passed=report.passed, failed=report.failed,
            members=[MemberReportSummary(**ConnectorReportSummary.of(m.summary).model_dump(),
                                         account=m.account, status=m.status, gone=m.gone)
                     for m in report.members])
