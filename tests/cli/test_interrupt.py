"""Ctrl-C (SIGINT) ends ``demo`` with exit code 130 and one line, as the README promises.

click turns the ``KeyboardInterrupt`` into ``Abort``; the command group tells it from a refused
prompt (exit 1) by its cause. The same path runs when Ctrl-C lands while uvicorn serves (it
re-raises the signal after its clean shutdown); the interrupt here lands during set-up, which
keeps the test to seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import IO

from tests.cli.conftest import SRC
from tests.support.moto_server import free_port


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cloudconnectors", *args],
                            env={**env, "PYTHONPATH": str(SRC)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(stream: IO[str] | None, marker: str, within: float = 60) -> list[str]:
    assert stream is not None
    seen: list[str] = []
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return seen
    raise AssertionError(f"never printed {marker!r}: {seen}")


def _interrupt(process: subprocess.Popen[str]) -> str:
    try:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return stderr


def test_ctrl_c_on_the_demo_exits_130_and_cleans_up() -> None:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("AWS_", "CLOUDCONNECTORS_"))}
    process = _start(["demo", "--port", str(free_port())], clean)
    started = _wait_for(process.stdout, "AWS emulator (moto) listening on")
    endpoint = started[-1].split()[-1]
    stderr = _interrupt(process)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "error: interrupted"
    assert "aborted" not in stderr
    # The emulator child went with it.
    port = int(endpoint.rsplit(":", 1)[1])
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
