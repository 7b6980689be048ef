"""Poll runs and their per-region, per-service results (the poll history)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cloudconnectors.domain.errors import NotFound
from cloudconnectors.domain.readable import readable
from cloudconnectors.domain.runs import CollectorResult, Outcome, RunState, Trigger
from cloudconnectors.domain.scopes import Scope, ScopeGap, is_gap
from cloudconnectors.storage.tables import PollRunRow, RunResultRow, SnapshotRow

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
    # Scopes not read whole, with the assets carried forward for each (domain.scopes).
    unread: list[ScopeGap] = field(default_factory=list)

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


# Reasons are ours around an upstream line; keep ours whole, reduce any pasted page.
READABLE_LIMIT = 600


def add_results(
    session: Session,
    run_id: str,
    results: Sequence[CollectorResult],
    carried: Mapping[Scope, tuple[int, datetime | None]] | None = None,
    asset_types: Callable[[str], tuple[str, ...]] = lambda t: (t,),
) -> None:
    """Store the run's collector results; ``carried`` (from ``inventory.carry_forward``)
    adds to each how many assets were carried forward for its scope and since when."""
    if not results:
        return
    rows = []
    for r in results:
        count, oldest = 0, None
        for type_ in asset_types(r.resource_type):
            n, at = (carried or {}).get(Scope(r.account, r.region, type_), (0, None))
            count += n
            if at is not None and (oldest is None or at < oldest):
                oldest = at
        rows.append(RunResultRow(
            run_id=run_id,
            region=r.region,
            service=r.service,
            resource_type=r.resource_type,
            outcome=r.outcome.value,
            count=r.count,
            calls=r.calls,
            reason=readable(r.reason, READABLE_LIMIT),
            error_code=r.error_code,
            permission=r.permission,
            account=r.account,
            truncated=r.truncated,
            carried=count,
            last_read_at=oldest,
        ))
    session.add_all(rows)


def scope_reads(session: Session, snapshot_id: str) -> dict[Scope, datetime | None]:
    """Per (account, region, collector type) of the poll that made ``snapshot_id``: when
    that scope's data was last really read - the snapshot's time if the poll read it whole,
    the time it carried forward if not, None if it was never read."""
    snapshot = session.get(SnapshotRow, snapshot_id)
    if snapshot is None or snapshot.run_id is None:
        return {}
    read_at = snapshot.completed_at or snapshot.started_at
    found: dict[Scope, datetime | None] = {}
    for row in session.scalars(select(RunResultRow).where(RunResultRow.run_id == snapshot.run_id)):
        result = CollectorResult(region=row.region, service=row.service,
                                 resource_type=row.resource_type, outcome=Outcome(row.outcome),
                                 error_code=row.error_code, truncated=bool(row.truncated))
        found[Scope(row.account, row.region, row.resource_type)] = (
            row.last_read_at if is_gap(result) else read_at)
    return found


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


_Found = dict[str, tuple[list[CollectorResult], list[ScopeGap]]]


def _results_of(session: Session, run_ids: Sequence[str]) -> _Found:
    """Per run: its collector results, and the scopes it did not read whole (with what was
    carried forward for each)."""
    found: _Found = defaultdict(lambda: ([], []))
    if not run_ids:
        return found
    rows = session.scalars(
        select(RunResultRow)
        .where(RunResultRow.run_id.in_(run_ids))
        .order_by(RunResultRow.region, RunResultRow.service, RunResultRow.id)
    )
    for row in rows:
        result = CollectorResult(
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
            truncated=bool(row.truncated),
        )
        results, gaps = found[row.run_id]
        results.append(result)
        if is_gap(result):
            gaps.append(ScopeGap(Scope(row.account, row.region, row.resource_type),
                                 result.outcome, result.reason, result.permission,
                                 row.last_read_at, row.carried))
    return found


def _record(row: PollRunRow, found: tuple[list[CollectorResult], list[ScopeGap]]) -> RunRecord:
    results, gaps = found
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
        unread=gaps,
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
    return [_record(row, results.get(row.id, ([], []))) for row in rows], total


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
    return _record(row, _results_of(session, [row.id]).get(row.id, ([], [])))


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
    return _record(row, _results_of(session, [row.id]).get(row.id, ([], [])))
