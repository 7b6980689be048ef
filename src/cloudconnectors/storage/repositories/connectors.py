"""Connector rows: tenant-scoped lookups, paged listing, mapping to the domain object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Row, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from cloudconnectors.domain.connector import Connector, ProviderName
from cloudconnectors.domain.errors import NotFound
from cloudconnectors.domain.organizations import KIND_ORGANIZATION, Rollup
from cloudconnectors.domain.states import ConnectorState, Discovery, Status
from cloudconnectors.storage.tables import ConnectorRow, SnapshotRow

_SelectT = TypeVar("_SelectT", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class ConnectorFilter:
    provider: str | None = None
    status: str | None = None
    search: str | None = None
    # "" : top-level connectors only (accounts and organizations); an ID: that
    # organization's members; None: every connector.
    parent: str | None = None
    kind: str | None = None
    # With ``parent == ""``: an organization is listed when it or one of its members matches.
    tree: bool = False


SORTABLE = {
    "name": ConnectorRow.name,
    "created_at": ConnectorRow.created_at,
    "status": ConnectorRow.status,
    "provider": ConnectorRow.provider,
    "next_run_at": ConnectorRow.next_run_at,
    "last_run_at": ConnectorRow.last_run_at,
}


def to_domain(row: ConnectorRow, snapshot: SnapshotRow | None = None) -> Connector:
    if snapshot is None:
        return _build(row, (), 0, 0)
    return _build(row, snapshot.regions, snapshot.vm_count, snapshot.asset_count)


def _build(
    row: ConnectorRow | Row[Any], regions: Sequence[str], vm_count: int, asset_count: int
) -> Connector:
    """One mapping for an ORM row and for a plain result row with the same column names."""
    return Connector(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        provider=ProviderName(row.provider),
        run_frequency_minutes=row.run_frequency_minutes,
        status=Status(row.status),
        discovery=Discovery(row.discovery) if row.discovery else None,
        last_error=row.last_error,
        warning=row.warning,
        last_run_at=row.last_run_at,
        next_run_at=row.next_run_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        public_credentials=dict(row.credentials_public),
        regions=tuple(regions),
        scope=_scope(row.scope),
        inventory=row.inventory or "rules",
        vm_count=vm_count,
        asset_count=asset_count,
        kind=row.kind or "account",
        parent_id=row.parent_id,
        organization=dict(row.organization) if row.organization else None,
        member=dict(row.member) if row.member else None,
        gone_at=row.gone_at,
        refresh_requested_at=row.refresh_requested_at,
        refresh_queued=(row.status == Status.REFRESHING.value
                        and row.refresh_previous_status is not None),
    )


def _scope(raw: Any) -> dict[str, list[str]] | None:
    if not isinstance(raw, dict):
        return None
    return {key: [str(v) for v in raw.get(key) or []] for key in ("include", "exclude")}


# Listing reads plain rows (no ORM identity map): everything but the sealed credentials,
# plus the three snapshot figures a list shows.
_LIST_COLUMNS = (
    *(column for column in ConnectorRow.__table__.c if column.key != "credentials_sealed"),
    SnapshotRow.regions.label("snapshot_regions"),
    SnapshotRow.vm_count.label("snapshot_vm_count"),
    SnapshotRow.asset_count.label("snapshot_asset_count"),
)


def state_of(row: ConnectorRow) -> ConnectorState:
    return ConnectorState(
        status=Status(row.status),
        discovery=Discovery(row.discovery) if row.discovery else None,
        last_error=row.last_error,
        warning=row.warning,
        previous=Status(row.refresh_previous_status) if row.refresh_previous_status else None,
    )


def store_state(row: ConnectorRow, state: ConnectorState) -> None:
    """Persist what :func:`cloudconnectors.domain.states.apply` returned; nothing else may."""
    row.status = state.status.value
    row.discovery = state.discovery.value if state.discovery else None
    row.last_error = state.last_error
    row.warning = state.warning
    row.refresh_previous_status = state.previous.value if state.previous else None


def unclaimed_refreshes(
    session: Session, cutoff: datetime, now: datetime, *, tenant_id: str | None = None
) -> list[str]:
    """Connectors whose Refresh is queued (status refreshing, previous status kept) since
    before ``cutoff`` while nobody holds their lease: the refreshes no poller took."""
    query = select(ConnectorRow.id).where(
        ConnectorRow.status == Status.REFRESHING.value,
        ConnectorRow.refresh_previous_status.is_not(None),
        or_(ConnectorRow.refresh_requested_at.is_(None),
            ConnectorRow.refresh_requested_at < cutoff),
        or_(ConnectorRow.lease_owner.is_(None), ConnectorRow.lease_expires_at < now),
    )
    if tenant_id is not None:
        query = query.where(ConnectorRow.tenant_id == tenant_id)
    return list(session.scalars(query))


def get_row(
    session: Session, tenant_id: str, connector_id: str, *, for_update: bool = False
) -> ConnectorRow:
    query = select(ConnectorRow).where(
        ConnectorRow.id == connector_id, ConnectorRow.tenant_id == tenant_id
    )
    if for_update:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"connector {connector_id} not found")
    return row


def get_with_snapshot(session: Session, tenant_id: str, connector_id: str) -> Connector:
    row = get_row(session, tenant_id, connector_id)
    snapshot = (
        session.get(SnapshotRow, row.current_snapshot_id) if row.current_snapshot_id else None
    )
    return with_rollups(session, [to_domain(row, snapshot)])[0]


def _conditions(table: Any, flt: ConnectorFilter) -> list[Any]:
    found = []
    if flt.provider:
        found.append(table.provider == flt.provider)
    if flt.status:
        found.append(table.status == flt.status)
    if flt.kind:
        found.append(table.kind == flt.kind)
    if flt.search:
        pattern = (
            "%" + flt.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        found.append(or_(table.name.ilike(pattern, escape="\\"), table.id == flt.search))
    return found


def _filtered(query: _SelectT, tenant_id: str, flt: ConnectorFilter) -> _SelectT:
    query = query.where(ConnectorRow.tenant_id == tenant_id)
    matches = _conditions(ConnectorRow, flt)
    if flt.parent == "":
        query = query.where(ConnectorRow.parent_id.is_(None))
        if flt.tree and matches:
            member = aliased(ConnectorRow)
            child = exists().where(member.parent_id == ConnectorRow.id,
                                   *_conditions(member, replace(flt, kind=None)))
            return query.where(or_(and_(*matches), child))
    elif flt.parent is not None:
        query = query.where(ConnectorRow.parent_id == flt.parent)
    return query.where(*matches)


def rollups(session: Session, parent_ids: Sequence[str]) -> dict[str, Rollup]:
    """Each organization's members by status, gone members apart, in one grouped query."""
    if not parent_ids:
        return {}
    counted = session.execute(
        select(ConnectorRow.parent_id, ConnectorRow.status, ConnectorRow.gone_at.is_(None),
               func.count())
        .where(ConnectorRow.parent_id.in_(list(parent_ids)))
        .group_by(ConnectorRow.parent_id, ConnectorRow.status, ConnectorRow.gone_at.is_(None))
    ).all()
    statuses: dict[str, dict[str, int]] = {p: {} for p in parent_ids}
    gone: dict[str, int] = dict.fromkeys(parent_ids, 0)
    for parent_id, status, present, count in counted:
        assert parent_id is not None  # the query keeps members only
        if present:
            statuses[parent_id][status] = statuses[parent_id].get(status, 0) + count
        else:
            gone[parent_id] += count
    return {p: Rollup.of(statuses[p], gone[p]) for p in parent_ids}


