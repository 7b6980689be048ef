"""Benchmark: the scale-out mode on PostgreSQL and Redis with N real Celery worker processes.

Creates a database of its own on PostgreSQL (``--pg``, default the machine's 127.0.0.1:5432),
starts a redis-server of its own on a free loopback port, bulk-inserts ``--connectors``
connectors of the synthetic in-memory provider (``benchmarks/synthetic_provider.py``, no
cloud I/O), all due, and measures:

* **tick claim** — ``tick()`` over all of them with a publisher that drops the messages: claimed
  connectors per second and milliseconds per claimed connector (the SQL alone);
* **N = 1, 2, 4 workers** (``--workers``) — worker processes (``--pool solo``: one poll at a time
  each, so N is the parallelism) polling everything the real tick publishes to Redis: time
  until all are polled, polls/s, lateness (start minus scheduled time) p50/p95/max, and the CPU
  seconds used by the workers, by redis-server and by the PostgreSQL backends connected to
  our database, and all three per poll;
* **empty tick** — with ``--empty-connectors`` connectors none of which is due, the mean and
  max cost of a tick that claims nothing.

    PYTHONPATH=src python benchmarks/scale_out.py [--connectors 10000] [--workers 1,2,4]
        [--empty-connectors 100000] [--timeout 900]

Targets (issue 14): the tick claims >= 2,000 connectors/s; throughput grows with workers until
the two cores are full; an empty tick over 100,000 connectors costs < 50 ms. Evaluation of
each poll is queued but not consumed here (workers consume the polls queue only).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, func, insert, select, text, update
from sqlalchemy.engine import make_url
from tests.support.credentials import gcp_credentials

from cloudconnectors.composition import celery_app, tick_loop
from cloudconnectors.config import load_settings
from cloudconnectors.domain.runs import RunState
from cloudconnectors.providers.base import parse_credentials
from cloudconnectors.providers.gcp.credentials import GcpCredentials
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.queued_polls import tick
from cloudconnectors.storage.repositories.queue import QueuedRun
from cloudconnectors.storage.tables import (
    AssetRow,
    ConnectorRow,
    PollRunRow,
    RunResultRow,
    SnapshotRow,
    TenantRow,
)
from cloudconnectors.storage.tables.base import new_id, utcnow

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.db_name = f"cc_bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.db_name}"'))
        self.db_url = make_url(args.pg).set(database=self.db_name).render_as_string(
            hide_password=False)
        self.redis_port = free_port()
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed"
        self.redis = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "",
             "--appendonly", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.prefix = f"cc-bench-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            "CLOUDCONNECTORS_DATA_DIR": str(workdir / "data"),
            "CLOUDCONNECTORS_DATABASE_URL": self.db_url,
            "CLOUDCONNECTORS_SECRET_KEY": "benchmark-secret-key-not-for-production",
            "CLOUDCONNECTORS_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CLOUDCONNECTORS_QUEUE_PREFIX": self.prefix,
            "CLOUDCONNECTORS_SCHEDULER_TICK_SECONDS": "0.5",
        }
        saved = dict(os.environ)
        os.environ.update(self.env)
        try:
            self.ctx = AppContext.create(load_settings())
        finally:
            os.environ.clear()
            os.environ.update(saved)
        self.workers: list[subprocess.Popen[bytes]] = []

    # -- data ------------------------------------------------------------------------------

    def insert_connectors(self, count: int, *, due: bool) -> None:
        credentials = parse_credentials(GcpCredentials, gcp_credentials("bench-project"),
                                        self.ctx.settings)
        public = credentials.public_view()
        material = credentials.secret_material()
        now = utcnow()
        when = now - timedelta(seconds=1) if due else now + timedelta(hours=4)
        with self.ctx.db.write() as session:
            tenant = session.scalar(select(TenantRow.id).limit(1))
            if tenant is None:
                tenant = new_id()
                session.execute(insert(TenantRow), [{"id": tenant, "name": "bench"}])
        rows: list[dict[str, Any]] = []
        for i in range(count):
            connector_id = new_id()
            rows.append({
                "id": connector_id, "tenant_id": tenant, "name": f"c-{uuid.uuid4().hex[:12]}-{i}",
                "provider": "gcp", "run_frequency_minutes": 240, "status": "pending",
                "credentials_public": public,
                "credentials_sealed": self.ctx.secrets.seal(material, bound_to=connector_id),
                "created_at": now, "updated_at": now, "next_run_at": when,
            })
        for start in range(0, count, 2000):
            with self.ctx.db.write() as session:
                session.execute(insert(ConnectorRow), rows[start:start + 2000])

    def reset(self) -> None:
        """Every connector due again, no runs, no snapshots: the same start for each round."""
        with self.ctx.db.write() as session:
            session.execute(update(ConnectorRow).values(
                current_snapshot_id=None, status="pending", discovery=None,
                lease_owner=None, lease_expires_at=None, refresh_requested_at=None,
                next_run_at=utcnow() - timedelta(seconds=1)))
            for table in (AssetRow, SnapshotRow, RunResultRow, PollRunRow):
                session.execute(delete(table))
        with self.ctx.db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        client = __import__("redis").Redis(port=self.redis_port)
        client.flushall()
        client.close()

    # -- measurements ----------------------------------------------------------------------

    def tick_claim(self) -> dict[str, float]:
        dropped: list[int] = []

        def drop(runs: Sequence[QueuedRun]) -> None:
            dropped.append(len(runs))

        with self.ctx.db.read() as session:  # open the pooled connection before measuring
            session.execute(text("SELECT 1"))
        pg_before = self.backend_cpu()
        cpu_before = time.process_time()
        started = time.perf_counter()
        result = tick(self.ctx, drop)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_before + sum(
            c - pg_before.get(pid, 0.0) for pid, c in self.backend_cpu().items())
        return {"claimed": result.claimed, "seconds": seconds, "cpu": cpu,
                "per_s": result.claimed / seconds, "ms_each": 1000 * seconds / result.claimed,
                "per_cpu_s": result.claimed / cpu if cpu else float("inf")}

    def empty_tick(self, rounds: int = 20) -> dict[str, float]:
        costs = []
        for _ in range(rounds):
            started = time.perf_counter()
            result = tick(self.ctx, lambda runs: None)
            costs.append(1000 * (time.perf_counter() - started))
            assert result.claimed == 0
        return {"mean_ms": statistics.mean(costs), "max_ms": max(costs)}

    def start_workers(self, n: int) -> None:
        for i in range(n):
            log = (self.workdir / f"worker-{n}-{i}.log").open("w")
            self.workers.append(subprocess.Popen(
                [sys.executable, str(ROOT / "benchmarks" / "synthetic_provider.py"),
                 "--pool", "solo", "--name", f"bench{i}@%h", "-Q", f"{self.prefix}.polls",
                 "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT))
        app = celery_app(self.ctx.settings)
        deadline = time.monotonic() + 120
        while len(app.control.ping(timeout=0.5) or []) < n:
            assert time.monotonic() < deadline, "workers did not start"

    def stop_workers(self) -> None:
        for process in self.workers:
            process.send_signal(signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.workers.clear()

    def backend_cpu(self) -> dict[int, float]:
        with self.admin.connect() as conn:
            pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                {"d": self.db_name}).scalars().all()
        return {int(pid): cpu_seconds(int(pid)) for pid in pids}

    def round(self, n: int, total: int) -> dict[str, float]:
        self.reset()
        self.start_workers(n)
        redis_before = cpu_seconds(self.redis.pid)
        pg_before = self.backend_cpu()
        workers_before = sum(cpu_seconds(w.pid) for w in self.workers)
        loop = tick_loop(self.ctx)
        started = time.perf_counter()
        loop.start()
        done_query = select(func.count()).select_from(PollRunRow).where(
            PollRunRow.state == RunState.SUCCEEDED.value)
        deadline = time.monotonic() + self.args.timeout
        done = 0
        while done < total:
            assert time.monotonic() < deadline, f"only {done}/{total} polled in time"
            time.sleep(0.25)
            with self.ctx.db.read() as session:
                done = int(session.scalar(done_query) or 0)
        seconds = time.perf_counter() - started
        workers_cpu = sum(cpu_seconds(w.pid) for w in self.workers) - workers_before
        loop.stop()
        pg_after = self.backend_cpu()
        redis_cpu = cpu_seconds(self.redis.pid) - redis_before
        pg_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
        self.stop_workers()
        with self.ctx.db.read() as session:
            rows = session.execute(select(PollRunRow.started_at, PollRunRow.scheduled_for)
                                   .where(PollRunRow.scheduled_for.is_not(None))).all()
        late = sorted((s - q).total_seconds() for s, q in rows)
        return {"workers": n, "seconds": seconds, "polls_per_s": total / seconds,
                "late_p50": late[len(late) // 2], "late_p95": late[int(len(late) * 0.95)],
                "late_max": late[-1], "redis_cpu": redis_cpu, "pg_cpu": pg_cpu,
                "workers_cpu": workers_cpu,
                "ms_cpu_each": 1000 * (workers_cpu + pg_cpu + redis_cpu) / total}

    def close(self) -> None:
        self.stop_workers()
        self.ctx.close()
        self.redis.terminate()
        self.redis.wait(10)
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
        self.admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connectors", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts")
    parser.add_argument("--empty-connectors", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per round")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",") if n]
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="cc-scale-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        try:
            bench.insert_connectors(args.connectors, due=True)
            claim = bench.tick_claim()
            print(f"tick claim: {claim['claimed']} connectors in {claim['seconds']:.2f} s = "
                  f"{claim['per_s']:,.0f}/s, {claim['ms_each']:.3f} ms each; "
                  f"{claim['cpu']:.2f} s CPU (ticker + PostgreSQL) = "
                  f"{claim['per_cpu_s']:,.0f} per CPU second")
            print(f"\n{args.connectors} connectors, synthetic provider, Redis broker, PostgreSQL")
            print("| workers | all polled (s) | polls/s | lateness p50 / p95 / max (s) "
                  "| workers CPU (s) | redis CPU (s) | PostgreSQL CPU (s) | CPU ms per poll |")
            print("|---|---|---|---|---|---|---|---|")
            for n in counts:
                r = bench.round(n, args.connectors)
                print(f"| {n} | {r['seconds']:.1f} | {r['polls_per_s']:.0f} | "
                      f"{r['late_p50']:.1f} / {r['late_p95']:.1f} / {r['late_max']:.1f} | "
                      f"{r['workers_cpu']:.1f} | {r['redis_cpu']:.1f} | {r['pg_cpu']:.1f} | "
                      f"{r['ms_cpu_each']:.1f} |", flush=True)
            # Nothing due: every connector polled and rescheduled, plus more not due at all.
            bench.insert_connectors(max(0, args.empty_connectors - args.connectors), due=False)
            with bench.ctx.db.write() as session:
                session.execute(update(ConnectorRow).values(
                    next_run_at=utcnow() + timedelta(hours=4)))
            with bench.ctx.db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
            empty = bench.empty_tick()
            total = max(args.empty_connectors, args.connectors)
            print(f"\nempty tick over {total:,} connectors: mean {empty['mean_ms']:.1f} ms, "
                  f"max {empty['max_ms']:.1f} ms")
            print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        finally:
            bench.close()


if __name__ == "__main__":
    main()
