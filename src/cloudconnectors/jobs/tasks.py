"""The two tasks: poll one queued run, evaluate one connector's new snapshot.

Each worker process opens its own :class:`AppContext` on first use (never before a fork, so
prefork children do not share database connections). A successful poll enqueues its
evaluation on the evaluations queue instead of evaluating inline, so evaluation scales on
its own workers and a failed evaluation is retried without polling again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery, Task
from celery.signals import worker_process_init

from cloudconnectors.jobs.app import EVALUATE_TASK, POLL_TASK
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.poll_lease import make_worker_id
from cloudconnectors.services.polling import add_post_poll_hook
from cloudconnectors.services.queued_polls import execute_run
from cloudconnectors.services.reports import evaluate_connector

__all__ = ["register_tasks", "worker_context"]

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_context: AppContext | None = None


def worker_context() -> AppContext:
    """This process's context (created on first use; the schema is ``serve``'s to migrate)."""
    global _context
    with _lock:
        if _context is None:
            _context = AppContext.create(migrate=False)
        return _context


@worker_process_init.connect
def _forget_parent_context(**_: Any) -> None:
    global _context
    _context = None  # a forked child opens its own connections


def register_tasks(app: Celery) -> None:
    """Define the tasks on ``app`` and route every successful poll to an evaluation."""

    @app.task(name=POLL_TASK, bind=True)
    def poll(self: Task[Any, Any], run_id: str) -> str:
        ctx = worker_context()
        hostname = str(getattr(self.request, "hostname", None) or "celery")
        executed = execute_run(ctx, run_id, make_worker_id(f"celery@{hostname}"[:40]))
        logger.info("run %s: %s (attempt %d)", run_id, executed.outcome, executed.attempt)
        return executed.outcome.value

    @app.task(name=EVALUATE_TASK, bind=True, autoretry_for=(Exception,), max_retries=5,
              retry_backoff=2, retry_backoff_max=300, retry_jitter=True,
              acks_late=True, time_limit=900, soft_time_limit=840)
    def evaluate(self: Task[Any, Any], tenant_id: str, connector_id: str) -> None:
        evaluate_connector(worker_context().db, tenant_id, connector_id)

    def enqueue_evaluation(_ctx: AppContext, tenant_id: str, connector_id: str) -> None:
        evaluate.apply_async(args=(tenant_id, connector_id))

    enqueue_evaluation.__qualname__ = "enqueue_evaluation"
    add_post_poll_hook(enqueue_evaluation)
