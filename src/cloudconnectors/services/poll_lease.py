"""Holding a poll's lease: claim it, keep it alive while the poll runs, give it back.

The lease lives on the connector row (see :mod:`cloudconnectors.storage.repositories.leases`);
this module adds time and a heartbeat thread on top of those atomic updates.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta
from types import TracebackType

from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import leases
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["LeaseHeartbeat", "LeaseLost", "claim_lease", "make_worker_id", "release_lease"]

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker took the lease over (ours had expired): stop writing at once."""


def make_worker_id(role: str = "worker") -> str:
    """Unique per process and role, readable in the run history (``host:pid:role:xxxx``)."""
    return f"{socket.gethostname()}:{os.getpid()}:{role}:{uuid.uuid4().hex[:8]}"


def claim_lease(ctx: AppContext, connector_id: str, worker_id: str) -> bool:
    """Take the connector's lease if it is free or expired; True only for the winner."""
    now = utcnow()
    expires = now + timedelta(seconds=ctx.settings.poll_lease_seconds)
    with ctx.db.write() as session:
        return leases.claim(session, connector_id, worker_id, expires, now)


def release_lease(ctx: AppContext, connector_id: str, worker_id: str) -> bool:
    with ctx.db.write() as session:
        return leases.release(session, connector_id, worker_id)


class LeaseHeartbeat:
    """Renews a held lease every third of its length until stopped (a context manager).

    If a renewal finds the lease gone, :attr:`lost` is set and :meth:`check` raises
    :class:`LeaseLost`, so the poll stops writing into a snapshot it no longer owns.
    """

    def __init__(self, ctx: AppContext, connector_id: str, worker_id: str) -> None:
        self._ctx = ctx
        self._connector_id = connector_id
        self._worker_id = worker_id
        self._seconds = ctx.settings.poll_lease_seconds
        self._stop = threading.Event()
        self.lost = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"lease-{connector_id[:8]}", daemon=True
        )

    def __enter__(self) -> LeaseHeartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=self._seconds)

    def check(self) -> None:
        if self.lost.is_set():
            raise LeaseLost(f"lease on connector {self._connector_id} was taken over")

    def renew_now(self) -> bool:
        expires = utcnow() + timedelta(seconds=self._seconds)
        with self._ctx.db.write(durable=False) as session:  # lost in a crash: renewed again
            held = leases.renew(session, self._connector_id, self._worker_id, expires)
        if not held:
            self.lost.set()
        return held

    def _run(self) -> None:
        interval = max(self._seconds / 3, 0.05)
        while not self._stop.wait(interval):
            try:
                if not self.renew_now():
                    logger.warning("lost the lease on connector %s", self._connector_id)
                    return
            except Exception:  # a missed beat is retried; the lease outlasts two of them
                logger.exception("lease renewal failed for connector %s", self._connector_id)
