"""Brokers for the scale-out tests: the machine's Redis and RabbitMQ, namespaced per test
session, and a Redis and a PostgreSQL of our own (for restarting them) on free ports."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.support.moto_server import free_port

MACHINE_REDIS = "redis://127.0.0.1:6379/11"
MACHINE_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


class OwnRedis:
    """A redis-server we start, stop and start again; never the machine's 6379."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (.ci/run installs it)"
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "our redis-server did not start"
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class OwnPostgres:
    """A PostgreSQL cluster we initialise, start, crash and start again on a free port; never
    the machine's 5432. As root (CI), its files and server belong to the ``postgres`` user."""

    def __init__(self) -> None:
        self.port = free_port()
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                check=True).stdout.strip()
        self.pg_ctl = os.path.join(bindir, "pg_ctl")
        self.workdir = Path(tempfile.mkdtemp(prefix="cc-own-pg-"))
        self.data = self.workdir / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run(os.path.join(bindir, "initdb"), "-D", str(self.data), "-U", "postgres",
                  "-A", "trust", "--no-sync", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as, *command], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.workdir} -c max_connections=100")
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l",
                  str(self.workdir / "server.log"), "-w", "-t", "60", "start")

    def crash(self) -> None:
        """Stop as a crash would (``immediate``: no checkpoint, recovery on the next start)."""
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        subprocess.run([*self._as, self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w",
                        "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    server.start()
    try:
        yield server
    finally:
        server.stop()
