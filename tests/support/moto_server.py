"""Run moto in server mode on loopback, in a subprocess, on a free port.

Real boto3 talks real HTTP to it; nothing in the production path is patched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

__all__ = ["AWS_TEST_ENV", "MOTO_ACCOUNT", "MotoServer", "free_port", "start_moto"]

MOTO_ENV = {
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",  # SecurityAudit and friends exist
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",  # keeps snapshot/image calls small
}


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class MotoServer:
    url: str
    process: subprocess.Popen[bytes]

    def reset(self) -> None:
        """Forget every account's state (rarely needed: tests use separate accounts)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_moto(host: str = "127.0.0.1", port: int | None = None,
               timeout: float = 30.0, env: dict[str, str] | None = None) -> MotoServer:
    """``env`` overrides :data:`MOTO_ENV` (a benchmark of many accounts skips loading IAM's
    managed policies into each)."""
    port = port or free_port(host)
    env = {**os.environ, **MOTO_ENV, **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://{host}:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return MotoServer(url, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"moto server did not answer on {url} within {timeout}s")


MOTO_ACCOUNT = "123456789012"  # moto's default account: the platform's own identity
AWS_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}

