"""``status`` without a broker, and the broker-only commands refusing to run without one."""

from __future__ import annotations

import json

from cloudconnectors.services.context import AppContext
from tests.cli.conftest import Cli
from tests.fakes.connectors import make_gcp_connector
from tests.support.people import make_person


def test_status_counts_connectors_and_runs_in_embedded_mode(ctx: AppContext, run: Cli) -> None:
    person = make_person(ctx)
    make_gcp_connector(ctx, person)
    make_gcp_connector(ctx, person)
    table = run("status")
    assert table.code == 0, table.stderr
    assert "polling: embedded" in table.stdout
    report = json.loads(run("status", "--json").stdout)
    assert report["mode"] == "embedded"
    assert report["connectors"] == {"pending": 2}
    assert report["runs"] == {} and report["late"] == 0
    assert "queues" not in report and "workers" not in report


def test_celery_options_and_the_scheduler_need_a_broker(run: Cli) -> None:
    worker = run("worker", "--pool", "threads")
    assert worker.code == 2
    assert "--pool: Celery options need CLOUDCONNECTORS_BROKER_URL" in worker.stderr
    scheduler = run("scheduler")
    assert scheduler.code == 2
    assert "CLOUDCONNECTORS_BROKER_URL is not set" in scheduler.stderr
