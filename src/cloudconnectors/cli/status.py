"""``cloudconnectors status``: how polling is doing — connectors, runs, queues, workers."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from cloudconnectors.cli.output import print_json, print_table
from cloudconnectors.cli.runtime import app_context
from cloudconnectors.services.status import database_status


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--timeout", type=click.FloatRange(0.1, 30), default=1.0, show_default=True,
              help="Seconds to wait for workers to answer (with a broker).")
def status(as_json: bool, timeout: float) -> None:
    """Connectors by status, runs queued and running, late connectors; with a broker also
    the queue depths and the workers that answered."""
    with app_context() as ctx:
        report: dict[str, Any] = {"mode": "celery" if ctx.settings.broker_url else "embedded",
                                  **asdict(database_status(ctx))}
        if ctx.settings.broker_url:
            from cloudconnectors.composition import celery_app
            from cloudconnectors.jobs.publish import queue_depths, worker_report

            app = celery_app(ctx.settings)
            report["queues"] = queue_depths(app, ctx.settings)
            report["workers"] = worker_report(app, timeout)
    if as_json:
        print_json(report)
        return
    click.echo(f"polling: {report['mode']}")
    print_table(["connectors", "count"], sorted(report["connectors"].items()))
    print_table(["runs", "count"], sorted(report["runs"].items()))
    click.echo(f"late connectors (due over {report['late_after_minutes']} min ago, not "
               f"polling): {report['late']}")
    if "queues" in report:
        print_table(["queue", "waiting"], sorted(report["queues"].items()))
        print_table(["worker", "queues", "running"],
                    [[name, ", ".join(w["queues"]), w["running"]]
                     for name, w in report["workers"].items()])
        if not report["workers"]:
            click.echo("no worker answered")
