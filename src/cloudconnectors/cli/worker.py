"""``cloudconnectors worker``: a polling-only process beside ``serve``.

Every worker claims due connectors with a lease in the shared database, so any number of
them (on PostgreSQL, on any number of machines) never poll one connector twice at once, and
a dead worker's poll is taken over when its lease expires.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from sqlalchemy.engine import make_url

from cloudconnectors.composition import embedded_scheduler
from cloudconnectors.services.context import AppContext


def _where(ctx: AppContext) -> str:
    return make_url(ctx.settings.database_url).render_as_string(hide_password=True)


@click.command()
@click.option("--concurrency", type=click.IntRange(1, 64), default=None,
              help="Polls run at once (default: CLOUDCONNECTORS_POLL_CONCURRENCY or 4).")
@click.option("--name", "worker_id", default=None, help="Worker name shown on poll runs.")
def worker(concurrency: int | None, worker_id: str | None) -> None:
    """Poll due connectors until stopped (Ctrl-C or SIGTERM); no web server."""
    ctx = AppContext.create()
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler = embedded_scheduler(ctx, worker_id=worker_id, max_concurrent=concurrency)
    scheduler.start()
    click.echo(f"worker polling {_where(ctx)}; Ctrl-C to stop",
               err=True)
    try:
        stop.wait()
    finally:
        click.echo("stopping: letting running polls finish", err=True)
        scheduler.stop()
        ctx.close()
