"""/api/v1/assets (the tenant's current inventory) and a connector's inventory summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.assets import AssetOut, AssetPage, InventorySummaryOut
from cloudconnectors.api.schemas.common import NO_NUL, ErrorOut
from cloudconnectors.services import inventory as service

router = APIRouter(
    tags=["assets"],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)

ConnectorParam = Annotated[
    str | None, Query(alias="connector", max_length=64, description="A connector ID")
]


@router.get("/assets", response_model=AssetPage)
def list_assets(
    ctx: ContextDep,
    principal: PrincipalDep,
    connector: ConnectorParam = None,
    type_: Annotated[
        str | None,
        Query(alias="type", max_length=128, pattern=NO_NUL,
              description="e.g. AWS::EC2::Instance"),
    ] = None,
    region: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    account: Annotated[
        str | None,
        Query(max_length=128, pattern=NO_NUL,
              description="A project or subscription ID, e.g. prod-123"),
    ] = None,
    stale: Annotated[
        bool | None,
        Query(description="true: only assets carried forward from an earlier poll because "
              "this one could not read their region or type; false: only fresh ones"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000_000)] = 0,
) -> AssetPage:
    page = service.list_assets(
        ctx,
        principal,
        connector_id=connector,
        type_=type_,
        region=region,
        account=account,
        stale=stale,
        limit=limit,
        offset=offset,
    )
    return AssetPage(
        items=[AssetOut.of(a) for a in page.items], total=page.total, limit=limit, offset=offset
    )


@router.get("/assets/{asset_id}", response_model=AssetOut)
def show_asset(
    asset_id: str, ctx: ContextDep, principal: PrincipalDep, connector: ConnectorParam = None
) -> AssetOut:
    return AssetOut.of(service.get_asset(ctx, principal, asset_id, connector))


@router.get("/connectors/{connector_id}/inventory/summary", response_model=InventorySummaryOut)
def inventory_summary(
    connector_id: str, ctx: ContextDep, principal: PrincipalDep
) -> InventorySummaryOut:
    return InventorySummaryOut.of(
        connector_id, service.inventory_summary(ctx, principal, connector_id)
    )
