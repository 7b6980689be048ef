"""The composition root: the one place that assembles what each process runs.

``serve`` runs the API, the portal and polling; ``worker`` and ``scheduler`` run polling
only. Each asks this module for its parts, so what a process contains is visible here and
nowhere else: ``api`` knows nothing of the portal, ``web`` mounts itself onto an app it is
given, and neither starts a scheduler.

Polling comes in two modes, chosen by ``CLOUDCONNECTORS_BROKER_URL``:

* unset — the embedded scheduler polls in-process (``serve``, ``worker``); nothing to install;
* set — ``serve`` and ``scheduler`` run the elected tick that queues due connectors, and
  ``worker`` is a real Celery worker that polls them (see ``docs/scale-out.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from fastapi import FastAPI

from cloudconnectors.api.app import add_request_limits, create_api
from cloudconnectors.config import Settings
from cloudconnectors.scheduler.embedded import EmbeddedScheduler
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.hooks import install_default_hooks
from cloudconnectors.web import mount_web

if TYPE_CHECKING:
    from celery import Celery

    from cloudconnectors.scheduler.ticker import TickLoop

__all__ = [
    "Poller",
    "celery_app",
    "create_app",
    "embedded_scheduler",
    "start_polling",
    "tick_loop",
    "uses_broker",
]


class Poller(Protocol):
    def stop(self, timeout: float = ...) -> object: ...


def uses_broker(settings: Settings) -> bool:
    return bool(settings.broker_url)


def create_app(ctx: AppContext) -> FastAPI:
    """API + portal (+ ``/metrics`` when prometheus-client is installed)."""
    install_default_hooks()  # every poll this process runs evaluates its new snapshot
    app = create_api(ctx)
    mount_web(app)  # portal pages, sign-in/sign-out, /static and the security headers
    _mount_metrics(app, ctx)
    add_request_limits(app)
    return app


def embedded_scheduler(
    ctx: AppContext, *, worker_id: str | None = None, max_concurrent: int | None = None
) -> EmbeddedScheduler:
    """The in-process scheduler (not started yet); its polls are evaluated like any other."""
    install_default_hooks()
    return EmbeddedScheduler(ctx, worker_id=worker_id, max_concurrent=max_concurrent)


def celery_app(settings: Settings, *, with_tasks: bool = False) -> Celery:
    """The Celery app; ``with_tasks`` for a worker (defines the tasks, routes evaluations)."""
    from cloudconnectors.jobs.app import make_celery

    app = make_celery(settings)
    if with_tasks:
        from cloudconnectors.jobs.tasks import register_tasks

        register_tasks(app)
    return app


def tick_loop(ctx: AppContext, *, owner: str | None = None) -> TickLoop:
    """The elected tick of scale-out mode (not started yet), publishing to the broker."""
    from cloudconnectors.jobs.publish import publisher
    from cloudconnectors.scheduler.ticker import TickLoop

    return TickLoop(ctx, publisher(celery_app(ctx.settings), ctx.settings), owner=owner)


def start_polling(ctx: AppContext) -> Poller:
    """What ``serve`` runs beside the web app: the embedded scheduler, or the tick."""
    poller: EmbeddedScheduler | TickLoop
    poller = tick_loop(ctx) if uses_broker(ctx.settings) else embedded_scheduler(ctx)
    poller.start()
    return poller


def _mount_metrics(app: FastAPI, ctx: AppContext) -> None:
    try:
        from cloudconnectors.api.metrics import mount_metrics
    except ImportError:  # prometheus-client comes with the [scale] extra
        return
    depths = None
    if uses_broker(ctx.settings):
        from cloudconnectors.jobs.publish import queue_depths

        broker = celery_app(ctx.settings)

        def depths() -> dict[str, int]:
            return queue_depths(broker, ctx.settings)

    mount_metrics(app, ctx, depths)
