"""Aggregates for ``/metrics`` and ``status``: counted in SQL, never row by row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from cloudconnectors.domain.runs import RunState
from cloudconnectors.storage.tables import ConnectorRow, PollRunRow

__all__ = ["Histogram", "durations", "late_connectors", "lateness", "run_states", "statuses"]


@dataclass(frozen=True)
class Histogram:
    buckets: list[tuple[float, int]]  # (upper bound, cumulative count)
    count: int
    total: float


def statuses(session: Session) -> dict[str, int]:
    rows = session.execute(select(ConnectorRow.status, func.count()).group_by(ConnectorRow.status))
    return {status: int(n) for status, n in rows}


def run_states(session: Session) -> dict[str, int]:
    rows = session.execute(select(PollRunRow.state, func.count()).group_by(PollRunRow.state))
    return {state: int(n) for state, n in rows}


def late_connectors(session: Session, before: datetime) -> int:
    """Due before ``before`` and not being polled: the schedule is falling behind."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ConnectorRow)
            .where(ConnectorRow.next_run_at < before, ConnectorRow.lease_owner.is_(None))
        )
        or 0
    )


def _seconds(session: Session, later: Any, earlier: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * literal(86400.0)


def _histogram(session: Session, value: Any, where: Sequence[Any],
               bounds: Sequence[float]) -> Histogram:
    columns = [func.sum(case((value <= b, 1), else_=0)) for b in bounds]
    row = session.execute(
        select(func.count(), func.coalesce(func.sum(value), 0.0), *columns).where(*where)
    ).one()
    count, total, *cumulative = row
    return Histogram([(b, int(c or 0)) for b, c in zip(bounds, cumulative, strict=True)],
                     int(count or 0), float(total or 0.0))


def durations(session: Session, bounds: Sequence[float]) -> Histogram:
    """How long finished polls took."""
    value = _seconds(session, PollRunRow.finished_at, PollRunRow.started_at)
    return _histogram(session, value, [PollRunRow.finished_at.is_not(None)], bounds)


def lateness(session: Session, bounds: Sequence[float]) -> Histogram:
    """How long after its scheduled time each queued poll started (scale-out runs)."""
    value = _seconds(session, PollRunRow.started_at, PollRunRow.scheduled_for)
    where = [PollRunRow.scheduled_for.is_not(None), PollRunRow.state != RunState.QUEUED.value]
    return _histogram(session, value, where, bounds)
