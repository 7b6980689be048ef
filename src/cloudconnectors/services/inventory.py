"""Reading inventory: the tenant's current snapshots, paged, and a per-connector summary."""

from __future__ import annotations

from dataclasses import dataclass

from cloudconnectors.domain.errors import NotFound
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.lookups import refuse_nul, require_plausible_id
from cloudconnectors.storage.repositories import connectors as connector_repo
from cloudconnectors.storage.repositories import inventory as repo
from cloudconnectors.storage.repositories.inventory import (
    AssetFilter,
    AssetRecord,
    InventorySummary,
)

__all__ = ["AssetPage", "get_asset", "inventory_summary", "list_assets"]


@dataclass(frozen=True)
class AssetPage:
    items: list[AssetRecord]
    total: int


def list_assets(
    ctx: AppContext,
    principal: Principal,
    *,
    connector_id: str | None = None,
    type_: str | None = None,
    region: str | None = None,
    account: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> AssetPage:
    if connector_id is not None:
        require_plausible_id("connector", connector_id)
    refuse_nul(type=type_, region=region, account=account)
    # One read transaction: the page and its total come from the same snapshots.
    with ctx.db.read() as session:
        repo.pin_reads(session)
        if connector_id is not None:
            connector_repo.get_row(session, principal.tenant_id, connector_id)
        items, total = repo.page_assets(
            session,
            principal.tenant_id,
            AssetFilter(connector_id, type_, region, account),
            limit=limit,
            offset=offset,
        )
    return AssetPage(items, total)


def get_asset(
    ctx: AppContext, principal: Principal, asset_id: str, connector_id: str | None = None
) -> AssetRecord:
    require_plausible_id("asset", asset_id)
    if connector_id is not None:
        require_plausible_id("connector", connector_id)
    with ctx.db.read() as session:
        record = repo.find_asset(session, principal.tenant_id, asset_id, connector_id)
    if record is None:
        raise NotFound(f"asset {asset_id} not found in the current inventory")
    return record


def inventory_summary(ctx: AppContext, principal: Principal, connector_id: str) -> InventorySummary:
    require_plausible_id("connector", connector_id)
    with ctx.db.read() as session:
        repo.pin_reads(session)
        row = connector_repo.get_row(session, principal.tenant_id, connector_id)
        return repo.summary(session, row)
