"""A real ``python -m cloudconnectors serve`` process on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.cli.conftest import SRC
from tests.support.moto_server import free_port


@contextmanager
def serve_process(env: dict[str, str], start_within: float = 30.0) -> Iterator[str]:
    """Start ``serve`` with ``env`` on top of ours; yield its base URL once /healthz answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cloudconnectors", "serve", "--port", str(port),
         "--log-level", "warning"],
        env={**os.environ, **env, "PYTHONPATH": str(SRC)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_within
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
