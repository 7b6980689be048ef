"""Snapshots and their assets.

A snapshot is ``writing`` while a poll streams into it and becomes visible only when the
connector's ``current_snapshot_id`` moves to it, in the transaction that marks it
``complete``. Every read here goes through that pointer, so a reader sees the previous
complete snapshot or the new one, never a mix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cloudconnectors.inventory.writer import KeyedAsset
from cloudconnectors.storage.tables import AssetRow, ConnectorRow, SnapshotRow

__all__ = [
    "AssetFilter",
    "AssetRecord",
    "InventorySummary",
    "complete",
    "create",
    "discard",
    "discard_unfinished",
    "find_asset",
    "insert_assets",
    "page_assets",
    "pin_reads",
    "prune",
    "summary",
]

SNAPSHOT_WRITING = "writing"
SNAPSHOT_COMPLETE = "complete"


@dataclass(frozen=True)
class AssetRecord:
    id: str
    connector_id: str
    type: str
    region: str
    native_id: str
    name: str | None
    data: dict[str, Any]
    account: str | None = None


@dataclass(frozen=True)
class AssetFilter:
    connector_id: str | None = None
    type: str | None = None
    region: str | None = None
    account: str | None = None


@dataclass(frozen=True)
class InventorySummary:
    snapshot_id: str | None
    completed_at: datetime | None
    asset_count: int
    vm_count: int
    regions: list[str]
    by_type: dict[str, int]
    by_region: dict[str, int]


# -- writing -------------------------------------------------------------------------------


def create(session: Session, tenant_id: str, connector_id: str, run_id: str) -> str:
    row = SnapshotRow(tenant_id=tenant_id, connector_id=connector_id, run_id=run_id)
    session.add(row)
    session.flush()
    return row.id


def insert_assets(
    session: Session,
    snapshot_id: str,
    tenant_id: str,
    connector_id: str,
    batch: Sequence[KeyedAsset],
) -> None:
    """One multi-row insert; a resource emitted again in a later batch keeps its first copy."""
    if not batch:
        return
    rows = [
        {
            "snapshot_id": snapshot_id,
            "key": item.key,
            "tenant_id": tenant_id,
            "connector_id": connector_id,
            "type": item.asset.type,
            "region": item.asset.region,
            "native_id": item.asset.native_id,
            "name": item.asset.name,
            "data": item.asset.data,
            "account": item.asset.account,
        }
        for item in batch
    ]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(AssetRow).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(AssetRow).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(AssetRow)
    session.execute(statement, rows)


def complete(
    session: Session,
    connector: ConnectorRow,
    snapshot_id: str,
    *,
    regions: Sequence[str],
    vm_types: frozenset[str],
    now: datetime,
) -> SnapshotRow:
    """Count what the snapshot really holds, mark it complete and point the connector at it.

    Call inside the poll's finishing transaction, with ``connector`` locked.
    """
    by_type = {
        type_: int(count)
        for type_, count in session.execute(
            select(AssetRow.type, func.count())
            .where(AssetRow.snapshot_id == snapshot_id)
            .group_by(AssetRow.type)
        ).all()
    }
    snapshot = session.get_one(SnapshotRow, snapshot_id)
    snapshot.state = SNAPSHOT_COMPLETE
    snapshot.completed_at = now
    snapshot.type_counts = dict(sorted(by_type.items()))
    snapshot.asset_count = sum(by_type.values())
    snapshot.vm_count = sum(count for type_, count in by_type.items() if type_ in vm_types)
    snapshot.regions = list(regions)
    connector.current_snapshot_id = snapshot_id
    return snapshot


def discard(session: Session, snapshot_id: str) -> None:
    session.execute(delete(AssetRow).where(AssetRow.snapshot_id == snapshot_id))
    session.execute(delete(SnapshotRow).where(SnapshotRow.id == snapshot_id))


def discard_unfinished(session: Session, connector_id: str) -> int:
    """Drop snapshots a dead poll left half-written (they were never visible)."""
    ids = list(
        session.scalars(
            select(SnapshotRow.id).where(
                SnapshotRow.connector_id == connector_id, SnapshotRow.state == SNAPSHOT_WRITING
            )
        )
    )
    for snapshot_id in ids:
        discard(session, snapshot_id)
    return len(ids)


def prune(session: Session, connector: ConnectorRow, keep: int) -> int:
    """Keep the ``keep`` newest complete snapshots (always the current one); drop the rest."""
    stale = [
        snapshot_id
        for snapshot_id in session.scalars(
            select(SnapshotRow.id)
            .where(
                SnapshotRow.connector_id == connector.id,
                SnapshotRow.state == SNAPSHOT_COMPLETE,
            )
            .order_by(SnapshotRow.completed_at.desc(), SnapshotRow.id.desc())
            .offset(max(keep, 1))
        )
        if snapshot_id != connector.current_snapshot_id
    ]
    for snapshot_id in stale:
        discard(session, snapshot_id)
    return len(stale)


# -- reading (always through current_snapshot_id) -------------------------------------------


def pin_reads(session: Session) -> None:
    """Let every later query of this session see one database snapshot.

    SQLite's read transaction already does; PostgreSQL's default READ COMMITTED gives each
    statement its own, so a page and its total could come from different snapshots.
    Call before the session's first query.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _current_assets(tenant_id: str, flt: AssetFilter) -> Select[AssetRow]:
    query = (
        select(AssetRow)
        .join(ConnectorRow, ConnectorRow.current_snapshot_id == AssetRow.snapshot_id)
        .where(ConnectorRow.tenant_id == tenant_id)
    )
    if flt.connector_id is not None:
        query = query.where(ConnectorRow.id == flt.connector_id)
    if flt.type is not None:
        query = query.where(AssetRow.type == flt.type)
    if flt.region is not None:
        query = query.where(AssetRow.region == flt.region)
    if flt.account is not None:
        query = query.where(AssetRow.account == flt.account)
    return query


