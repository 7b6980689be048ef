"""Move a connector through polls: with the real embedded scheduler once it exists, or by
applying the same state-machine events a poll applies, through the one state gate.

``RealPolls`` is chosen automatically when ``cloudconnectors.scheduler.embedded`` imports and
the AWS provider has a collector (it is no longer the credentials-only placeholder); the
browser tests then need no change.
"""

from __future__ import annotations

import importlib
import time
from datetime import timedelta
from typing import Any, Protocol

from cloudconnectors.domain import states
from cloudconnectors.domain.states import Discovery
from cloudconnectors.providers.credentials_only import CredentialsOnlyProvider
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import connectors as repo
from cloudconnectors.storage.tables import ConnectorRow, SnapshotRow
from cloudconnectors.storage.tables.base import utcnow


class PollDriver(Protocol):
    real: bool

    def first_poll(self, connector_id: str) -> None: ...

    def refresh_poll(self, connector_id: str) -> None: ...

    def stop(self) -> None: ...


def real_polling_available() -> bool:
    try:
        importlib.import_module("cloudconnectors.scheduler.embedded")
    except ImportError:
        return False
    return not isinstance(get_provider("aws"), CredentialsOnlyProvider)


class SimulatedPolls:
    """What a successful AWS poll does to the connector row, step by step."""

    real = False

    def __init__(self, ctx: AppContext, pause: float = 2.5) -> None:
        self.ctx = ctx
        self.pause = pause

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

    def first_poll(self, connector_id: str) -> None:
        self.start(connector_id)
        time.sleep(self.pause)  # long enough for the page's 2 s polling to see Refreshing
        self.succeed(connector_id)

    refresh_poll = first_poll

    def stop(self) -> None:
        pass


class RealPolls:
    """The embedded scheduler polls the moto sandbox; nothing to drive by hand."""

    real = True

    def __init__(self, ctx: AppContext) -> None:
        module = importlib.import_module("cloudconnectors.scheduler.embedded")
        self.scheduler = module.EmbeddedScheduler(ctx)
        self.scheduler.start()

    def first_poll(self, connector_id: str) -> None:
        pass

    def refresh_poll(self, connector_id: str) -> None:
        pass

    def stop(self) -> None:
        stop = getattr(self.scheduler, "stop", None)
        if callable(stop):
            stop()
