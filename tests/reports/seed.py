"""Insert rows directly: a tenant, a connector, complete snapshots with runs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cloudconnectors.domain.assets import asset_key
from cloudconnectors.rules.model import InventoryItem
from cloudconnectors.storage.db import Database
from cloudconnectors.storage.tables import (
    AssetRow,
    ConnectorRow,
    PollRunRow,
    RunResultRow,
    SnapshotRow,
    TenantRow,
)
from tests.rules.fixtures import REGIONS


class Seeder:
    def __init__(self, db: Database) -> None:
        self.db = db

    def tenant(self, name: str = "acme") -> str:
        with self.db.write() as s:
            row = TenantRow(name=name)
            s.add(row)
            s.flush()
            return row.id

    def connector(self, tenant_id: str, name: str = "prod", provider: str = "aws") -> str:
        with self.db.write() as s:
            row = ConnectorRow(tenant_id=tenant_id, name=name, provider=provider,
                               run_frequency_minutes=240, status="online",
                               credentials_public={"role_arn": "arn:aws:iam::111122223333:"
                                                   "role/CloudConnectors"},
                               credentials_sealed="sealed")
            s.add(row)
            s.flush()
            return row.id

    def snapshot(self, tenant_id: str, connector_id: str, items: Iterable[InventoryItem],
                 at: datetime, denied: Iterable[tuple[str, str]] = ()) -> str:
        """A finished poll: run (with denials), complete snapshot, pointer moved to it."""
        with self.db.write() as s:
            run = PollRunRow(tenant_id=tenant_id, connector_id=connector_id, trigger="cli",
                             state="succeeded", started_at=at, finished_at=at,
                             regions=list(REGIONS))
            s.add(run)
            s.flush()
            for type_, permission in denied:
                s.add(RunResultRow(run_id=run.id, region="us-east-1", service="x",
                                   resource_type=type_, outcome="denied",
                                   permission=permission, reason="AccessDenied"))
            snap = SnapshotRow(tenant_id=tenant_id, connector_id=connector_id, run_id=run.id,
                               state="complete", started_at=at, completed_at=at)
            s.add(snap)
            s.flush()
            for it in items:
                s.add(AssetRow(snapshot_id=snap.id,
                               key=asset_key(connector_id, it.type, it.region, it.native_id),
                               tenant_id=tenant_id, connector_id=connector_id, type=it.type,
                               region=it.region, native_id=it.native_id, name=it.name,
                               data=it.data))
            connector = s.get(ConnectorRow, connector_id)
            assert connector is not None
            connector.current_snapshot_id = snap.id
            return snap.id
