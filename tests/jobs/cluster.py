"""A scale-out installation for tests: its own PostgreSQL database, a broker namespace of its
own (a queue prefix, which is also every Redis key's prefix and the control exchange), real
``cloudconnectors worker`` processes, and the tick running in the test process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from cloudconnectors.composition import celery_app, tick_loop
from cloudconnectors.config import load_settings
from cloudconnectors.scheduler.ticker import TickLoop
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import PollRunRow
from tests.conftest import TEST_SECRET_KEY
from tests.support.celery_worker import DELAY_ENV, LOG_ENV, SLOW_DELAY_ENV, SLOW_FILE_ENV

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("CLOUDCONNECTORS_TEST_DATABASE_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def wait_for(condition: Any, what: str, timeout: float = 240.0, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(every)


class PgDatabase:
    """A database of our own on the machine's PostgreSQL, dropped afterwards."""

    def __init__(self) -> None:
        self.name = f"cc_jobs_{uuid.uuid4().hex[:12]}"
        self._admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = make_url(PG_ADMIN).set(database=self.name).render_as_string(
            hide_password=False)

    def drop(self) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self._admin.dispose()


@dataclass
class Cluster:
    broker_url: str
    workdir: Path
    database_url: str
    asset_delay: float = 0.0
    republish_after: float = 30.0
    prefix: str = field(default_factory=lambda: f"cc-test-{uuid.uuid4().hex[:10]}")
    workers: dict[str, subprocess.Popen[str]] = field(default_factory=dict)
    ctx: AppContext | None = None
    ticker: TickLoop | None = None

    @property
    def log(self) -> Path:
        return self.workdir / "polls.log"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            "CLOUDCONNECTORS_DATA_DIR": str(self.workdir / "data"),
            "CLOUDCONNECTORS_DATABASE_URL": self.database_url,
            "CLOUDCONNECTORS_SECRET_KEY": TEST_SECRET_KEY,
            "CLOUDCONNECTORS_BROKER_URL": self.broker_url,
            "CLOUDCONNECTORS_QUEUE_PREFIX": self.prefix,
            # Long enough that a loaded machine never lets a live poll's lease lapse (which would
            # rightly count as a dead worker), short enough for the kill test to be quick.
            "CLOUDCONNECTORS_POLL_LEASE_SECONDS": "6",
            "CLOUDCONNECTORS_SCHEDULER_TICK_SECONDS": "0.2",
            "CLOUDCONNECTORS_REPUBLISH_AFTER_SECONDS": str(self.republish_after),
            LOG_ENV: str(self.log),
            DELAY_ENV: str(self.asset_delay),
            SLOW_FILE_ENV: str(self.workdir / "slow.txt"),
            SLOW_DELAY_ENV: "1.5",
        }

    def make_slow(self, connector_id: str) -> None:
        with (self.workdir / "slow.txt").open("a") as listed:
            listed.write(connector_id + "\n")

    def open(self) -> AppContext:
        saved = dict(os.environ)
        os.environ.update(self.env())
        try:
            self.ctx = AppContext.create(load_settings())
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return self.ctx

    def start_worker(self, name: str, *extra: str) -> subprocess.Popen[str]:
        out = (self.workdir / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.celery_worker", "--name", f"{name}@test",
             "--pool", "threads", "--concurrency", "2", "--without-gossip", "--without-mingle",
             *extra],
            env=self.env(), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
        self.workers[name] = process
        return process

    def wait_for_workers(self, *names: str) -> None:
        assert self.ctx is not None
        app = celery_app(self.ctx.settings)

        def answered() -> bool:
            for name, process in self.workers.items():
                assert process.poll() is None, self.worker_output(name)
            replies = app.control.ping(timeout=0.5) or []
            seen = {host for reply in replies for host in reply}
            return {f"{n}@test" for n in names} <= seen

        wait_for(answered, f"workers {names} to answer a ping", timeout=240)

    def start_ticking(self) -> TickLoop:
        assert self.ctx is not None
        self.ticker = tick_loop(self.ctx)
        self.ticker.start()
        return self.ticker

    def worker_output(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text()[-3000:]

    def kill(self, name: str) -> None:
        process = self.workers.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def poll_log(self) -> list[tuple[str, str, int]]:
        if not self.log.exists():
            return []
        lines = [line.split() for line in self.log.read_text().splitlines() if line]
        return [(kind, connector, int(pid)) for kind, connector, pid in lines]

    def starts(self) -> Counter[str]:
        return Counter(c for kind, c, _ in self.poll_log() if kind == "start")

    def runs(self) -> list[PollRunRow]:
        assert self.ctx is not None
        with self.ctx.db.read() as session:
            rows = list(session.scalars(select(PollRunRow)))
            session.expunge_all()
            return rows

    def close(self) -> None:
        if self.ticker is not None:
            self.ticker.stop()
        for process in self.workers.values():
            process.send_signal(signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self.workers.clear()
        if self.ctx is not None:
            self._forget_broker_state(self.ctx)
            self.ctx.close()

    def _forget_broker_state(self, ctx: AppContext) -> None:
        """Delete our queues (RabbitMQ) or our keys (Redis): the broker is shared."""
        try:
            if self.broker_url.startswith("redis"):
                client = redis.Redis.from_url(self.broker_url)
                for key in client.scan_iter(match=f"{self.prefix}:*"):
                    client.delete(key)
                client.close()
                return
            with celery_app(ctx.settings).connection_for_write() as connection:
                channel: Any = connection.default_channel
                for queue in (f"{self.prefix}.polls", f"{self.prefix}.evaluations"):
                    channel.queue_delete(queue=queue)
        except Exception as exc:  # cleanup must not hide the test's own outcome
            print(f"broker cleanup failed: {exc!r}", file=sys.stderr)
