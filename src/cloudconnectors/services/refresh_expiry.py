"""A queued Refresh that no poller takes within the lease time goes back to what it was.

A Refresh makes a connector read ``refreshing`` at once (``refresh_queued`` in the state
machine). If no embedded scheduler or scale-out worker takes it — none runs, or all are busy —
the connector must not read ``refreshing`` for ever: once the lease time has passed since the
request with nobody holding the lease, ``refresh_unclaimed`` puts the previous status back with
a warning that says why and what to check.

Any process may do this at any time and doing it twice changes nothing: the scheduler ticks
(embedded and scale-out) sweep every tenant, and reads of connectors sweep their tenant, so it
happens even when no poller runs at all (the likeliest reason a refresh was not taken).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from cloudconnectors.domain import states
from cloudconnectors.domain.states import Stage
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import connectors as repo
from cloudconnectors.storage.tables import ConnectorRow
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["expire_unclaimed", "unclaimed_message"]

logger = logging.getLogger(__name__)


def unclaimed_message(requested_at: datetime | None, lease_seconds: float) -> str:
    when = f" at {requested_at:%Y-%m-%d %H:%M:%S} UTC" if requested_at else ""
    return (f"the Refresh asked for{when} was not taken by any poller within "
            f"{lease_seconds:g} s, so the connector is back to its previous status; check that "
            "`cloudconnectors serve` (or a scale-out worker and scheduler) is running and not "
            "saturated, then press Refresh again")


def expire_unclaimed(ctx: AppContext, *, tenant_id: str | None = None,
                     now: datetime | None = None) -> int:
    """Revert every queued Refresh older than the lease time that no poller holds.

    Returns how many were reverted. A read-only look comes first, so the common case (nothing
    to revert) costs one indexed query and never takes the write lock.
    """
    now = now or utcnow()
    lease = ctx.settings.poll_lease_seconds
    cutoff = now - timedelta(seconds=lease)
    with ctx.db.read() as session:
        ids = repo.unclaimed_refreshes(session, cutoff, now, tenant_id=tenant_id)
    reverted = 0
    for connector_id in ids:
        with ctx.db.write() as session:
            row = session.get(ConnectorRow, connector_id, with_for_update=True)
            if row is None or not _still_unclaimed(row, cutoff, now):
                continue  # a poller took it (or it was deleted) since the look
            event = states.Event.refresh_unclaimed(
                unclaimed_message(row.refresh_requested_at, lease))
            repo.store_state(row, states.apply(repo.state_of(row), event))
            row.refresh_requested_at = None
            reverted += 1
            logger.warning("refresh of connector %s was not taken within %g s; reverted",
                           connector_id, lease)
    return reverted


def _still_unclaimed(row: ConnectorRow, cutoff: datetime, now: datetime) -> bool:
    free = row.lease_owner is None or (row.lease_expires_at is not None
                                       and row.lease_expires_at < now)
    asked = row.refresh_requested_at
    return (repo.state_of(row).stage is Stage.QUEUED and free
            and (asked is None or asked < cutoff))
