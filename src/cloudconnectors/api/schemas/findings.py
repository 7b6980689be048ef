"""Findings listings: a page across the tenant's connectors, and one resource's findings."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel

from cloudconnectors.api.schemas.reports import FindingOut
from cloudconnectors.reports.model import FindingView


class ConnectorFindingOut(FindingOut):
    connector_id: str

    @classmethod
    def of(cls, connector_id: str, finding: FindingView) -> ConnectorFindingOut:
        fields = asdict(finding)
        fields["state"] = finding.state.value
        return cls(connector_id=connector_id, **fields)


class FindingPage(BaseModel):
    items: list[ConnectorFindingOut]
    total: int
    limit: int
    offset: int


class AssetFindings(BaseModel):
    asset_id: str
    items: list[ConnectorFindingOut]
    total: int
