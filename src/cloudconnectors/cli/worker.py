"""``cloudconnectors worker``: a polling-only process beside ``serve``.

Without ``CLOUDCONNECTORS_BROKER_URL`` it runs the embedded scheduler: it claims due
connectors with a lease in the shared database, so any number of them never poll one
connector twice at once, and a dead worker's poll is taken over when its lease expires.

With a broker it is a real Celery worker with our app: every Celery worker option after
``--`` (or any option this command does not know: ``--pool``, ``-Q``, ``--hostname``,
``--loglevel``…) is Celery's own.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from sqlalchemy.engine import make_url

from cloudconnectors.config import load_settings
from cloudconnectors.services.context import AppContext


def _where(ctx: AppContext) -> str:
    return make_url(ctx.settings.database_url).render_as_string(hide_password=True)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--concurrency", type=click.IntRange(1, 64), default=None,
              help="Polls run at once (default: CLOUDCONNECTORS_POLL_CONCURRENCY or 4; "
                   "with a broker, Celery's default: the number of CPUs).")
@click.option("--name", "worker_id", default=None,
              help="Worker name shown on poll runs (with a broker: Celery's --hostname).")
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(concurrency: int | None, worker_id: str | None, celery_args: tuple[str, ...]) -> None:
    """Poll due connectors until stopped (Ctrl-C or SIGTERM); no web server."""
    settings = load_settings()
    if settings.broker_url:
        _celery_worker(concurrency, worker_id, celery_args)
        return
    if celery_args:
        raise click.UsageError(
            f"{celery_args[0]}: Celery options need CLOUDCONNECTORS_BROKER_URL to be set")
    _embedded_worker(concurrency, worker_id)


def _celery_worker(concurrency: int | None, name: str | None, extra: tuple[str, ...]) -> None:
    from cloudconnectors.composition import celery_app

    settings = load_settings()
    AppContext.create(settings).close()  # bring the schema up to date before polling
    app = celery_app(settings, with_tasks=True)
    argv = ["worker", "--loglevel", "INFO"]
    if not any(a in ("-Q", "--queues") or a.startswith("--queues=") for a in extra):
        polls, evaluations = (f"{settings.queue_prefix}.{q}" for q in ("polls", "evaluations"))
        argv += ["--queues", f"{polls},{evaluations}"]
    if concurrency is not None:
        argv += ["--concurrency", str(concurrency)]
    if name is not None:
        argv += ["--hostname", name]
    app.worker_main(argv=[*argv, *(a for a in extra if a != "--")])


def _embedded_worker(concurrency: int | None, worker_id: str | None) -> None:
    from cloudconnectors.composition import embedded_scheduler

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
