"""The command group itself: help, version, unknown commands, unexpected failures."""

from __future__ import annotations

from tests.cli.conftest import Cli


def test_bare_group_prints_help(run: Cli) -> None:
    done = run()
    assert done.code == 0 and "connectors" in done.stdout and "users" in done.stdout
    sub = run("connectors")
    assert sub.code == 0 and "refresh" in sub.stdout and done.stderr == ""


def test_unknown_command_is_one_line(run: Cli) -> None:
    done = run("launch")
    assert done.code == 2 and done.stderr == "error: No such command 'launch'. (see --help)\n"


def test_version(run: Cli) -> None:
    assert run("--version").stdout.startswith("cloudconnectors, version ")


def test_unreachable_database_is_one_line(run: Cli) -> None:
    done = run("users", "list", env={
        "CLOUDCONNECTORS_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"})
    assert done.code == 1
    assert done.stderr.startswith("error: database: ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
