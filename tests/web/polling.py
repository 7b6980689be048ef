"""Move a connector through polls: with the real embedded scheduler (``RealPolls``), or, for
rendering tests that need exact timing, by applying the events a poll applies through the
one state gate (``SimulatedPolls``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cloudconnectors.domain import states
from cloudconnectors.domain.states import Discovery
from cloudconnectors.scheduler.embedded import EmbeddedScheduler
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import connectors as repo
from cloudconnectors.storage.tables import ConnectorRow, SnapshotRow
from cloudconnectors.storage.tables.base import utcnow


class SimulatedPolls:
    """What a successful AWS poll does to the connector row, step by step."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _apply(self, connector_id: str, event: states.Event, **extra: Any) -> None:
        with self.ctx.db.write() as session:
            row = session.get(ConnectorRow, connector_id)
            assert row is not None
            repo.store_state(row, states.apply(repo.state_of(row), event))
            for key, value in extra.items():
                setattr(row, key, value)

    def start(self, connector_id: str) -> None:
        self._apply(connector_id, states.Event.poll_started())

    def succeed(self, connector_id: str, vms: int = 3) -> None:
        now = utcnow()
        regions = ["eu-west-1", "us-east-1", "us-west-2"]
        types = {"AWS::EC2::Instance": vms, "AWS::EC2::VPC": 3, "AWS::EC2::SecurityGroup": 5,
                 "AWS::S3::Bucket": 2, "AWS::IAM::User": 2}
        with self.ctx.db.write() as session:
            row = session.get(ConnectorRow, connector_id)
            assert row is not None
            snapshot = SnapshotRow(tenant_id=row.tenant_id, connector_id=row.id, state="complete",
                                   completed_at=now, asset_count=sum(types.values()),
                                   vm_count=vms, type_counts=types, regions=regions)
            session.add(snapshot)
            session.flush()
            repo.store_state(row, states.apply(repo.state_of(row),
                                               states.Event.poll_succeeded(Discovery.SUCCESS)))
            row.current_snapshot_id = snapshot.id
            row.last_run_at = now
            row.next_run_at = now + timedelta(minutes=row.run_frequency_minutes)
            row.refresh_requested_at = None

    def fail(self, connector_id: str, error: str) -> None:
        self.start(connector_id)
        self._apply(connector_id, states.Event.poll_failed(error), last_run_at=utcnow())


class RealPolls:
    """The embedded scheduler polls the moto sandbox; nothing to drive by hand."""

    def __init__(self, ctx: AppContext) -> None:
        self.scheduler = EmbeddedScheduler(ctx)
        self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.stop()
