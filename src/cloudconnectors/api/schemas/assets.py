"""Inventory shapes (DESIGN section 5): assets of the current snapshots, and a summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cloudconnectors.storage.repositories.inventory import AssetRecord, InventorySummary


class AssetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="Stable across polls for the same resource.")
    connector_id: str
    type: str = Field(description="The cloud's own type name, e.g. AWS::EC2::Instance.")
    region: str
    native_id: str
    name: str | None
    data: dict[str, Any] = Field(description="The raw API record.")
    account: str | None = Field(
        default=None,
        description="The project or subscription the resource lives in "
        "(null: the connector's own account).",
    )

    @classmethod
    def of(cls, asset: AssetRecord) -> AssetOut:
        return cls.model_validate(asset, from_attributes=True)


class AssetPage(BaseModel):
    items: list[AssetOut]
    total: int
    limit: int
    offset: int


class InventorySummaryOut(BaseModel):
    connector_id: str
    snapshot_id: str | None = Field(description="None until a poll has succeeded.")
    collected_at: datetime | None
    asset_count: int
    vm_count: int
    regions: list[str]
    by_type: dict[str, int]
    by_region: dict[str, int]

    @classmethod
    def of(cls, connector_id: str, summary: InventorySummary) -> InventorySummaryOut:
        return cls(
            connector_id=connector_id,
            snapshot_id=summary.snapshot_id,
            collected_at=summary.completed_at,
            asset_count=summary.asset_count,
            vm_count=summary.vm_count,
            regions=summary.regions,
            by_type=summary.by_type,
            by_region=summary.by_region,
        )
