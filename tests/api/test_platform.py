"""GET /platform, POST /providers/aws/external-ids, GET /me against moto in server mode."""

from __future__ import annotations

import json

import boto3
import pytest
from fastapi.testclient import TestClient

from cloudconnectors.providers.aws.artifacts import group_actions
from cloudconnectors.providers.aws.declarations import Group
from cloudconnectors.providers.aws.platform import platform_credentials_missing
from tests.support.credentials import aws_credentials
from tests.support.moto_server import MOTO_ACCOUNT
from tests.support.people import Person


@pytest.mark.usefixtures("aws_platform")
def test_platform_names_its_account_and_every_cloud_requirement(
    client: TestClient, viewer: Person
) -> None:
    answer = client.get("/api/v1/platform", headers=viewer.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["platform_account_id"] == MOTO_ACCOUNT
    aws = body["aws"]
    assert aws["platform_account_id"] == MOTO_ACCOUNT
    assert "arn:aws:iam::aws:policy/SecurityAudit" in aws["managed_policies"]
    assert {"eks:ListFargateProfiles", "eks:DescribeFargateProfile"} <= set(
        aws["required_actions"])
    assert "Amazon EFS" in aws["custom_policy_services"]
    actions = aws["custom_policy"]["Statement"][0]["Action"]
    # Generated from the declarations: exactly what the custom collectors call.
    assert actions == group_actions(Group.CUSTOM)
    assert "elasticfilesystem:DescribeFileSystems" in actions
    assert aws["eks_policy"]["Statement"][0]["Action"] == group_actions(Group.EKS_FARGATE)
    principal = aws["trust_policy"]["Statement"][0]["Principal"]["AWS"]
    assert principal == f"arn:aws:iam::{MOTO_ACCOUNT}:root"
    role = aws["cloudformation_template"]["Resources"]["CloudConnectorsRole"]["Properties"]
    assert role["ManagedPolicyArns"] == ["arn:aws:iam::aws:policy/SecurityAudit"]
    inline = {p["PolicyName"]: p["PolicyDocument"] for p in role["Policies"]}
    assert inline["CloudConnectorsReadOnly"] == aws["custom_policy"]
    assert inline["CloudConnectorsEksFargate"] == aws["eks_policy"]
    trust = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Condition"]["StringEquals"]["sts:ExternalId"] == {"Ref": "ExternalId"}
    assert "/api/v1/providers/aws/artifacts/custom-policy" in aws["artifacts"]
    assert {r["role"] for r in body["gcp"]["roles"]} == {"roles/viewer",
                                                       "roles/iam.securityReviewer"}
    assert len(body["gcp"]["apis"]) == 10
    assert {a["service"] for a in body["gcp"]["optional_apis"]} >= {"storage.googleapis.com",
                                                                  "iam.googleapis.com"}
    assert body["gcp"]["gcloud"][0].startswith("gcloud services enable compute.googleapis.com")
    assert any("--role=roles/viewer" in c for c in body["gcp"]["gcloud"])
    assert 'resource "google_project_service"' in body["gcp"]["terraform"]
    viewer = next(r for r in body["gcp"]["roles"] if r["role"] == "roles/viewer")
    assert "compute.instances.list" in viewer["permissions"]
    assert body["azure"]["role"] == "Reader"
    azure = body["azure"]
    assert "Microsoft.Compute/virtualMachines/read" in azure["minimal_permissions"]
    assert len(azure["minimal_permissions"]) == 6
    assert azure["commands"]["reader"] == (
        "az role assignment create --assignee <application-id> --role Reader "
        "--scope /subscriptions/<subscription-id>")
    assert azure["custom_role"]["Actions"] == azure["minimal_permissions"]
    assert "Microsoft.Authorization/roleAssignments@2022-04-01" in azure["bicep"]
    assert {"Directory.Read.All", "Policy.Read.All"} <= {
        p["permission"] for p in azure["graph_permissions"]}
    assert azure["commands"]["graph"][-1].startswith("az ad app permission admin-consent")


@pytest.mark.usefixtures("aws_platform")
def test_issue_external_id_then_create_aws_connector(client: TestClient, admin: Person) -> None:
    issued = client.post("/api/v1/providers/aws/external-ids", headers=admin.headers)
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["platform_account_id"] == MOTO_ACCOUNT
    assert len(body["external_id"]) >= 32
    condition = body["trust_policy"]["Statement"][0]["Condition"]["StringEquals"]
    assert condition == {"sts:ExternalId": body["external_id"]}
    second = client.post("/api/v1/providers/aws/external-ids", headers=admin.headers).json()
    assert second["external_id"] != body["external_id"]

    created = client.post("/api/v1/connectors", headers=admin.headers, json={
        "name": "prod-aws", "provider": "aws",
        "credentials": aws_credentials(body["external_id"])})
    assert created.status_code == 201, created.text
    assert created.json()["credentials"]["external_id"] == body["external_id"]


@pytest.mark.usefixtures("aws_platform")
def test_viewer_cannot_issue_external_id(client: TestClient, viewer: Person) -> None:
    answer = client.post("/api/v1/providers/aws/external-ids", headers=viewer.headers)
    assert answer.status_code == 403
    assert "admin" in answer.json()["detail"]


@pytest.mark.usefixtures("no_aws_credentials")
def test_platform_without_aws_credentials_still_guides_gcp_and_azure(
    client: TestClient, admin: Person
) -> None:
    answer = client.get("/api/v1/platform", headers=admin.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["platform_account_id"] is None
    aws = body["aws"]
    assert aws["available"] is False
    assert aws["unavailable_reason"] == platform_credentials_missing()
    assert "not found" in aws["unavailable_reason"] and "invalid" not in aws["unavailable_reason"]
    assert aws["trust_policy"] is None and aws["cloudformation_template"] is None
    # What does not depend on the platform's account is still there.
    assert "arn:aws:iam::aws:policy/SecurityAudit" in aws["managed_policies"]
    assert aws["custom_policy"]["Statement"][0]["Action"] == group_actions(Group.CUSTOM)
    assert len(body["gcp"]["apis"]) == 10 and body["azure"]["role"] == "Reader"

    refused = client.post("/api/v1/providers/aws/external-ids", headers=admin.headers)
    assert refused.status_code == 503, refused.text
    assert refused.json()["detail"] == platform_credentials_missing()


@pytest.mark.usefixtures("aws_platform")
def test_platform_with_aws_credentials_is_available(client: TestClient, viewer: Person) -> None:
    aws = client.get("/api/v1/platform", headers=viewer.headers).json()["aws"]
    assert aws["available"] is True and aws["unavailable_reason"] is None


def test_platform_needs_authentication(client: TestClient) -> None:
    assert client.get("/api/v1/platform").status_code == 401
    assert client.post("/api/v1/providers/aws/external-ids").status_code == 401


def test_me_names_email_tenant_and_role(client: TestClient, admin: Person,
                                        viewer: Person) -> None:
    for person in (admin, viewer):
        body = client.get("/api/v1/me", headers=person.headers).json()
        assert body["email"] == person.email
        assert body["role"] == person.role
        assert body["tenant"]["name"] == "acme" and body["tenant"]["id"]
    assert client.get("/api/v1/me").status_code == 401


def test_cloudformation_template_creates_the_role(client: TestClient, admin: Person,
                                                  aws_platform: str) -> None:
    body = client.get("/api/v1/platform", headers=admin.headers).json()
    issued = client.post("/api/v1/providers/aws/external-ids", headers=admin.headers).json()
    cfn = boto3.client("cloudformation", region_name="us-east-1", endpoint_url=aws_platform)
    cfn.create_stack(StackName="cc-role-test",
                     TemplateBody=json.dumps(body["aws"]["cloudformation_template"]),
                     Parameters=[{"ParameterKey": "ExternalId",
                                  "ParameterValue": issued["external_id"]},
                                 {"ParameterKey": "RoleName", "ParameterValue": "CcTestRole"}],
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=aws_platform)
    role = iam.get_role(RoleName="CcTestRole")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"] == (
        issued["external_id"])
    # moto's CloudFormation does not attach ManagedPolicyArns; the inline policy it does make.
    assert sorted(iam.list_role_policies(RoleName="CcTestRole")["PolicyNames"]) == [
        "CloudConnectorsEksFargate", "CloudConnectorsReadOnly"]
