"""Poll history shapes: one run, with an outcome per region and service."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from cloudconnectors.domain.runs import Outcome, RunState, Trigger
from cloudconnectors.domain.scopes import ScopeGap
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
    truncated: bool = Field(default=False, description="The listing stopped part-way.")


class UnreadScopeOut(BaseModel):
    """A scope (account x region x type) the poll did not read whole, and what it kept."""

    account: str | None
    region: str
    resource_type: str
    outcome: Outcome
    reason: str = Field(description="Why it was not read, for a person.")
    permission: str | None
    carried: int = Field(description="Assets carried forward from the previous snapshot.")
    last_read_at: datetime | None = Field(
        description="When the carried assets were last read (null: nothing carried)."
    )

    @classmethod
    def of(cls, gap: ScopeGap) -> UnreadScopeOut:
        return cls(account=gap.scope.account, region=gap.scope.region,
                   resource_type=gap.scope.resource_type, outcome=gap.outcome,
                   reason=gap.why(), permission=gap.permission, carried=gap.carried,
                   last_read_at=gap.last_read_at)


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
    unread: list[UnreadScopeOut] = Field(
        default_factory=list,
        description="Scopes this poll could not read whole; their assets were carried "
        "forward from the previous snapshot, marked stale, and rules answer MANUAL for them.",
    )

    @classmethod
    def of(cls, run: RunRecord) -> RunOut:
        fields = {name: getattr(run, name) for name in cls.model_fields if name != "unread"}
        return cls.model_validate({**fields, "unread": [UnreadScopeOut.of(g) for g in run.unread]},
                                  from_attributes=True)


class RunPage(BaseModel):
    items: list[RunOut]
    total: int
    limit: int
    offset: int
