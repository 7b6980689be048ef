"""Poll history shapes: one run, with an outcome per region and service."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from cloudconnectors.domain.runs import CollectorResult, Outcome, RunState, Trigger
from cloudconnectors.storage.repositories.runs import RunRecord


class CollectorResultOut(BaseModel):
    region: str
    service: str
    resource_type: str
    outcome: Outcome
    count: int = Field(description="Resources read.")
    calls: int = Field(description="API calls made.")
    reason: str | None
    error_code: str | None
    permission: str | None = Field(description="The cloud permission a refusal concerns.")

    @classmethod
    def of(cls, result: CollectorResult) -> CollectorResultOut:
        return cls(
            region=result.region,
            service=result.service,
            resource_type=result.resource_type,
            outcome=result.outcome,
            count=result.count,
            calls=result.calls,
            reason=result.reason,
            error_code=result.error_code,
            permission=result.permission,
        )


class RunOut(BaseModel):
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
        return cls(
            id=run.id,
            connector_id=run.connector_id,
            trigger=run.trigger,
            state=run.state,
            worker=run.worker,
            started_at=run.started_at,
            finished_at=run.finished_at,
            duration_seconds=run.duration_seconds,
            regions=run.regions,
            asset_count=run.asset_count,
            vm_count=run.vm_count,
            api_calls=run.api_calls,
            error=run.error,
            warning=run.warning,
            snapshot_id=run.snapshot_id,
            results=[CollectorResultOut.of(r) for r in run.results],
        )


class RunPage(BaseModel):
    items: list[RunOut]
    total: int
    limit: int
    offset: int
