"""The scale-out queue in the database: the tick's claim, publication marks, the reaper's finds.

The tick claims due connectors with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers), inserts one ``queued`` run per connector unique
on (connector, scheduled time) and advances ``next_run_at``, all in the caller's transaction,
so concurrent tickers split the due connectors between them and never queue one twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, and_, exists, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.storage.tables import ConnectorRow, PollRunRow, SchedulerLeaseRow
from cloudconnectors.storage.tables.base import new_id

__all__ = [
    "QueuedRun",
    "TakenRun",
    "claim_due",
    "hold_election",
    "mark_published",
    "stranded",
    "take_run",
]

_QUEUED = RunState.QUEUED.value
_RUNNING = RunState.RUNNING.value


@dataclass(frozen=True)
class QueuedRun:
    run_id: str
    connector_id: str


def _lease_free(now: datetime) -> Any:
    return or_(ConnectorRow.lease_owner.is_(None), ConnectorRow.lease_expires_at < now)


# PostgreSQL: the whole claim is one statement and one round trip, whatever the batch size.
_PG_CLAIM = text("""
WITH due AS (
    SELECT c.id, c.tenant_id, c.next_run_at, c.refresh_requested_at, c.run_frequency_minutes
      FROM connectors c
     WHERE c.next_run_at <= :now
       AND (c.lease_owner IS NULL OR c.lease_expires_at < :now)
       AND NOT EXISTS (SELECT 1 FROM poll_runs r
                        WHERE r.connector_id = c.id AND r.state = 'queued')
     ORDER BY c.next_run_at
     LIMIT :limit
       FOR UPDATE OF c SKIP LOCKED
), moved AS (
    UPDATE connectors c
       SET next_run_at = :now + make_interval(mins => due.run_frequency_minutes)
      FROM due
     WHERE c.id = due.id
)
INSERT INTO poll_runs (id, tenant_id, connector_id, trigger, state, worker, started_at,
                       regions, asset_count, vm_count, api_calls, scheduled_for, attempts)
SELECT gen_random_uuid()::text, due.tenant_id, due.id,
       CASE WHEN due.refresh_requested_at IS NULL THEN 'schedule' ELSE 'refresh' END,
       'queued', '', :now, '[]', 0, 0, 0, due.next_run_at, 0
  FROM due
