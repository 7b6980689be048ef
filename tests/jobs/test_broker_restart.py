"""A Redis restarted mid-run (ours, on a free port, without persistence: its queue is lost
outright) loses no poll: the reaper publishes the runs still queued again, workers reconnect,
every connector is polled, and none twice at once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from cloudconnectors.domain.runs import RunState
from cloudconnectors.storage.tables import ConnectorRow
from tests.fakes.connectors import make_gcp_connector
from tests.jobs.cluster import Cluster, PgDatabase, wait_for
from tests.jobs.conftest import OwnRedis
from tests.support.people import make_person


def test_a_redis_restart_mid_run_loses_no_poll(own_redis: OwnRedis, tmp_path: Path) -> None:
    database = PgDatabase()
    cluster = Cluster(own_redis.url, tmp_path, database.url, asset_delay=0.1,
                      republish_after=2.0)
    try:
        ctx = cluster.open()
        for name in ("r1", "r2"):
            cluster.start_worker(name)
        cluster.wait_for_workers("r1", "r2")
        person = make_person(ctx, tenant="restart", role="admin")
        ids = {make_gcp_connector(ctx, person) for _ in range(30)}
        cluster.start_ticking()
        wait_for(lambda: sum(cluster.starts().values()) >= 4, "the first polls to start")
        waiting = [r for r in cluster.runs()
                   if r.state == RunState.QUEUED.value and r.published_at is not None]
        assert waiting, "no message was waiting in Redis when it stopped"
        own_redis.stop()  # every message still in Redis is gone with it
        own_redis.start()
        online = select(func.count()).select_from(ConnectorRow).where(
            ConnectorRow.id.in_(ids), ConnectorRow.status == "online")

        def all_online() -> bool:
            with ctx.db.read() as session:
                return session.scalar(online) == len(ids)

        wait_for(all_online, "every connector polled after the restart", timeout=300)
        runs = [r for r in cluster.runs() if r.connector_id in ids]
        assert len(runs) == len(ids)
        assert {r.state for r in runs} == {RunState.SUCCEEDED.value}
        assert set(cluster.starts()) == ids
        for connector_id in ids:  # start and end alternate: never two polls at once
            kinds = [kind for kind, c, _ in cluster.poll_log() if c == connector_id]
            assert kinds == ["start", "end"] * (len(kinds) // 2)
    finally:
        cluster.close()
        database.drop()
