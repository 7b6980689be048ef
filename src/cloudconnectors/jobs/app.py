"""The Celery application: settings for long, idempotent polls and our own queue names.

Why each setting (Celery's documentation and the research notes, section D):

* ``task_acks_late`` + ``task_reject_on_worker_lost``: a message is acknowledged only when
  the poll finished, so a worker killed mid-poll hands it back; safe because the task is
  idempotent on its run row and guarded by the connector's lease.
* ``worker_prefetch_multiplier = 1``: a worker reserves no more polls than it runs.
* ``visibility_timeout`` (Redis) longer than the hard time limit, so a poll still running is
  never redelivered; the soft limit (90 % of the hard one) ends the poll cleanly first.
* ``control_exchange``/``event_exchange`` and queue names from ``queue_prefix``: several
  installations (or test sessions) can share one broker without seeing each other.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu import Queue

from cloudconnectors.config import Settings

__all__ = ["EVALUATE_TASK", "POLL_TASK", "make_celery", "queue_names"]

POLL_TASK = "cloudconnectors.poll"
EVALUATE_TASK = "cloudconnectors.evaluate"


def queue_names(settings: Settings) -> tuple[str, str]:
    """(polls, evaluations) queue names for this installation."""
    return f"{settings.queue_prefix}.polls", f"{settings.queue_prefix}.evaluations"


def make_celery(settings: Settings) -> Celery:
    if not settings.broker_url:
        raise ValueError("CLOUDCONNECTORS_BROKER_URL is not set: there is no broker to use")
    polls, evaluations = queue_names(settings)
    hard = settings.poll_time_limit_seconds
    transport: dict[str, Any] = {
        "visibility_timeout": settings.visibility_timeout,
        "global_keyprefix": f"{settings.queue_prefix}:",  # every Redis key is ours alone
    }
    if settings.broker_url.startswith(("amqp", "pyamqp")):
        transport = {"confirm_publish": True}  # published means the broker has it
    app = Celery("cloudconnectors", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=hard,
        task_soft_time_limit=hard * 0.9,
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        task_queues=(Queue(polls), Queue(evaluations)),
        task_default_queue=polls,
        task_routes={POLL_TASK: {"queue": polls}, EVALUATE_TASK: {"queue": evaluations}},
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        control_exchange=settings.queue_prefix,
        event_exchange=f"{settings.queue_prefix}.events",
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )
    return app
