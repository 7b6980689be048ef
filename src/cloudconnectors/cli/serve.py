"""``cloudconnectors serve``: the portal, the API and the embedded scheduler in one process."""

from __future__ import annotations

import importlib
from typing import Any

import click

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.hooks import install_default_hooks

SCHEDULER_MODULE = "cloudconnectors.scheduler.embedded"


def _embedded_scheduler(ctx: AppContext) -> Any | None:
    """The embedded scheduler if this build has one (imported lazily)."""
    try:
        module = importlib.import_module(SCHEDULER_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name and SCHEDULER_MODULE.startswith(exc.name):
            return None
        raise
    return module.EmbeddedScheduler(ctx)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(host: str, port: int, log_level: str) -> None:
    """Run the web portal, the REST API and the scheduler."""
    import uvicorn

    from cloudconnectors.api.app import create_app

    install_default_hooks()  # before the scheduler's first poll
    ctx = AppContext.create()
    scheduler = _embedded_scheduler(ctx)
    if scheduler is not None:
        scheduler.start()
    else:
        click.echo("note: no embedded scheduler in this build; connectors are not polled",
                   err=True)
    try:
        uvicorn.run(create_app(ctx), host=host, port=port, log_level=log_level)
    finally:
        if scheduler is not None:
            scheduler.stop()
        ctx.close()
