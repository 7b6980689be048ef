"""``cloudconnectors serve`` answers the API in a real process, then stops on SIGTERM."""

from __future__ import annotations

import httpx

from tests.cli.conftest import Cli
from tests.cli.servers import serve_process


def test_serve_runs_the_api(cli_env: dict[str, str], run: Cli) -> None:
    token = run("users", "create", "a@example.com", "--tenant", "acme", "--role",
                "admin").last_line
    with serve_process(cli_env) as base:
        me = httpx.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["email"] == "a@example.com"
        assert httpx.get(base + "/openapi.json").json()["info"]["title"] == "Cloud Connectors"
