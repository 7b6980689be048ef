"""Poll runs and their per-region, per-service results (the poll history)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cloudconnectors.domain.errors import NotFound
from cloudconnectors.domain.runs import CollectorResult, Outcome, RunState, Trigger
from cloudconnectors.storage.tables import PollRunRow, RunResultRow

__all__ = [
    "RunRecord",
    "add_results",
    "create",
    "fail_unfinished",
    "get",
    "last_finished",
    "page",
    "start_queued",
]


@dataclass(frozen=True)
class RunRecord:
    id: str
    connector_id: str
    trigger: Trigger
    state: RunState
    worker: str
    started_at: datetime
    finished_at: datetime | None
    regions: list[str]
    asset_count: int
    vm_count: int
    api_calls: int
    error: str | None
    warning: str | None
    snapshot_id: str | None
    results: list[CollectorResult]

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 3)


def create(
    session: Session, tenant_id: str, connector_id: str, trigger: Trigger, worker: str
) -> PollRunRow:
    row = PollRunRow(
        tenant_id=tenant_id,
        connector_id=connector_id,
        trigger=trigger.value,
        state=RunState.RUNNING.value,
        worker=worker,
    )
    session.add(row)
    session.flush()
    return row


def start_queued(row: PollRunRow, worker: str, now: datetime) -> PollRunRow:
    """A queued run (or one whose worker died) starts, or starts again, under ``worker``."""
    row.state = RunState.RUNNING.value
    row.worker = worker
    row.started_at = now
    row.finished_at = None
    row.snapshot_id = None
    return row


def add_results(session: Session, run_id: str, results: Sequence[CollectorResult]) -> None:
    if not results:
        return
    session.add_all(
        RunResultRow(
            run_id=run_id,
            region=r.region,
            service=r.service,
            resource_type=r.resource_type,
            outcome=r.outcome.value,
            count=r.count,
            calls=r.calls,
            reason=r.reason,
            error_code=r.error_code,
            permission=r.permission,
            account=r.account,
        )
        for r in results
    )


def fail_unfinished(
    session: Session, connector_id: str, message: str, now: datetime, *, keep: str | None = None
) -> int:
    """Close the runs of a poll whose worker died, so history does not show them running.

    ``keep`` names a run being redone (a queued run taken over after its worker died): it is
    the one that goes on, so it stays open.
    """
    result = session.execute(
        update(PollRunRow)
        .where(
            PollRunRow.connector_id == connector_id,
            PollRunRow.state == RunState.RUNNING.value,
            PollRunRow.id != (keep or ""),
        )
        .values(state=RunState.FAILED.value, finished_at=now, error=message, snapshot_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _results_of(session: Session, run_ids: Sequence[str]) -> dict[str, list[CollectorResult]]:
    found: dict[str, list[CollectorResult]] = defaultdict(list)
    if not run_ids:
        return found
    rows = session.scalars(
        select(RunResultRow)
        .where(RunResultRow.run_id.in_(run_ids))
        .order_by(RunResultRow.region, RunResultRow.service, RunResultRow.id)
    )
    for row in rows:
        found[row.run_id].append(
            CollectorResult(
                region=row.region,
                service=row.service,
                resource_type=row.resource_type,
                outcome=Outcome(row.outcome),
                count=row.count,
                calls=row.calls,
                reason=row.reason,
                error_code=row.error_code,
                permission=row.permission,
                account=row.account,
            )
        )
    return found


def _record(row: PollRunRow, results: list[CollectorResult]) -> RunRecord:
    return RunRecord(
        id=row.id,
        connector_id=row.connector_id,
        trigger=Trigger(row.trigger),
        state=RunState(row.state),
        worker=row.worker,
        started_at=row.started_at,
        finished_at=row.finished_at,
        regions=list(row.regions),
        asset_count=row.asset_count,
        vm_count=row.vm_count,
        api_calls=row.api_calls,
        error=row.error,
        warning=row.warning,
        snapshot_id=row.snapshot_id,
        results=results,
    )


def page(
    session: Session, tenant_id: str, connector_id: str, *, limit: int, offset: int
) -> tuple[list[RunRecord], int]:
    where = (PollRunRow.tenant_id == tenant_id, PollRunRow.connector_id == connector_id)
    total = session.scalar(select(func.count()).select_from(PollRunRow).where(*where)) or 0
    rows = list(
        session.scalars(
            select(PollRunRow)
            .where(*where)
            .order_by(PollRunRow.started_at.desc(), PollRunRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    results = _results_of(session, [row.id for row in rows])
    return [_record(row, results.get(row.id, [])) for row in rows], total


def get(session: Session, tenant_id: str, connector_id: str, run_id: str) -> RunRecord:
    row = session.scalars(
        select(PollRunRow).where(
            PollRunRow.id == run_id,
            PollRunRow.tenant_id == tenant_id,
            PollRunRow.connector_id == connector_id,
        )
    ).first()
    if row is None:
        raise NotFound(f"run {run_id} not found for connector {connector_id}")
    return _record(row, _results_of(session, [row.id]).get(row.id, []))


def last_finished(session: Session, tenant_id: str, connector_id: str) -> RunRecord | None:
    row = session.scalars(
        select(PollRunRow)
        .where(
            PollRunRow.tenant_id == tenant_id,
            PollRunRow.connector_id == connector_id,
            PollRunRow.state.not_in((RunState.RUNNING.value, RunState.QUEUED.value)),
        )
        .order_by(PollRunRow.started_at.desc(), PollRunRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return _record(row, _results_of(session, [row.id]).get(row.id, []))
