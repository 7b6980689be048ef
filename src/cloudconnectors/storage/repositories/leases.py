"""Claim-by-lease on the connector row: atomic compare-and-set, SQLite and PostgreSQL alike.

Whoever holds an unexpired lease is the only one polling that connector. Every change is a
single conditional ``UPDATE`` whose row count says whether it won, so two workers racing
for one connector cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, CursorResult, or_, select, update
from sqlalchemy.orm import Session

from cloudconnectors.storage.tables import ConnectorRow

__all__ = ["claim", "due", "release", "renew"]


def _lease_free(now: datetime) -> ColumnElement[bool]:
    return or_(ConnectorRow.lease_owner.is_(None), ConnectorRow.lease_expires_at < now)


def due(session: Session, now: datetime, limit: int) -> list[tuple[str, bool]]:
    """Connectors whose time has come and whose lease is free, and those whose lease
    expired whatever their schedule (a poll whose process died, e.g. a killed ``scan``,
    must not leave its connector ``refreshing`` until its next run); expired ones first,
    then oldest first.

    Each comes with whether a person asked for it (Refresh) rather than the schedule.
    """
    expired = ConnectorRow.lease_owner.is_not(None)  # with _lease_free: it has expired
    query = (
        select(ConnectorRow.id, ConnectorRow.refresh_requested_at.is_not(None))
        .where(
            _lease_free(now),
            or_(ConnectorRow.next_run_at <= now, expired),
        )
        .order_by(ConnectorRow.lease_owner.is_(None), ConnectorRow.next_run_at)
        .limit(limit)
    )
    return [(connector_id, bool(asked)) for connector_id, asked in session.execute(query)]


def claim(
    session: Session, connector_id: str, owner: str, expires_at: datetime, now: datetime
) -> bool:
    """Take the lease if it is free or expired; True only for the one caller that won."""
    result = session.execute(
        update(ConnectorRow)
        .where(
            ConnectorRow.id == connector_id,
            _lease_free(now),
        )
        .values(lease_owner=owner, lease_expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def renew(session: Session, connector_id: str, owner: str, expires_at: datetime) -> bool:
    """Extend a lease we hold (heartbeat); False when it was lost to another worker."""
    result = session.execute(
        update(ConnectorRow)
        .where(ConnectorRow.id == connector_id, ConnectorRow.lease_owner == owner)
        .values(lease_expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def release(session: Session, connector_id: str, owner: str) -> bool:
    result = session.execute(
        update(ConnectorRow)
        .where(ConnectorRow.id == connector_id, ConnectorRow.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
