"""Stand-ins for contract routes another engineer is building, used only while they are absent.

Each stand-in is added to a test app only when the real route does not exist yet, and does the
least the contract says (DESIGN section 5), through the real service and provider functions.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, HTTPException, Query, status
from fastapi.responses import Response
from fastapi.routing import APIRoute

from cloudconnectors.api.deps import PrincipalDep
from cloudconnectors.domain.errors import NotFound, PermissionDenied, ValidationFailed
from cloudconnectors.providers.aws import artifacts
from cloudconnectors.services import reports as reports_service
from cloudconnectors.services.connectors import list_connectors
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.platform import platform_account_id

EXTERNAL_IDS_PATH = "/api/v1/providers/aws/external-ids"
ARTIFACTS_PATH = "/api/v1/providers/aws/artifacts/{kind}"
FRAMEWORKS_PATH = "/api/v1/frameworks"
REPORTS_PATH = "/api/v1/reports"
EXPORT_PATH = "/api/v1/reports/export"
REPORTS_REFRESH_PATH = "/api/v1/connectors/{connector_id}/reports/refresh"
STANDIN_PLATFORM_ACCOUNT = "123456789012"  # moto's default account
ARTIFACT_FILES = {
    "trust-policy": "cloudconnectors-trust-policy.json",
    "custom-policy": "cloudconnectors-custom-policy.json",
    "eks-policy": "cloudconnectors-eks-fargate-policy.json",
    "cloudformation": "cloudconnectors-role.json",
}


def _has_route(app: FastAPI, path: str, method: str) -> bool:
    return any(isinstance(r, APIRoute) and r.path == path and method in r.methods
               for r in app.routes)


def add_missing_contract_routes(app: FastAPI) -> list[str]:
    added: list[str] = []
    ctx = app.state.ctx
    if not _has_route(app, EXTERNAL_IDS_PATH, "POST"):

        @app.post(EXTERNAL_IDS_PATH, status_code=status.HTTP_201_CREATED)
        def issue(principal: PrincipalDep) -> dict[str, str]:
            return {"external_id": issue_external_id(ctx, principal),
                    "platform_account_id": STANDIN_PLATFORM_ACCOUNT}

        # Routes added after the app started matching still work: Starlette reads the list.
        added.append(EXTERNAL_IDS_PATH)
    if not _has_route(app, ARTIFACTS_PATH, "GET"):

        @app.get(ARTIFACTS_PATH)
        def artifact(kind: str, principal: PrincipalDep,
                     external_id: str = Query(min_length=1, max_length=200)) -> Response:
            account = platform_account_id(ctx.settings)
            documents: dict[str, Any] = {
                "trust-policy": lambda: artifacts.trust_policy(account, external_id),
                "custom-policy": artifacts.custom_policy,
                "eks-policy": artifacts.eks_fargate_policy,
                "cloudformation": lambda: artifacts.cloudformation_template(account, external_id),
            }
            if kind not in documents:
                raise HTTPException(404, f"kind: one of {', '.join(documents)}")
            return Response(json.dumps(documents[kind](), indent=2), media_type="application/json",
                            headers={"Content-Disposition":
                                     f'attachment; filename="{ARTIFACT_FILES[kind]}"'})

        added.append(ARTIFACTS_PATH)
    if not _has_route(app, REPORTS_PATH, "GET"):
        added += _add_reports_routes(app, ctx)
    return added


def _summary(ctx: AppContext, principal: Principal, framework_id: str) -> list[dict[str, Any]]:
    """The contract's summary list, one item per connector evaluated against the framework."""
    items: list[dict[str, Any]] = []
    page = list_connectors(ctx, principal, limit=1000)
    for connector in page.items:
        try:
            report = reports_service.get_report(ctx.db, principal.tenant_id, connector.id,
                                                framework_id).to_dict()
        except (NotFound, ValidationFailed):
            continue  # not evaluated yet, or the framework does not cover its provider
        items.append({
            "connector_id": connector.id, "connector_name": connector.name,
            "provider": report["provider"], "framework": framework_id, "score": report["score"],
            "passed": report["results"]["pass"], "failed": report["results"]["fail"],
            "manual": report["results"]["manual"],
            "not_applicable": report["results"]["not_applicable"],
            "evaluated_at": report["evaluated_at"],
            "trend": [{"at": p["evaluated_at"], "score": p["score"]} for p in report["trend"]],
        })
    return items


def _add_reports_routes(app: FastAPI, ctx: AppContext) -> list[str]:
    """The ``reportsapi`` contract over the real report services (GET routes first matched
    in order, so the export path is added before the bare reports path)."""

    @app.get(FRAMEWORKS_PATH)
    def frameworks(principal: PrincipalDep) -> dict[str, Any]:
        found = reports_service.list_frameworks(ctx.db, principal.tenant_id)
        return {"items": [{**f, "automated": f.get("automated_controls"),
                           "manual": f.get("manual_controls")} for f in found]}

    @app.get(EXPORT_PATH)
    def export(principal: PrincipalDep, connector: str, framework: str,
               format: str = "json") -> Response:
        done = reports_service.export_report(ctx.db, principal.tenant_id, connector, framework,
                                             format)
        return Response(done.content, media_type=done.media_type, headers={
            "Content-Disposition": f'attachment; filename="{done.filename}"'})

    @app.get(REPORTS_PATH)
    def reports(principal: PrincipalDep, framework: str,
                connector: str | None = None) -> dict[str, Any]:
        if connector is None:
            return {"items": _summary(ctx, principal, framework)}
        report = reports_service.get_report(ctx.db, principal.tenant_id, connector, framework)
        return report.to_dict()

    @app.post(REPORTS_REFRESH_PATH, status_code=status.HTTP_202_ACCEPTED)
    def refresh(principal: PrincipalDep, connector_id: str) -> dict[str, Any]:
        if not principal.can_write:
            raise PermissionDenied("viewers cannot refresh reports")
        summary = reports_service.evaluate_connector(ctx.db, principal.tenant_id, connector_id)
        return {"connector_id": connector_id, "evaluated_at": summary.evaluated_at.isoformat()}

    return [FRAMEWORKS_PATH, EXPORT_PATH, REPORTS_PATH, REPORTS_REFRESH_PATH]