def _record(row: AssetRow) -> AssetRecord:
    return AssetRecord(
        id=row.key,
        connector_id=row.connector_id,
        type=row.type,
        region=row.region,
        native_id=row.native_id,
        name=row.name,
        data=dict(row.data),
        account=row.account,
    )


def page_assets(
    session: Session, tenant_id: str, flt: AssetFilter, *, limit: int, offset: int
) -> tuple[list[AssetRecord], int]:
    base = _current_assets(tenant_id, flt)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.scalars(
        base.order_by(AssetRow.snapshot_id, AssetRow.key).limit(limit).offset(offset)
    )
    return [_record(row) for row in rows], total


def find_asset(
    session: Session, tenant_id: str, asset_id: str, connector_id: str | None = None
) -> AssetRecord | None:
    row = session.scalars(
        _current_assets(tenant_id, AssetFilter(connector_id=connector_id))
        .where(AssetRow.key == asset_id)
        .limit(1)
    ).first()
    return _record(row) if row is not None else None


def summary(session: Session, connector: ConnectorRow) -> InventorySummary:
    if connector.current_snapshot_id is None:
        return InventorySummary(None, None, 0, 0, [], {}, {})
    snapshot = session.get_one(SnapshotRow, connector.current_snapshot_id)
    by_region = {
        region: int(count)
        for region, count in session.execute(
            select(AssetRow.region, func.count())
            .where(AssetRow.snapshot_id == snapshot.id)
            .group_by(AssetRow.region)
            .order_by(AssetRow.region)
        ).all()
    }
    return InventorySummary(
        snapshot_id=snapshot.id,
        completed_at=snapshot.completed_at,
        asset_count=snapshot.asset_count,
        vm_count=snapshot.vm_count,
        regions=list(snapshot.regions),
        by_type={k: int(v) for k, v in snapshot.type_counts.items()},
        by_region=by_region,
    )
