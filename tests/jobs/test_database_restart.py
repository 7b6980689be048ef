"""A PostgreSQL crash mid-run (ours, on a free port, stopped ``immediate`` like a power cut)
loses no poll: workers and the tick get their connections back, the runs the crash
interrupted or forgot are published again, and every connector ends polled once, in one
run, never by two workers at once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from cloudconnectors.domain.runs import RunState
from cloudconnectors.storage.tables import ConnectorRow
from tests.fakes.connectors import make_gcp_connector
from tests.jobs.cluster import Cluster, wait_for
from tests.jobs.conftest import MACHINE_REDIS, OwnPostgres
from tests.support.people import make_person


def test_a_database_crash_mid_run_loses_no_poll(own_postgres: OwnPostgres,
                                                 tmp_path: Path) -> None:
    cluster = Cluster(MACHINE_REDIS, tmp_path, own_postgres.url, asset_delay=0.1,
                      republish_after=2.0)
    try:
        ctx = cluster.open()
        cluster.start_worker("d1")
        cluster.wait_for_workers("d1")
        person = make_person(ctx, tenant="crash", role="admin")
        ids = {make_gcp_connector(ctx, person) for _ in range(20)}
        cluster.start_ticking()
        wait_for(lambda: sum(cluster.starts().values()) >= 3, "the first polls to start")
        ended = sum(1 for kind, _c, _p in cluster.poll_log() if kind == "end")
        assert ended < len(ids), "every poll ended before the crash: nothing was interrupted"
        own_postgres.crash()
        own_postgres.start()
        online = select(func.count()).select_from(ConnectorRow).where(
            ConnectorRow.id.in_(ids), ConnectorRow.status == "online")

        def all_online() -> bool:
            try:
                with ctx.db.read() as session:
                    return session.scalar(online) == len(ids)
            except Exception:  # our own pool may still hold a connection from before
                return False

        wait_for(all_online, "every connector polled after the crash", timeout=240)
        runs = [r for r in cluster.runs() if r.connector_id in ids]
        assert {r.state for r in runs} == {RunState.SUCCEEDED.value}
        assert Counter(r.connector_id for r in runs) == dict.fromkeys(ids, 1)
        assert cluster.workers["d1"].poll() is None, cluster.worker_output("d1")
    finally:
        cluster.close()
