"""``cloudconnectors demo`` end to end: moto sandbox, seeded account, users, connectors, login."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3
import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from fastapi import FastAPI

from cloudconnectors.cli.demo import demo
from cloudconnectors.demo.runner import DemoOptions, run_demo
from cloudconnectors.demo.seed import CUSTOMER_ACCOUNT_ID, REGIONS
from tests.web.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]
FIRST_POLLS_TIMEOUT = 120  # seconds: a real poll of three regions of the sandbox


def _customer_session(endpoint: str) -> boto3.Session:
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{CUSTOMER_ACCOUNT_ID}:role/CloudConnectorsAudit",
                            RoleSessionName="check", ExternalId="any")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                         aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"], region_name="us-east-1")


def test_demo_seeds_signs_in_and_cleans_up(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION",
                "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN",
                "CLOUDCONNECTORS_AWS_REGIONS", "CLOUDCONNECTORS_GCP_TOKEN_URI",
                "CLOUDCONNECTORS_GCP_API_ENDPOINT", "CLOUDCONNECTORS_AZURE_AUTHORITY_HOST",
                "CLOUDCONNECTORS_AZURE_MANAGEMENT_ENDPOINT", "CLOUDCONNECTORS_AZURE_GRAPH_ENDPOINT",
                "CLOUDCONNECTORS_CA_BUNDLE"):
        # run_demo sets these; setenv first so monkeypatch restores the original afterwards.
        monkeypatch.setenv(key, "placeholder")
        monkeypatch.delenv(key)
    lines: list[str] = []
    seen: dict[str, object] = {}
    data_dir = tmp_path / "demo-data"

    def serve(app: FastAPI, options: DemoOptions) -> None:
        server = uvicorn.Server(uvicorn.Config(app, host=options.host, port=options.port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        try:
            link = next(line.split(": ", 1)[1] for line in lines if "one-time link" in line)
            with httpx.Client(follow_redirects=True) as client:
                first = client.get(link)
                assert first.status_code == 200 and "Connectors" in first.text
                seen["connectors"] = _wait_for_first_polls(client, options.port)
                seen["evaluated"] = _evaluated(data_dir, seen["connectors"])
                gcp_id = seen["connectors"]["gcp"]["id"]  # type: ignore[index]
                seen["gcp_checklist"] = client.get(
                    f"http://127.0.0.1:{options.port}/api/v1/connectors/{gcp_id}/diagnostics"
                ).json()["items"]
                seen["again"] = httpx.get(link, follow_redirects=False).status_code
            endpoint = next(line.rsplit(" ", 1)[1] for line in lines if "moto" in line)
            customer = _customer_session(endpoint)
            seen["instances"] = sum(
                len(r["Instances"])
                for region in REGIONS
                for r in customer.client("ec2", endpoint_url=endpoint, region_name=region)
                .describe_instances()["Reservations"])
            groups = customer.client("ec2", endpoint_url=endpoint).describe_security_groups()
            seen["ssh_open"] = any(
                p.get("FromPort") == 22 and any(r["CidrIp"] == "0.0.0.0/0" for r in p["IpRanges"])
                for g in groups["SecurityGroups"] for p in g["IpPermissions"])
            users = customer.client("iam", endpoint_url=endpoint).list_users()["Users"]
            seen["users"] = sorted(u["UserName"] for u in users)
            seen["cli"] = _cli_with_the_printed_exports(lines)
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    port = free_port()
    run_demo(DemoOptions(port=port, data_dir=data_dir), say=lines.append, serve=serve)

    connectors = seen["connectors"]
    assert isinstance(connectors, dict) and set(connectors) == {"aws", "gcp", "azure"}
    role_arn = connectors["aws"]["credentials"]["role_arn"]
    assert role_arn == f"arn:aws:iam::{CUSTOMER_ACCOUNT_ID}:role/CloudConnectorsAudit"
    # The real scheduler polled the sandbox through the real AWS provider.
    assert connectors["aws"]["status"] == "online", connectors["aws"]["last_error"]
    assert connectors["aws"]["discovery"] == "success"
    assert connectors["aws"]["last_error"] is None
    # The GCP connector polled the shipped stand-in's two projects through google-auth.
    assert connectors["gcp"]["status"] == "online", connectors["gcp"]["last_error"]
    assert connectors["gcp"]["discovery"] == "success"
    disabled = [i for i in seen["gcp_checklist"] if i["access"] == "missing"]  # type: ignore[union-attr]
    assert [i["key"] for i in disabled] == ["acme-data-demo:api:container.googleapis.com"]
    assert "gcloud services enable container.googleapis.com --project acme-data-demo" in (
        disabled[0]["fix"])
    # ... and the Azure stand-in (HTTPS, CA made at start) through the real Azure provider.
    assert connectors["azure"]["status"] == "online", connectors["azure"]["last_error"]
    assert connectors["azure"]["discovery"] == "success"
    # Each successful poll is evaluated into compliance reports (the post-poll step): CIS
    # AWS for the AWS connector, CIS GCP (with a score) for the GCP one.
    assert seen["evaluated"] is True
    assert seen["again"] == 403  # the sign-in link works once
    assert seen["instances"] == 4 and seen["ssh_open"] is True
    assert seen["users"] == ["alice", "build-bot"]
    names, issued = seen["cli"]  # type: ignore[misc]
    assert "acme-production (AWS)" in names and len(names) == 3
    assert "arn:aws:iam::123456789012:root" in issued  # the emulator plays the platform's AWS
    assert any(f"http://127.0.0.1:{port}/" in line for line in lines)
    assert (data_dir / "cloudconnectors.db").exists()  # --data-dir is kept


def _cli_with_the_printed_exports(lines: list[str]) -> tuple[list[str], str]:
    """Another shell's CLI, set up only by the ``export`` lines the demo printed: the
    connector names it lists and the account its External ID must trust."""
    exports: dict[str, str] = {}
    for line in lines:
        if line.strip().startswith("export "):
            exports.update(word.split("=", 1) for word in shlex.split(line.strip())[1:])
    shell = {**{k: v for k, v in os.environ.items()
                if not k.startswith(("AWS_", "CLOUDCONNECTORS_"))},
             **exports, "PYTHONPATH": str(ROOT / "src")}

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "cloudconnectors", *args], env=shell,
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    names = [c["name"] for c in json.loads(cli("connectors", "list", "--json"))["items"]]
    return names, cli("connectors", "external-id")


def _wait_for_first_polls(client: httpx.Client, port: int) -> dict[str, dict[str, object]]:
    """The connectors by provider once every first poll finished (bounded wait)."""
    deadline = time.monotonic() + FIRST_POLLS_TIMEOUT
    while True:
        listed = client.get(f"http://127.0.0.1:{port}/api/v1/connectors").json()
        found = {c["provider"]: c for c in listed["items"]}
        if all(c["status"] in ("online", "offline") for c in found.values()):
            return found
        if time.monotonic() > deadline:
            states = {p: c["status"] for p, c in found.items()}
            raise AssertionError(f"first polls not finished in {FIRST_POLLS_TIMEOUT} s: {states}")
        time.sleep(0.5)


def _evaluated(data_dir: Path, connectors: dict[str, dict[str, object]]) -> bool:
    """Whether the AWS, GCP and Azure connectors' polls were evaluated into their CIS reports with
    a score (read from the demo's own database)."""
    from cloudconnectors.domain.errors import NotFound
    from cloudconnectors.services.reports import get_report
    from cloudconnectors.storage.db import Database
    from cloudconnectors.storage.tables import ConnectorRow

    db = Database(f"sqlite:///{data_dir / 'cloudconnectors.db'}")
    scored = []
    try:
        for provider, framework in (("aws", "cis_aws_3_0_0"), ("gcp", "cis_gcp_4_0_0"),
                                    ("azure", "cis_azure_5_0_0")):
            with db.read() as session:
                row = session.get(ConnectorRow, connectors[provider]["id"])
                assert row is not None
                tenant_id = row.tenant_id
            deadline = time.monotonic() + 30  # the hook runs just after the poll's last write
            while True:
                try:
                    report = get_report(db, tenant_id, str(connectors[provider]["id"]),
                                        framework)
                    scored.append(report.score is not None and bool(report.controls))
                    break
                except NotFound:  # not evaluated yet
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
    finally:
        db.dispose()
    return all(scored)


def test_demo_is_a_command_of_the_cli() -> None:
    from cloudconnectors.cli.main import cli

    result = CliRunner().invoke(cli, ["demo", "--help"])
    assert result.exit_code == 0
    assert "--data-dir" in result.output


def test_demo_refuses_a_busy_port_in_one_line() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(demo, ["--port", str(port)])
    assert result.exit_code != 0
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_normal_server_never_imports_the_demo() -> None:
    code = ("import sys; from cloudconnectors.composition import create_app; "
            "import cloudconnectors.web; "
            "assert not [m for m in sys.modules if m.startswith('cloudconnectors.demo')], "
            "'demo imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
