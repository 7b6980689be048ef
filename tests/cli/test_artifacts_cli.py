"""``cloudconnectors connectors artifacts``: an AWS connector's setup files, printed or saved."""

from __future__ import annotations

import json
from pathlib import Path

from cloudconnectors.providers.aws.artifacts import custom_policy
from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from tests.cli.conftest import Cli
from tests.support.aws_seed import PLATFORM_ENV
from tests.support.credentials import aws_credentials, azure_credentials
from tests.support.moto_server import MOTO_ACCOUNT, MotoServer
from tests.support.people import make_person, principal_of


def test_prints_and_saves_each_file(ctx: AppContext, run: Cli, moto_server: MotoServer,
                                    tmp_path: Path) -> None:
    principal = principal_of(ctx, make_person(ctx, tenant="acme", role="admin"))
    external_id = issue_external_id(ctx, principal)
    create_connector(ctx, principal, name="prod", provider="aws",
                     credentials=aws_credentials(external_id))
    create_connector(ctx, principal, name="az", provider="azure",
                     credentials=azure_credentials())
    env = {**PLATFORM_ENV, "AWS_ENDPOINT_URL": moto_server.url}

    trust = run("connectors", "artifacts", "prod", "--kind", "trust-policy", env=env)
    assert trust.code == 0, trust.stderr
    [statement] = json.loads(trust.stdout)["Statement"]
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{MOTO_ACCOUNT}:root"}
    assert statement["Condition"]["StringEquals"]["sts:ExternalId"] == external_id

    target = tmp_path / "stack.json"
    saved = run("connectors", "artifacts", "prod", "--kind", "cloudformation", "-o",
                str(target), env=env)
    assert saved.code == 0, saved.stderr
    assert saved.stdout == "" and str(target) in saved.stderr
    template = json.loads(target.read_text())
    assert template["Resources"]["CloudConnectorsRole"]["Type"] == "AWS::IAM::Role"

    # The permission policies need no platform identity at all (cli_env has none).
    policy = run("connectors", "artifacts", "prod", "--kind", "custom-policy")
    assert policy.code == 0 and json.loads(policy.stdout) == custom_policy()

    azure = run("connectors", "artifacts", "az", "--kind", "custom-policy")
    assert azure.code == 1
    assert azure.stderr.startswith("error: connector_id: must name an AWS connector")
    bad_kind = run("connectors", "artifacts", "prod", "--kind", "root-keys")
    assert bad_kind.code == 2 and "--kind" in bad_kind.stderr
