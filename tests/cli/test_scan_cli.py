"""``cloudconnectors scan`` end to end: real boto3 -> fault proxy -> moto, through the CLI."""

from __future__ import annotations

import json

import pytest

from cloudconnectors.services import polling
from cloudconnectors.services.connectors import create_connector, find_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.hooks import evaluate_after_poll
from tests.cli.conftest import Cli
from tests.support.aws_seed import PLATFORM_ENV, account_session, seed_account
from tests.support.credentials import aws_credentials
from tests.support.fault_proxy import DENIED, FaultProxy, Rule
from tests.support.moto_server import MOTO_ACCOUNT, MotoServer
from tests.support.people import make_person, principal_of

CUSTOMER = "555566667777"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def customer(moto_server: MotoServer) -> str:
    """A customer account with three instances, a bucket and a user in one region."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in PLATFORM_ENV.items():
            mp.setenv(name, value)
        seed_account(account_session(moto_server.url, CUSTOMER), moto_server.url, [REGION],
                     instances=3, buckets=1, users=1)
    return CUSTOMER


@pytest.fixture
def aws_env(fault_proxy: FaultProxy) -> dict[str, str]:
    """The platform's own credentials for moto, every AWS call through the fault proxy."""
    return {**PLATFORM_ENV, "AWS_ENDPOINT_URL": fault_proxy.url,
            "CLOUDCONNECTORS_AWS_REGIONS": REGION, "CLOUDCONNECTORS_AWS_MAX_ATTEMPTS": "2"}


def _aws_connector(ctx: AppContext, account: str, name: str = "prod") -> str:
    principal = principal_of(ctx, make_person(ctx, tenant="acme", role="admin"))
    external_id = issue_external_id(ctx, principal)
    connector = create_connector(ctx, principal, name=name, provider="aws",
                                 credentials=aws_credentials(external_id, account))
    return connector.id


def test_scan_polls_and_prints_the_summary(
    ctx: AppContext, run: Cli, customer: str, aws_env: dict[str, str]
) -> None:
    connector_id = _aws_connector(ctx, customer)
    done = run("scan", "prod", env=aws_env)
    assert done.code == 0, done.stderr
    assert evaluate_after_poll in polling.POST_POLL_HOOKS  # scan evaluates what it polls
    lines = done.stdout.splitlines()
    [row] = [line for line in lines if line.startswith(REGION)]
    assert row.split()[1:3] != ["0", "0"] and row.split()[2] == "3"  # 3 virtual machines
    assert "Collected, by region" in done.stdout
    assert lines[-1].startswith("prod: online, discovery success;") or any(
        line.startswith("prod: online, discovery success;") for line in lines)
    assert "(3 virtual machines) in 1 region(s)" in done.stdout
    # No terminal: plain progress lines on stderr.
    assert f"Discovered 1 region(s): {REGION}" in done.stderr
    assert f"{REGION}: done," in done.stderr and "global: done," in done.stderr

    principal = principal_of(ctx, make_person(ctx, tenant="acme", role="viewer"))
    after = find_connector(ctx, principal, connector_id)
    assert after.status.value == "online" and after.discovery is not None
    assert after.discovery.value == "success" and after.vm_count == 3
    assert after.public_credentials["external_id"] not in done.stdout + done.stderr

    as_json = run("scan", connector_id, "--json", env=aws_env)
    assert as_json.code == 0, as_json.stderr
    body = json.loads(as_json.stdout)
    assert body["status"] == "online" and body["discovery"] == "success"
    assert body["vm_count"] == 3 and body["regions"] == [REGION]
    [region] = [r for r in body["per_region"] if r["region"] == REGION]
    assert region["virtual_machines"] == 3 and region["collectors"]["ok"] > 10
    assert body["connector"]["name"] == "prod"
    assert as_json.stderr == ""


def test_scan_names_a_refused_permission_and_how_to_grant_it(
    ctx: AppContext, run: Cli, customer: str, aws_env: dict[str, str], fault_proxy: FaultProxy
) -> None:
    _aws_connector(ctx, customer, name="partly")
    # EFS file systems are read for the CIS rules and granted by the custom policy.
    fault_proxy.add(Rule(service="elasticfilesystem", path="/file-systems", fault=DENIED))
    done = run("scan", "partly", env=aws_env)
    assert done.code == 0, done.stderr
    assert "Not read fully" in done.stdout
    [denied] = [line for line in done.stdout.splitlines() if line.startswith("denied")]
    assert "elasticfilesystem:DescribeFileSystems" in denied and REGION in denied
    assert "Missing: Read-only policy" in done.stdout
    assert "--kind custom-policy" in done.stdout
    assert "partly: online, discovery success" in done.stdout


def test_scan_of_a_refused_role_exits_non_zero_with_the_fix(
    ctx: AppContext, run: Cli, aws_env: dict[str, str], fault_proxy: FaultProxy
) -> None:
    connector_id = _aws_connector(ctx, "666677778888", name="refused")
    arn = "arn:aws:iam::666677778888:role/CloudConnectors"
    fault_proxy.add(Rule(action="AssumeRole", fields={"RoleArn": arn}, fault=DENIED))
    done = run("scan", "refused", env=aws_env)
    assert done.code == 1
    assert "refused: offline" in done.stdout
    assert f"connectors artifacts {connector_id} --kind trust-policy" in done.stdout
    [error] = done.stderr.strip().splitlines()[-1:]
    assert error.startswith(f"error: sts:AssumeRole on {arn} was refused")
    assert f"platform account {MOTO_ACCOUNT}" in error and "trust policy" in error

    as_json = run("scan", connector_id, "--json", env=aws_env)
    assert as_json.code == 1
    assert json.loads(as_json.stdout)["status"] == "offline"
    assert as_json.stderr.startswith("error: sts:AssumeRole")


def test_scan_of_an_unknown_connector_is_one_line(run: Cli, ctx: AppContext) -> None:
    make_person(ctx, tenant="acme", role="admin")
    done = run("scan", "nope")
    assert done.code == 1
    assert done.stderr == "error: no connector with ID or name 'nope'\n"
