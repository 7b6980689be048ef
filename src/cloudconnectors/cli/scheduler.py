"""``cloudconnectors scheduler``: the scale-out tick on its own (no web server).

Run one or several (they elect one ticker between them); ``serve`` runs the same loop, so a
separate scheduler is only needed when no ``serve`` runs, or to keep ticking apart from it.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click

from cloudconnectors.services.context import AppContext


@click.command()
def scheduler() -> None:
    """Queue due connectors for the Celery workers until stopped (needs a broker)."""
    from cloudconnectors.composition import tick_loop

    ctx = AppContext.create()
    try:
        if not ctx.settings.broker_url:
            raise click.UsageError(
                "CLOUDCONNECTORS_BROKER_URL is not set: without a broker, serve and worker "
                "schedule polls themselves")
        stop = threading.Event()

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        loop = tick_loop(ctx)
        loop.start()
        click.echo(f"scheduler ticking every {ctx.settings.scheduler_tick_seconds:g} s as "
                   f"{loop.owner}; Ctrl-C to stop", err=True)
        stop.wait()
        click.echo("stopping", err=True)
        loop.stop()
    finally:
        ctx.close()
