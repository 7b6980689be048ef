"""The composition root: the one place that assembles what each process runs.

``serve`` runs the API, the portal and polling; ``worker`` and ``scheduler`` run polling
only. Each asks this module for its parts, so what a process contains is visible here and
nowhere else: ``api`` knows nothing of the portal, ``web`` mounts itself onto an app it is
given, and neither starts a scheduler.
"""

from __future__ import annotations

from fastapi import FastAPI

from cloudconnectors.api.app import add_request_limits, create_api
from cloudconnectors.scheduler.embedded import EmbeddedScheduler
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.hooks import install_default_hooks
from cloudconnectors.web import mount_web

__all__ = ["create_app", "embedded_scheduler"]


def create_app(ctx: AppContext) -> FastAPI:
    """API + portal, as ``serve`` and the demo run them."""
    install_default_hooks()  # every poll this process runs evaluates its new snapshot
    app = create_api(ctx)
    mount_web(app)  # portal pages, sign-in/sign-out, /static and the security headers
    add_request_limits(app)
    return app


def embedded_scheduler(
    ctx: AppContext, *, worker_id: str | None = None, max_concurrent: int | None = None
) -> EmbeddedScheduler:
    """The in-process scheduler (not started yet); its polls are evaluated like any other."""
    install_default_hooks()
    return EmbeddedScheduler(ctx, worker_id=worker_id, max_concurrent=max_concurrent)
