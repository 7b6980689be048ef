"""``cloudconnectors serve`` answers the API in a real process, then stops on SIGTERM."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from tests.cli.conftest import SRC, Cli
from tests.support.moto_server import free_port


def test_serve_runs_the_api(cli_env: dict[str, str], run: Cli) -> None:
    token = run("users", "create", "a@example.com", "--tenant", "acme", "--role",
                "admin").last_line
    port = free_port()
    env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen(
        [sys.executable, "-m", "cloudconnectors", "serve", "--port", str(port),
         "--log-level", "warning"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        me = httpx.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["email"] == "a@example.com"
        assert httpx.get(base + "/openapi.json").json()["info"]["title"] == "Cloud Connectors"
    finally:
        process.terminate()
        process.wait(timeout=20)
