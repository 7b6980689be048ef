"""Scale-out polling as use cases: the tick, the reaper, and running one queued run.

The broker is a seam given as a ``publish`` callable, so these work (and are tested) the same
whether Celery, a test or a benchmark carries the messages. Everything that decides lives in
the database:

* **tick** — reverts queued refreshes no worker took within the lease time; claims due
  connectors in batches (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), each batch one transaction
  that queues one run per connector, then publishes the batch *after* the commit and marks it
  published.
* **reap** — publishes again the runs the queue may have lost (never published, published
  long ago and still queued, or running with the connector's lease expired).
* **execute_run** — what a worker's task does: take the run under the connector's lease (or
  find it finished, or someone else polling), then poll it as the embedded scheduler would.
  Running the same message twice, or two messages for one run, polls at most once at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.polling import PollSummary, run_poll
from cloudconnectors.services.refresh_expiry import expire_unclaimed
from cloudconnectors.storage.repositories import queue
from cloudconnectors.storage.repositories.queue import QueuedRun
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["Publish", "RunOutcome", "TickResult", "execute_run", "reap", "tick"]

logger = logging.getLogger(__name__)

Publish = Callable[[Sequence[QueuedRun]], None]
"""Hands runs to the broker; raises when it cannot (the runs then wait for the reaper)."""

UNPUBLISHED_GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class TickResult:
    claimed: int
    published: int


def tick(ctx: AppContext, publish: Publish, *, limit: int | None = None) -> TickResult:
    """Queue every due connector (up to ``limit``), batch by batch; publish after commit."""
    expire_unclaimed(ctx)  # queued refreshes no worker took within the lease time
    batch = max(1, ctx.settings.tick_batch)
    claimed = published = 0
    while limit is None or claimed < limit:
        size = batch if limit is None else min(batch, limit - claimed)
        with ctx.db.write() as session:
            runs = queue.claim_due(session, utcnow(), size)
        claimed += len(runs)
        published += _publish(ctx, publish, runs)
        if len(runs) < size:
            break
    return TickResult(claimed, published)


def reap(ctx: AppContext, publish: Publish, *, limit: int = 1000) -> int:
    """Publish again what the queue may have lost; returns how many runs were published."""
    republish_after = timedelta(seconds=ctx.settings.republish_after_seconds)
    with ctx.db.read() as session:
        runs = queue.stranded(
            session,
            utcnow(),
            unpublished_after=min(UNPUBLISHED_GRACE, republish_after),
            republish_after=republish_after,
            limit=limit,
        )
    if runs:
        logger.info("re-publishing %d queued or orphaned poll runs", len(runs))
    return _publish(ctx, publish, runs)


def _publish(ctx: AppContext, publish: Publish, runs: Sequence[QueuedRun]) -> int:
    if not runs:
        return 0
    try:
        publish(runs)
    except Exception:  # the broker is away: the runs stay queued, the reaper retries
        logger.exception("could not publish %d poll runs; they stay queued", len(runs))
        return 0
    with ctx.db.write(durable=False) as session:  # lost in a crash: published again
        queue.mark_published(session, [r.run_id for r in runs], utcnow())
    return len(runs)


class RunOutcome(StrEnum):
    POLLED = "polled"
    FINISHED = "finished"  # a duplicate delivery of a run already done
    BUSY = "busy"  # another worker holds the connector's lease; the reaper covers it
    MISSING = "missing"  # the connector (and so the run) was deleted


@dataclass(frozen=True)
class Executed:
    outcome: RunOutcome
    attempt: int = 0
    summary: PollSummary | None = None


def execute_run(ctx: AppContext, run_id: str, worker_id: str) -> Executed:
    """Run one queued poll if nobody else is; idempotent on the run row."""
    now = utcnow()
    lease_until = now + timedelta(seconds=ctx.settings.poll_lease_seconds)
    # Not durable: lost in a database crash, the run is still queued and is published again.
    with ctx.db.write(durable=False) as session:
        taken = queue.take_run(session, run_id, worker_id, lease_until, now)
    if isinstance(taken, str):
        return Executed(RunOutcome(taken))
    summary = run_poll(
        ctx, taken.connector_id, trigger=taken.trigger, worker_id=worker_id, run_id=run_id
    )
    return Executed(RunOutcome.POLLED, taken.attempt, summary)
