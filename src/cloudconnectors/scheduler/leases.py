"""What a scheduler tick claims: due connectors, each by an atomic compare-and-set.

Any number of schedulers and workers may run against one database; the conditional
``UPDATE`` in :func:`cloudconnectors.storage.repositories.leases.claim` lets exactly one of
them win each connector, and an expired lease (a dead worker's) can be won again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from cloudconnectors.domain.runs import Trigger
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import leases
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["Claim", "claim_due"]


@dataclass(frozen=True)
class Claim:
    connector_id: str
    trigger: Trigger


def claim_due(
    ctx: AppContext, worker_id: str, limit: int, *, skip: Collection[str] = ()
) -> list[Claim]:
    """Claim up to ``limit`` due connectors for ``worker_id``; each claim is its own commit."""
    if limit <= 0:
        return []
    now = utcnow()
    with ctx.db.read() as session:
        # Look past the limit: other schedulers may win some of the first ones.
        candidates = leases.due(session, now, limit * 3 + len(skip))
    claims: list[Claim] = []
    expires = now + timedelta(seconds=ctx.settings.poll_lease_seconds)
    for connector_id, refresh_requested in candidates:
        if len(claims) >= limit:
            break
        if connector_id in skip:
            continue
        with ctx.db.write() as session:
            won = leases.claim(session, connector_id, worker_id, expires, utcnow())
        if won:
            trigger = Trigger.REFRESH if refresh_requested else Trigger.SCHEDULE
            claims.append(Claim(connector_id, trigger))
    return claims
