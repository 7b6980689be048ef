"""The periodic tick of scale-out mode, on a daemon thread, elected so one process ticks.

Run by ``cloudconnectors scheduler`` or inside ``serve``; any number of them may run. Each
loop iteration renews (or tries to take) the ``tick`` election row; only its holder ticks on
the clock and reaps. A tick is safe to run anywhere at any time (``SKIP LOCKED``), so
:meth:`TickLoop.wake` (a Refresh) ticks at once in whichever process received it.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.poll_lease import make_worker_id
from cloudconnectors.services.queued_polls import Publish, TickResult, reap, tick
from cloudconnectors.storage.repositories import queue
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["ELECTION", "TickLoop"]

logger = logging.getLogger(__name__)

ELECTION = "tick"
REAP_EVERY = 5  # ticks


class TickLoop:
    def __init__(self, ctx: AppContext, publish: Publish, *, owner: str | None = None) -> None:
        self.ctx = ctx
        self.publish = publish
        self.owner = owner or make_worker_id("ticker")
        self.leading = False
        self.ticks = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("tick loop already started")
        self._stop.clear()
        self.ctx.wake_scheduler = self.wake
        self._thread = threading.Thread(target=self._loop, name="ticker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Tick now, leader or not (a Refresh was asked for)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        if self.ctx.wake_scheduler == self.wake:
            self.ctx.wake_scheduler = None
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
        self._resign()

    def elect(self) -> bool:
        """Take or keep the tick election for three tick intervals (at least 5 s)."""
        now = utcnow()
        term = timedelta(seconds=max(3 * self.ctx.settings.scheduler_tick_seconds, 5.0))
        with self.ctx.db.write() as session:
            self.leading = queue.hold_election(session, ELECTION, self.owner, now + term, now)
        return self.leading

    def once(self, *, woken: bool = False) -> TickResult | None:
        """One iteration: elect, and tick (and now and then reap) if leading or woken."""
        leading = self.elect()
        if not (leading or woken):
            return None
        result = tick(self.ctx, self.publish)
        self.ticks += 1
        if leading and self.ticks % REAP_EVERY == 1:
            reap(self.ctx, self.publish)
        return result

    def _loop(self) -> None:
        while not self._stop.is_set():
            woken = self._wake.is_set()
            self._wake.clear()
            try:
                self.once(woken=woken)
            except Exception:  # the database may be briefly away: try next tick
                logger.exception("scale-out tick failed")
            self._wake.wait(self.ctx.settings.scheduler_tick_seconds)

    def _resign(self) -> None:
        if not self.leading:
            return
        try:
            now = utcnow()
            with self.ctx.db.write() as session:
                queue.hold_election(session, ELECTION, self.owner, now, now)
        except Exception:
            logger.debug("could not resign the tick election", exc_info=True)
        self.leading = False
