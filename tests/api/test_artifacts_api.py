"""Setup files as downloads, against moto: account, External ID, tenancy, CloudFormation."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.providers.aws.artifacts import (
    ArtifactKind,
    custom_policy,
    eks_fargate_policy,
)
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from tests.support.aws_seed import account_session
from tests.support.credentials import aws_credentials, azure_credentials
from tests.support.moto_server import MOTO_ACCOUNT
from tests.support.people import Person, make_person, principal_of

API = "/api/v1"
CUSTOMER = "444455556666"  # the customer account the CloudFormation stack is created in


def _issue(client: TestClient, admin: Person) -> str:
    answer = client.post(f"{API}/providers/aws/external-ids", headers=admin.headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["external_id"])


def _download(client: TestClient, person: Person, path: str, **params: str) -> dict[str, object]:
    answer = client.get(f"{API}{path}", headers=person.headers, params=params or None)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    kind = path.rsplit("/", 1)[1]
    assert answer.headers["content-disposition"] == (
        f"attachment; filename=cloudconnectors-{kind}.json")
    document: dict[str, object] = json.loads(answer.text)
    return document


@pytest.mark.usefixtures("aws_platform")
def test_each_file_is_filled_with_account_and_external_id(
    client: TestClient, admin: Person, viewer: Person
) -> None:
    external_id = _issue(client, admin)
    for person in (admin, viewer):  # reading a setup file is not a write
        trust = _download(client, person, "/providers/aws/artifacts/trust-policy",
                          external_id=external_id)
        [statement] = trust["Statement"]  # type: ignore[misc]
        assert statement["Principal"] == {"AWS": f"arn:aws:iam::{MOTO_ACCOUNT}:root"}
        assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": external_id}}
        template = _download(client, person, "/providers/aws/artifacts/cloudformation",
                             external_id=external_id)
        role = template["Resources"]["CloudConnectorsRole"]["Properties"]  # type: ignore[index]
        assert role["AssumeRolePolicyDocument"] == trust
        assert "Parameters" not in template
    # The permission policies name no External ID, so none is needed.
    assert _download(client, viewer, "/providers/aws/artifacts/custom-policy") == custom_policy()
    assert _download(client, viewer, "/providers/aws/artifacts/eks-policy") == (
        eks_fargate_policy())


@pytest.mark.usefixtures("aws_platform")
def test_external_id_must_be_the_tenants_own(
    ctx: AppContext, client: TestClient, admin: Person
) -> None:
    other = make_person(ctx, tenant="other-co", role="admin")
    theirs = _issue(client, other)
    for kind in ("trust-policy", "cloudformation", "custom-policy"):
        for value in (theirs, "cc-never-issued", "x" * 65, "bad\x00id"):
            answer = client.get(f"{API}/providers/aws/artifacts/{kind}", headers=admin.headers,
                                params={"external_id": value})
            assert answer.status_code == 422, (kind, value, answer.text)
            assert answer.json()["errors"][0]["field"] == "external_id"
            assert theirs not in answer.text
    missing = client.get(f"{API}/providers/aws/artifacts/trust-policy", headers=admin.headers)
    assert missing.status_code == 422
    assert missing.json()["detail"] == "external_id: is required"
    unknown_kind = client.get(f"{API}/providers/aws/artifacts/root-keys", headers=admin.headers)
    assert unknown_kind.status_code == 422
    assert unknown_kind.json()["errors"][0]["field"] == "kind"
    assert client.get(f"{API}/providers/aws/artifacts/custom-policy").status_code == 401


@pytest.mark.usefixtures("aws_platform")
def test_connector_artifacts_use_its_own_external_id(
    ctx: AppContext, client: TestClient, admin: Person, viewer: Person
) -> None:
    external_id = _issue(client, admin)
    created = client.post(f"{API}/connectors", headers=admin.headers, json={
        "name": "prod", "provider": "aws", "credentials": aws_credentials(external_id)})
    assert created.status_code == 201, created.text
    connector_id = created.json()["id"]
    base = f"/connectors/{connector_id}/artifacts"
    trust = _download(client, viewer, f"{base}/trust-policy")
    assert json.dumps(trust).count(external_id) == 1
    # A claimed External ID still downloads through the setup route (same tenant).
    assert _download(client, viewer, "/providers/aws/artifacts/trust-policy",
                     external_id=external_id) == trust
    for kind in ArtifactKind:
        _download(client, viewer, f"{base}/{kind.value}")

    azure = client.post(f"{API}/connectors", headers=admin.headers, json={
        "name": "az", "provider": "azure", "credentials": azure_credentials()}).json()
    refused = client.get(f"{API}/connectors/{azure['id']}/artifacts/trust-policy",
                         headers=admin.headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "connector_id"
    outsider = make_person(ctx, tenant="other-co", role="admin")
    hidden = client.get(f"{API}{base}/trust-policy", headers=outsider.headers)
    assert hidden.status_code == 404 and external_id not in hidden.text


@pytest.mark.usefixtures("no_aws_credentials")
def test_policies_need_no_platform_credentials_but_trust_does(
    client: TestClient, admin: Person
) -> None:
    assert client.get(f"{API}/providers/aws/artifacts/custom-policy",
                      headers=admin.headers).status_code == 200
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    external_id = issue_external_id(ctx, principal_of(ctx, admin))
    answer = client.get(f"{API}/providers/aws/artifacts/trust-policy", headers=admin.headers,
                        params={"external_id": external_id})
    assert answer.status_code == 503
    assert "AWS_ACCESS_KEY_ID" in answer.json()["detail"]


def test_cloudformation_file_creates_the_role_in_moto(
    client: TestClient, admin: Person, aws_platform: str
) -> None:
    external_id = _issue(client, admin)
    template = _download(client, admin, "/providers/aws/artifacts/cloudformation",
                         external_id=external_id)
    customer = account_session(aws_platform, CUSTOMER)
    cfn = customer.client("cloudformation", endpoint_url=aws_platform)
    cfn.create_stack(StackName="cloudconnectors-role", TemplateBody=json.dumps(template),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    stack = cfn.describe_stacks(StackName="cloudconnectors-role")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    assert outputs["RoleArn"] == f"arn:aws:iam::{CUSTOMER}:role/CloudConnectors"
    iam = customer.client("iam", endpoint_url=aws_platform)
    role = iam.get_role(RoleName="CloudConnectors")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    [statement] = trust["Statement"]
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{MOTO_ACCOUNT}:root"}
    assert statement["Condition"]["StringEquals"]["sts:ExternalId"] == external_id
    # moto's CloudFormation does not attach ManagedPolicyArns; the inline policies it makes.
    assert sorted(iam.list_role_policies(RoleName="CloudConnectors")["PolicyNames"]) == [
        "CloudConnectorsEksFargate", "CloudConnectorsReadOnly"]
