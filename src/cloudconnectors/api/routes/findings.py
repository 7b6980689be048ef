"""/api/v1/findings and /api/v1/assets/{asset_id}/findings: findings with their history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import NO_NUL, ErrorOut
from cloudconnectors.api.schemas.findings import AssetFindings, ConnectorFindingOut, FindingPage
from cloudconnectors.services import compliance

router = APIRouter(
    tags=["reports"],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)

ConnectorParam = Annotated[
    str | None, Query(max_length=64, description="A connector ID")
]


@router.get("/findings", response_model=FindingPage)
def list_findings(
    ctx: ContextDep,
    principal: PrincipalDep,
    connector: ConnectorParam = None,
    state: Literal["open", "fixed", "reopened"] | None = None,
    rule: Annotated[str | None, Query(max_length=128, pattern=NO_NUL,
                                       description="A rule ID")] = None,
    resource: Annotated[str | None, Query(
        max_length=200, pattern=NO_NUL,
        description="A resource key: an asset ID, or 'account'")] = None,
    account: Annotated[str | None, Query(
        max_length=128, pattern=NO_NUL,
        description="A GCP project ID or Azure subscription ID: its findings and those about "
        "the connector as a whole (as the report filtered to it counts them)")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000_000)] = 0,
) -> FindingPage:
    page = compliance.list_findings(ctx.db, principal.tenant_id, connector_id=connector,
                                    state=state, rule_id=rule, resource_key=resource,
                                    limit=limit, offset=offset, account=account)
    return FindingPage(items=[ConnectorFindingOut.of(c, f) for c, f in page.items],
                       total=page.total, limit=limit, offset=offset)


@router.get("/assets/{asset_id}/findings", response_model=AssetFindings)
def asset_findings(
    asset_id: str, ctx: ContextDep, principal: PrincipalDep, connector: ConnectorParam = None
) -> AssetFindings:
    """Every finding of one resource of the current inventory, whatever its state."""
    page = compliance.asset_findings(ctx.db, principal.tenant_id, asset_id, connector)
    return AssetFindings(asset_id=asset_id, total=page.total,
                         items=[ConnectorFindingOut.of(c, f) for c, f in page.items])
