"""The scheduler that runs inside ``cloudconnectors serve``: a daemon thread and a pool.

Each tick claims due connectors (see :mod:`cloudconnectors.scheduler.leases`) up to the
free slots of a bounded thread pool and polls them there. Everything it knows is in the
database (``next_run_at``, the lease, ``refresh_requested_at``), so a restart, a second
scheduler on the same database or a crashed poll needs no coordination: an expired lease
is simply claimed again.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

from cloudconnectors.scheduler.leases import Claim, claim_due
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.poll_lease import make_worker_id, release_lease
from cloudconnectors.services.polling import PollSummary, run_poll
from cloudconnectors.services.refresh_expiry import expire_unclaimed

__all__ = ["EmbeddedScheduler"]

logger = logging.getLogger(__name__)


class EmbeddedScheduler:
    """Polls due connectors on a daemon thread, at most ``max_concurrent`` at a time."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        worker_id: str | None = None,
        max_concurrent: int | None = None,
    ) -> None:
        self.ctx = ctx
        self.worker_id = worker_id or make_worker_id("scheduler")
        self.max_concurrent = max(1, max_concurrent or ctx.settings.poll_concurrency)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._running: dict[str, Future[PollSummary | None]] = {}
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("scheduler already started")
        self._stop.clear()
        self._pool = ThreadPoolExecutor(self.max_concurrent, thread_name_prefix="poll")
        self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
        self.ctx.wake_scheduler = self.wake
        self._thread.start()

    def wake(self) -> None:
        """Tick now (a Refresh was asked for, or a slot came free)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop claiming; wait up to ``timeout`` for running polls. True if all finished.

        A poll still running when the process exits keeps its lease until it expires, and
        is then picked up again by whichever scheduler comes next.
        """
        if self.ctx.wake_scheduler == self.wake:
            self.ctx.wake_scheduler = None
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        with self._lock:
            futures = list(self._running.values())
        done = True
        for future in futures:
            try:
                future.result(timeout=max(timeout, 0.0))
            except TimeoutError:
                done = False
            except Exception:  # already logged by the poll wrapper
                logger.debug("poll ended with an error during shutdown", exc_info=True)
        if self._pool is not None:
            self._pool.shutdown(wait=done, cancel_futures=True)
        self._thread = None
        self._pool = None
        return done

    @property
    def running(self) -> list[str]:
        with self._lock:
            return list(self._running)

    # -- ticking --------------------------------------------------------------------------

    def tick(self) -> list[Claim]:
        """Claim what is due up to the free slots and start polling it; returns the claims."""
        pool = self._pool
        if pool is None or self._stop.is_set():
            return []
        with self._lock:
            busy = set(self._running)
        expire_unclaimed(self.ctx)  # refreshes this scheduler had no slot for in time
        claims = claim_due(self.ctx, self.worker_id, self.max_concurrent - len(busy), skip=busy)
        for claim in claims:
            try:
                future = pool.submit(self._poll, claim)
            except RuntimeError:  # the pool is shutting down: hand the claim back
                release_lease(self.ctx, claim.connector_id, self.worker_id)
                continue
            with self._lock:
                self._running[claim.connector_id] = future
            future.add_done_callback(partial(self._done, claim.connector_id))
        return claims

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.tick()
            except Exception:  # the database may be briefly unavailable; try next tick
                logger.exception("scheduler tick failed")
            self._wake.wait(self.ctx.settings.scheduler_tick_seconds)

    def _poll(self, claim: Claim) -> PollSummary | None:
        try:
            return run_poll(
                self.ctx, claim.connector_id, trigger=claim.trigger, worker_id=self.worker_id
            )
        except Exception:
            # run_poll records every poll failure on the connector itself; what reaches here
            # is a connector deleted before the poll began, or a database outage.
            logger.exception("could not poll connector %s", claim.connector_id)
            return None

    def _done(self, connector_id: str, _future: Future[PollSummary | None]) -> None:
        with self._lock:
            self._running.pop(connector_id, None)
        self.wake()
