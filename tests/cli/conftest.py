"""Run the CLI against the test database: in-process (CliRunner) or as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cloudconnectors.cli.main import cli
from cloudconnectors.services.context import AppContext
from tests.conftest import TEST_SECRET_KEY
from tests.support.moto_server import AWS_TEST_ENV, MotoServer

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def last_line(self) -> str:
        return self.stdout.strip().splitlines()[-1]


Cli = Callable[..., Outcome]


@pytest.fixture
def cli_env(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "CLOUDCONNECTORS_DATA_DIR": str(ctx.settings.data_dir),
        "CLOUDCONNECTORS_DATABASE_URL": ctx.settings.database_url,
        "CLOUDCONNECTORS_SECRET_KEY": TEST_SECRET_KEY,
        # No platform AWS identity unless a test gives one: fail fast, never reach AWS.
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_EC2_METADATA_DISABLED": "true",
    }
    monkeypatch.delenv("CLOUDCONNECTORS_TENANT", raising=False)
    return env


@pytest.fixture
def platform_env(moto_server: MotoServer) -> dict[str, str]:
    """The platform's own AWS identity (moto's default account), for ``env=`` of one call:
    issuing an External ID needs the account the role will trust."""
    return {**AWS_TEST_ENV, "AWS_ENDPOINT_URL": moto_server.url}


@pytest.fixture
def run(cli_env: dict[str, str]) -> Cli:
    """``run("connectors", "list", input=...)`` through click's CliRunner."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None
               ) -> Outcome:
        result = CliRunner().invoke(cli, list(args), input=input, env={**cli_env, **(env or {})},
                                    catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def run_process(cli_env: dict[str, str]) -> Cli:
    """``python -m cloudconnectors ...`` as a real subprocess."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None
               ) -> Outcome:
        full_env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC), **(env or {})}
        done = subprocess.run([sys.executable, "-m", "cloudconnectors", *args], input=input,
                              capture_output=True, text=True, env=full_env, timeout=120,
                              check=False)
        return Outcome(done.returncode, done.stdout, done.stderr)

    return invoke
