"""/api/v1/reports: one connector's report, the tenant overview, exports; and re-evaluation."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from cloudconnectors.api.deps import AdminDep, ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import NO_NUL, ErrorOut
from cloudconnectors.api.schemas.reports import (
    ConnectorReportSummary,
    EvaluationOut,
    OrganizationReportOut,
    ReportOut,
    ReportSummaryList,
)
from cloudconnectors.rules.frameworks import CUSTOM_FRAMEWORK_ID, builtin_frameworks
from cloudconnectors.services import compliance, organization_reports
from cloudconnectors.services import reports as service

router = APIRouter(
    tags=["reports"],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)

ConnectorParam = Annotated[str, Query(max_length=64, description="A connector ID")]
FrameworkParam = Annotated[
    str | None,
    Query(max_length=100, description="A framework ID (GET /frameworks); default: the CIS "
          "benchmark of the connector's provider. `custom` exists once the tenant uploaded "
          "custom rules (404 before).",
          json_schema_extra={"enum": [*(f.id for f in builtin_frameworks()),
                                      CUSTOM_FRAMEWORK_ID]}),
]
ExportFormat = Literal["json", "csv", "html", "ocsf"]
AccountParam = Annotated[
    str | None,
    Query(max_length=128, pattern=NO_NUL,
          description="With connector: its report for one GCP project or Azure subscription "
          "(the report's `accounts` lists them). Without connector: only the connectors that "
          "read that account, project or subscription."),
]


@router.get("/reports", response_model=ReportOut | ReportSummaryList)
def get_reports(
    ctx: ContextDep,
    principal: PrincipalDep,
    connector: Annotated[str | None, Query(max_length=64, description="A connector ID; "
                                           "without it, one summary per connector")] = None,
    framework: FrameworkParam = None,
    fixed_since: Annotated[datetime | None, Query(description="List findings fixed since "
                                                  "then (default: all)")] = None,
    trend: Annotated[int, Query(ge=1, le=100, description="Trend points per connector")] = 30,
    account: AccountParam = None,
) -> ReportOut | ReportSummaryList:
    """With ``connector``: its report (score, controls, failing resources with first/last
    seen, fixed findings, trend). Without: the tenant overview from stored evaluations."""
    db, tenant_id = ctx.db, principal.tenant_id
    if connector is None:
        found = compliance.summaries(db, tenant_id, framework, trend, account=account)
        return ReportSummaryList(items=[ConnectorReportSummary.of(s) for s in found])
    framework_id = compliance.resolve_framework(db, tenant_id, connector, framework)
    report = service.get_report(db, tenant_id, connector, framework_id,
                                fixed_since=fixed_since, trend_limit=trend, account=account)
    return ReportOut.model_validate(report.to_dict())


@router.get("/reports/organization", response_model=OrganizationReportOut)
def get_organization_report(
    ctx: ContextDep,
    principal: PrincipalDep,
    connector: ConnectorParam,
    framework: FrameworkParam = None,
) -> OrganizationReportOut:
    """An organization connector's members, one score each, worst first, and the
    organization's score over all of them. Each member's own report: ``GET /reports?connector=``
    with the member's connector ID."""
    return OrganizationReportOut.of(
        organization_reports.organization_report(ctx, principal, connector, framework))


def _content_disposition(filename: str) -> str:
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "report"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get(
    "/reports/export",
    response_class=Response,
    responses={200: {"description": "The report file", "content": {
        "application/json": {}, "text/csv": {}, "text/html": {}}}},
)
def export_report(
    ctx: ContextDep,
    principal: PrincipalDep,
    connector: ConnectorParam,
    framework: FrameworkParam = None,
    format: Annotated[ExportFormat, Query(description="json | csv | html | ocsf")] = "json",
    fixed_since: datetime | None = None,
    account: AccountParam = None,
) -> Response:
    """The report as a file: JSON, CSV, self-contained HTML, or OCSF Detection Findings."""
    db, tenant_id = ctx.db, principal.tenant_id
    framework_id = compliance.resolve_framework(db, tenant_id, connector, framework)
    exported = service.export_report(db, tenant_id, connector, framework_id, format,
                                     fixed_since=fixed_since, account=account)
    return Response(exported.content, media_type=exported.media_type,
                    headers={"Content-Disposition": _content_disposition(exported.filename)})


@router.post(
    "/connectors/{connector_id}/reports/refresh",
    response_model=EvaluationOut,
    responses={403: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
def refresh_reports(connector_id: str, ctx: ContextDep, principal: AdminDep) -> EvaluationOut:
    """Evaluate the connector's current snapshot now (409 when it has none yet)."""
    return EvaluationOut.of(service.evaluate_connector(ctx.db, principal.tenant_id,
                                                       connector_id))
