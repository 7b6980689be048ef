"""Poll history shapes: one run, with an outcome per region and service."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from cloudconnectors.domain.runs import Outcome, RunState, Trigger
from cloudconnectors.storage.repositories.runs import RunRecord


class CollectorResultOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    region: str
    service: str
    resource_type: str
    outcome: Outcome
    count: int = Field(description="Resources read.")
    calls: int = Field(description="API calls made.")
    reason: str | None
    error_code: str | None
    permission: str | None = Field(description="The cloud permission a refusal concerns.")
    account: str | None = Field(
        default=None,
        description="The project or subscription this outcome belongs to "
        "(null: the connector's own account).",
    )


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    connector_id: str
    trigger: Trigger
    state: RunState
    worker: str
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    regions: list[str]
    asset_count: int
    vm_count: int
    api_calls: int
    error: str | None
    warning: str | None
    snapshot_id: str | None
    results: list[CollectorResultOut]

    @classmethod
    def of(cls, run: RunRecord) -> RunOut:
        return cls.model_validate(run, from_attributes=True)


class RunPage(BaseModel):
    items: list[RunOut]
    total: int
    limit: int
    offset: int