def with_rollups(session: Session, connectors: list[Connector]) -> list[Connector]:
    """The organization connectors among ``connectors`` with their members' roll-up."""
    parents = [c.id for c in connectors if c.kind == KIND_ORGANIZATION]
    found = rollups(session, parents)
    return [replace(c, members=found[c.id]) if c.id in found else c for c in connectors]


def page(
    session: Session,
    tenant_id: str,
    flt: ConnectorFilter,
    *,
    limit: int,
    offset: int,
    sort: str = "name",
    descending: bool = False,
) -> tuple[list[Connector], int]:
    column = SORTABLE[sort]
    order = (column.desc(), ConnectorRow.id.desc()) if descending else (column, ConnectorRow.id)
    # Deferred join: pick the page's ids from an index first, then read only those rows, so
    # a deep offset skips index entries instead of whole rows and their snapshots.
    page_ids = (
        _filtered(select(ConnectorRow.id), tenant_id, flt)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
        .subquery("page_ids")
    )
    rows_query = (
        select(*_LIST_COLUMNS)
        .join(page_ids, page_ids.c.id == ConnectorRow.id)
        .outerjoin(SnapshotRow, SnapshotRow.id == ConnectorRow.current_snapshot_id)
        .order_by(*order)
    )
    total = (
        session.scalar(_filtered(select(func.count()).select_from(ConnectorRow), tenant_id, flt))
        or 0
    )
    items = [
        _build(r, r.snapshot_regions or (), r.snapshot_vm_count or 0, r.snapshot_asset_count or 0)
        for r in session.execute(rows_query)
    ]
    return with_rollups(session, items), total


def name_taken(
    session: Session, tenant_id: str, name: str, *, except_id: str | None = None
) -> bool:
    query = select(ConnectorRow.id).where(
        ConnectorRow.tenant_id == tenant_id, ConnectorRow.name == name
    )
    if except_id:
        query = query.where(ConnectorRow.id != except_id)
    return session.scalar(query) is not None
