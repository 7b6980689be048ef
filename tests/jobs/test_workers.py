"""Real Celery workers (``cloudconnectors worker`` processes) on real Redis and RabbitMQ,
with the tick running here, all on a PostgreSQL database of the module's own.

The same cases run on each broker: many due connectors spread over three workers, each
polled exactly once; a worker killed mid-poll, whose poll is redone once by another.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from cloudconnectors.cli.main import cli
from cloudconnectors.composition import create_app
from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.services.connectors import request_refresh
from cloudconnectors.storage.tables import ConnectorRow, ReportRunRow, SnapshotRow
from tests.fakes.connectors import connector_row, make_gcp_connector
from tests.jobs.cluster import Cluster, PgDatabase, wait_for
from tests.jobs.conftest import MACHINE_RABBITMQ, MACHINE_REDIS
from tests.support.people import make_person, principal_of

WORKERS = ("w1", "w2", "w3")


@pytest.fixture(scope="module", params=["redis", "rabbitmq"])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Cluster]:
    database = PgDatabase()
    url = MACHINE_REDIS if request.param == "redis" else MACHINE_RABBITMQ
    cluster = Cluster(url, tmp_path_factory.mktemp(f"cluster-{request.param}"), database.url)
    try:
        cluster.open()
        for name in WORKERS:
            cluster.start_worker(name)
        cluster.wait_for_workers(*WORKERS)
        cluster.start_ticking()
        yield cluster
    finally:
        cluster.close()
        database.drop()


def _count(cluster: Cluster, query: object) -> int:
    assert cluster.ctx is not None
    with cluster.ctx.db.read() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def test_due_connectors_over_three_workers_are_each_polled_exactly_once(
        cluster: Cluster) -> None:
    ctx = cluster.ctx
    assert ctx is not None
    person = make_person(ctx, tenant="scale", role="admin")
    ids = {make_gcp_connector(ctx, person) for _ in range(200)}
    online = select(func.count()).select_from(ConnectorRow).where(
        ConnectorRow.id.in_(ids), ConnectorRow.status == "online")
    wait_for(lambda: _count(cluster, online) == len(ids), "all 200 connectors online",
             timeout=300)
    starts = cluster.starts()
    assert {c: n for c, n in starts.items() if c in ids} == dict.fromkeys(ids, 1)
    runs = [r for r in cluster.runs() if r.connector_id in ids]
    assert len(runs) == len(ids)
    assert {(r.state, r.attempts, r.trigger) for r in runs} == {
        (RunState.SUCCEEDED.value, 1, Trigger.SCHEDULE.value)}
    assert {r.worker.split(":")[2].split("@")[1] for r in runs} == set(WORKERS)
    # Each poll's evaluation ran as its own task, on the evaluations queue.
    evaluated = select(func.count(func.distinct(ReportRunRow.connector_id))).where(
        ReportRunRow.connector_id.in_(ids))
    wait_for(lambda: _count(cluster, evaluated) == len(ids), "every connector evaluated")


def test_status_and_metrics_show_the_workers_queues_and_polls(cluster: Cluster) -> None:
    ctx = cluster.ctx
    assert ctx is not None
    env = {k: v for k, v in cluster.env().items() if k.startswith("CLOUDCONNECTORS_")}
    result = CliRunner().invoke(cli, ["status", "--json", "--timeout", "3"], env=env,
                                catch_exceptions=False)
    report = json.loads(result.stdout)
    assert report["mode"] == "celery"
    assert set(report["workers"]) == {f"{name}@test" for name in WORKERS}
    polls, evaluations = f"{cluster.prefix}.polls", f"{cluster.prefix}.evaluations"
    assert set(report["queues"]) == {polls, evaluations}
    assert all(set(w["queues"]) == {polls, evaluations} for w in report["workers"].values())
    assert report["runs"].get("succeeded", 0) >= 200
    token = "scraper-" + "x" * 32
    ctx.settings = dataclasses.replace(ctx.settings, metrics_token=token)
    with TestClient(create_app(ctx)) as client:
        metrics = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert metrics.status_code == 200
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(metrics.text) for s in f.samples}
    assert samples[("cloudconnectors_polls_total", (("outcome", "succeeded"),))] >= 200
    assert samples[("cloudconnectors_connectors", (("status", "online"),))] >= 200
    assert f'queue="{polls}"' in metrics.text


def test_a_worker_killed_mid_poll_has_its_poll_redone_once_elsewhere(
        cluster: Cluster, tmp_path: Path) -> None:
    ctx = cluster.ctx
    assert ctx is not None
    person = make_person(ctx, tenant="kill", role="admin")
    connector_id = make_gcp_connector(ctx, person)
    # Its first, scheduled poll gives the previous, complete snapshot.
    wait_for(lambda: connector_row(ctx, connector_id).status == "online", "the first poll")
    first = connector_row(ctx, connector_id).current_snapshot_id
    assert first is not None
    cluster.make_slow(connector_id)
    request_refresh(ctx, principal_of(ctx, person), connector_id)
    wait_for(lambda: cluster.starts()[connector_id] == 2, "a worker to start the slow poll")
    pid = [p for kind, c, p in cluster.poll_log() if kind == "start" and c == connector_id][-1]
    (victim,) = [n for n, proc in cluster.workers.items() if proc.pid == pid]
    cluster.kill(victim)
    lines_at_kill = len(cluster.poll_log())
    assert connector_row(ctx, connector_id).current_snapshot_id == first

    def redone() -> bool:
        row = connector_row(ctx, connector_id)
        return row.status == "online" and row.current_snapshot_id != first

    wait_for(redone, "another worker to redo the poll", timeout=240)
    log = [(kind, p) for kind, c, p in cluster.poll_log() if c == connector_id][2:]
    assert log[0] == ("start", pid)  # the killed poll never ended
    assert len(log) == 3 and log[1][0] == "start" and log[2][0] == "end"
    assert log[1][1] != pid and log[1][1] == log[2][1]
    later = [line for line in cluster.poll_log()[lines_at_kill:] if line[1] == connector_id]
    assert later[0] == ("start", connector_id, log[1][1])  # began only after the kill
    (run,) = [r for r in cluster.runs() if r.connector_id == connector_id
              and r.trigger == Trigger.REFRESH.value]
    assert (run.state, run.attempts, run.trigger) == (
        RunState.SUCCEEDED.value, 2, Trigger.REFRESH.value)
    with ctx.db.read() as session:
        snapshots = dict(session.execute(select(SnapshotRow.id, SnapshotRow.state).where(
            SnapshotRow.connector_id == connector_id)).all())
    assert snapshots[first] == "complete"  # history intact
    assert "writing" not in snapshots.values()  # the half snapshot was discarded
    assert connector_row(ctx, connector_id).current_snapshot_id == run.snapshot_id
