"""Run moto in server mode as a child process on a free loopback port."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import TracebackType

PLATFORM_ACCOUNT_ID = "123456789012"  # moto's default account plays the platform
EMULATOR_KEY_ID = "testing"  # moto accepts any keys; these are its documented test values
EMULATOR_SECRET = "testing"
MOTO_ENV = {
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",  # SecurityAudit and friends exist
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",  # no ~1,300 public AMIs and their snapshots
}


class SandboxError(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def moto_available() -> bool:
    return importlib.util.find_spec("moto") is not None


class MotoSandbox:
    """``with MotoSandbox() as sandbox:`` gives ``sandbox.endpoint``; the child dies on exit."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.endpoint = f"http://{host}:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> MotoSandbox:
        if not moto_available():
            raise SandboxError(
                "the demo needs the AWS emulator: pip install 'cloudconnectors[demo]'"
            )
        env = {**os.environ, **MOTO_ENV}
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "moto.server", "-H", self.host, "-p", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                code = self._process.returncode
                raise SandboxError(f"the AWS emulator exited at start (code {code})")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):  # noqa: S310
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise SandboxError(f"the AWS emulator did not answer on {self.endpoint} in {timeout:.0f} s")

    def platform_environment(self) -> dict[str, str]:
        """The platform's own AWS identity: moto's test keys, every client pointed at moto."""
        return {
            "AWS_ACCESS_KEY_ID": EMULATOR_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": EMULATOR_SECRET,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
        }

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def __enter__(self) -> MotoSandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
