"""The CLI answers at once: ``--help`` and the light commands import no cloud SDK, no
SQLAlchemy and no Alembic (each costs seconds on a busy machine); commands load on demand."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest

from cloudconnectors.cli.main import COMMANDS, cli, load_command
from tests.cli.conftest import SRC, Cli

CLOUD_SDKS = ("boto3", "botocore", "google", "azure", "msal", "moto")


def imported_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Top-level packages a real ``python -m cloudconnectors ARGS`` process imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cloudconnectors", *args],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, **(env or {}), "PYTHONPATH": str(SRC)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_help_imports_no_sdk_nor_database_stack(args: tuple[str, ...]) -> None:
    loaded = imported_by(*args)
    assert "click" in loaded  # the probe sees imports at all
    assert not loaded & {*CLOUD_SDKS, "sqlalchemy", "alembic", "fastapi", "uvicorn"}


def test_a_group_help_loads_only_its_own_commands() -> None:
    loaded = imported_by("connectors", "--help")
    assert not loaded & {*CLOUD_SDKS, "alembic", "fastapi", "uvicorn"}


@pytest.mark.usefixtures("ctx")
def test_connectors_list_needs_the_database_but_no_sdk_or_migrations(
        cli_env: dict[str, str], run: Cli) -> None:
    assert run("users", "create", "a@example.com", "--tenant", "acme", "--role",
               "admin").code == 0  # the database is at head now
    loaded = imported_by("connectors", "list", env=cli_env)
    assert "sqlalchemy" in loaded
    # Listing reads rows: no credential models (pydantic), no migrations, no SDK.
    assert not loaded & {*CLOUD_SDKS, "alembic", "fastapi", "pydantic"}


def test_the_artifact_kinds_offered_are_the_ones_that_exist() -> None:
    from cloudconnectors.cli.connectors import ARTIFACT_KINDS
    from cloudconnectors.providers.aws.artifacts import ArtifactKind

    assert tuple(kind.value for kind in ArtifactKind) == ARTIFACT_KINDS


def test_the_command_table_matches_the_commands() -> None:
    for name, (_, summary) in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
        assert first_paragraph == summary, name
    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == sorted(COMMANDS)
    text = cli.get_help(ctx)
    assert "Create and list users." in text and all(name in text for name in COMMANDS)
