"""The README's promise, end to end: ``serve`` + an AWS connector goes Online by itself.

A real ``python -m cloudconnectors serve`` process (portal, API, embedded scheduler) with a
temp data directory and the platform's AWS identity pointed at moto; a user made with the
CLI; the External ID and the connector created over HTTP, exactly as a client would; then
the embedded scheduler polls the seeded customer account and the connector turns online.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.cli.conftest import Cli
from tests.cli.servers import serve_process
from tests.support.aws_seed import PLATFORM_ENV, account_session, seed_account
from tests.support.moto_server import MOTO_ACCOUNT, MotoServer

CUSTOMER = "777788889999"
REGION = "us-east-1"
ONLINE_WITHIN = 60.0


@pytest.fixture
def server_env(cli_env: dict[str, str], moto_server: MotoServer) -> dict[str, str]:
    with pytest.MonkeyPatch.context() as mp:
        for name, value in PLATFORM_ENV.items():
            mp.setenv(name, value)
        seed_account(account_session(moto_server.url, CUSTOMER), moto_server.url, [REGION],
                     instances=2, buckets=1)
    return {**cli_env, **PLATFORM_ENV, "AWS_ENDPOINT_URL": moto_server.url,
            "CLOUDCONNECTORS_AWS_REGIONS": REGION}


@pytest.fixture
def server(server_env: dict[str, str]) -> Iterator[str]:
    with serve_process(server_env) as base:
        yield base


def test_aws_connector_goes_online_under_serve(
    run: Cli, server_env: dict[str, str], server: str
) -> None:
    token = run("users", "create", "ops@example.com", "--tenant", "acme", "--role", "admin",
                env=server_env).last_line
    api = httpx.Client(base_url=server + "/api/v1", timeout=30,
                       headers={"Authorization": f"Bearer {token}"})

    issued = api.post("/providers/aws/external-ids")
    assert issued.status_code == 201, issued.text
    assert issued.json()["platform_account_id"] == MOTO_ACCOUNT
    external_id = issued.json()["external_id"]
    trust = api.get("/providers/aws/artifacts/trust-policy", params={"external_id": external_id})
    assert trust.status_code == 200, trust.text
    assert "attachment" in trust.headers["content-disposition"]
    assert external_id in trust.text

    created = api.post("/connectors", json={
        "name": "prod", "provider": "aws", "run_frequency_minutes": 240,
        "credentials": {"role_arn": f"arn:aws:iam::{CUSTOMER}:role/CloudConnectors",
                        "external_id": external_id}})
    assert created.status_code == 201, created.text
    connector_id = created.json()["id"]
    assert created.json()["status"] == "pending"

    deadline = time.monotonic() + ONLINE_WITHIN
    while True:
        shown = api.get(f"/connectors/{connector_id}").json()
        if shown["status"] in ("online", "offline"):
            break
        assert time.monotonic() < deadline, f"still {shown['status']} after {ONLINE_WITHIN}s"
        time.sleep(0.5)
    assert shown["status"] == "online", shown["last_error"]
    assert shown["discovery"] == "success"
    assert shown["vm_count"] == 2 and shown["regions"] == [REGION]
    runs = api.get(f"/connectors/{connector_id}/runs").json()
    assert runs["items"][0]["trigger"] == "schedule"
