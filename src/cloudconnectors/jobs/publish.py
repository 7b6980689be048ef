"""The broker side of the tick: publish runs, read queue depths, ask workers how they are."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from celery import Celery

from cloudconnectors.config import Settings
from cloudconnectors.jobs.app import POLL_TASK, queue_names
from cloudconnectors.services.queued_polls import Publish
from cloudconnectors.storage.repositories.queue import QueuedRun

__all__ = ["publisher", "queue_depths", "worker_report"]


def publisher(app: Celery, settings: Settings) -> Publish:
    polls, _ = queue_names(settings)

    def publish(runs: Sequence[QueuedRun]) -> None:
        with app.producer_or_acquire() as producer:
            for run in runs:
                app.send_task(
                    POLL_TASK,
                    args=[run.run_id],
                    queue=polls,
                    task_id=f"poll-{run.run_id}-{uuid.uuid4().hex[:8]}",
                    producer=producer,
                    retry_policy={"max_retries": 2, "interval_start": 0.2,
                                  "interval_step": 0.5},
                )

    return publish


def queue_depths(app: Celery, settings: Settings) -> dict[str, int]:
    """Messages waiting in each of our queues (not counting those a worker reserved)."""
    depths: dict[str, int] = {}
    with app.connection_for_write() as connection:
        channel: Any = connection.default_channel
        for name in queue_names(settings):
            try:
                depths[name] = int(channel.queue_declare(queue=name, passive=True).message_count)
            except Exception:  # not declared yet: nobody published or consumed it
                depths[name] = 0
                channel = connection.channel()
    return depths


def worker_report(app: Celery, timeout: float = 1.0) -> dict[str, dict[str, Any]]:
    """Workers that answered: the queues each consumes and the tasks it is running."""
    inspect = app.control.inspect(timeout=timeout)
    active = inspect.active() or {}
    queues = inspect.active_queues() or {}
    names = sorted(set(active) | set(queues))
    return {
        name: {
            "queues": sorted(q.get("name", "") for q in queues.get(name, [])),
            "running": len(active.get(name, [])),
        }
        for name in names
    }