ON CONFLICT (connector_id, scheduled_for) DO NOTHING
RETURNING id, connector_id
""")


def claim_due(session: Session, now: datetime, limit: int) -> list[QueuedRun]:
    """Claim up to ``limit`` due connectors that have no run waiting; queue one run each."""
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(_PG_CLAIM, {"now": now, "limit": limit}).all()
        return [QueuedRun(run_id, connector_id) for run_id, connector_id in rows]
    waiting = exists().where(
        PollRunRow.connector_id == ConnectorRow.id, PollRunRow.state == _QUEUED
    )
    due = session.execute(
        select(
            ConnectorRow.id,
            ConnectorRow.tenant_id,
            ConnectorRow.next_run_at,
            ConnectorRow.refresh_requested_at,
            ConnectorRow.run_frequency_minutes,
        )
        .where(ConnectorRow.next_run_at <= now, _lease_free(now), ~waiting)
        .order_by(ConnectorRow.next_run_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=ConnectorRow)
    ).all()
    if not due:
        return []
    runs: list[dict[str, Any]] = [
        {
            "id": new_id(),
            "tenant_id": tenant_id,
            "connector_id": connector_id,
            "trigger": (Trigger.REFRESH if asked else Trigger.SCHEDULE).value,
            "state": _QUEUED,
            "worker": "",
            "started_at": now,
            "scheduled_for": scheduled,
            "regions": [],
            "attempts": 0,
        }
        for connector_id, tenant_id, scheduled, asked, _minutes in due
    ]
    # SQLite: one statement compiled once and sent in batches ("insertmanyvalues"), not a
    # multi-row VALUES clause compiled per tick (which costs milliseconds per row).
    table = PollRunRow.metadata.tables[PollRunRow.__tablename__]
    inserted = session.connection().execute(
        sqlite.insert(table)
        .on_conflict_do_nothing(index_elements=["connector_id", "scheduled_for"])
        .returning(table.c.id, table.c.connector_id),
        runs,
    ).all()
    # The finished poll sets the real next time; until then the connector is not due again.
    # One UPDATE per run frequency (there are few), never one per connector.
    by_minutes: dict[int, list[str]] = defaultdict(list)
    for connector_id, _tenant, _scheduled, _asked, minutes in due:
        by_minutes[minutes].append(connector_id)
    for minutes, ids in by_minutes.items():
        session.execute(
            update(ConnectorRow)
            .where(ConnectorRow.id.in_(ids))
            .values(next_run_at=now + timedelta(minutes=minutes))
            .execution_options(synchronize_session=False)
        )
    return [QueuedRun(run_id, connector_id) for run_id, connector_id in inserted]


def mark_published(session: Session, run_ids: Sequence[str], now: datetime) -> None:
    if run_ids:
        session.execute(
            update(PollRunRow)
            .where(PollRunRow.id.in_(run_ids), PollRunRow.state == _QUEUED)
            .values(published_at=now)
            .execution_options(synchronize_session=False)
        )


def stranded(
    session: Session, now: datetime, *, unpublished_after: timedelta, republish_after: timedelta,
    limit: int,
) -> list[QueuedRun]:
    """Runs the queue may have lost, for the reaper to publish again.

    * queued and never published (the ticker died between commit and publish), or published
      longer ago than ``republish_after`` (the broker lost the message, e.g. a restart);
    * running while the connector's lease is free or expired (the worker died mid-poll and
      the broker will not redeliver soon, or at all).

    Publishing one of them twice is harmless: the task is idempotent on its run row.
    """
    queued = and_(
        PollRunRow.state == _QUEUED,
        or_(
            and_(PollRunRow.published_at.is_(None),
                 PollRunRow.started_at < now - unpublished_after),
            PollRunRow.published_at < now - republish_after,
        ),
    )
    orphaned = and_(
        PollRunRow.state == _RUNNING,
        PollRunRow.scheduled_for.is_not(None),
        exists().where(ConnectorRow.id == PollRunRow.connector_id, _lease_free(now)),
    )
    rows = session.execute(
        select(PollRunRow.id, PollRunRow.connector_id)
        .where(PollRunRow.state.in_((_QUEUED, _RUNNING)), or_(queued, orphaned))
        .order_by(PollRunRow.started_at)
        .limit(limit)
    ).all()
    return [QueuedRun(run_id, connector_id) for run_id, connector_id in rows]


@dataclass(frozen=True)
class TakenRun:
    connector_id: str
    trigger: Trigger
    attempt: int


def take_run(
    session: Session, run_id: str, owner: str, lease_until: datetime, now: datetime
) -> TakenRun | str:
    """Take a queued (or orphaned running) run for ``owner``: the connector's lease is the
    guard. Returns the run, or why not: ``"missing"``, ``"finished"`` or ``"busy"``."""
    run = session.get(PollRunRow, run_id, with_for_update=True)
    if run is None:
        return "missing"
    if run.state not in (_QUEUED, _RUNNING):
        return "finished"
    won = session.execute(
        update(ConnectorRow)
        .where(ConnectorRow.id == run.connector_id, _lease_free(now))
        .values(lease_owner=owner, lease_expires_at=lease_until)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(won, CursorResult)
    if won.rowcount != 1:
        return "busy"
    run.attempts += 1
    return TakenRun(run.connector_id, Trigger(run.trigger), run.attempts)


def hold_election(
    session: Session, name: str, owner: str, until: datetime, now: datetime
) -> bool:
    """Become (or stay) the holder of ``name`` until ``until``; True for the one holder."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(SchedulerLeaseRow)
        .values(name=name, owner=owner, expires_at=until)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    result = session.execute(
        update(SchedulerLeaseRow)
        .where(
            SchedulerLeaseRow.name == name,
            or_(SchedulerLeaseRow.owner == owner, SchedulerLeaseRow.expires_at < now),
        )
        .values(owner=owner, expires_at=until)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1
