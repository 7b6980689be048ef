"""Setup artifacts: valid JSON, the right account and External ID, no drift from collectors."""

from __future__ import annotations

import json

from cloudconnectors.providers.aws.artifacts import (
    SECURITY_AUDIT_ARN,
    ArtifactKind,
    cloudformation_template,
    custom_policy,
    custom_policy_services,
    eks_fargate_policy,
    member_stackset_template,
    organization_policy,
    render,
    trust_policy,
)
from cloudconnectors.providers.aws.declarations import Group
from cloudconnectors.providers.aws.resources import RESOURCES

PLATFORM = "123456789012"
EXTERNAL_ID = "cc-ext-abc123"


def _actions(policy: dict[str, object]) -> set[str]:
    statements = json.loads(json.dumps(policy))["Statement"]
    return {a for s in statements for a in s["Action"]}


def test_trust_policy_names_platform_and_external_id() -> None:
    policy = json.loads(json.dumps(trust_policy(PLATFORM, EXTERNAL_ID)))
    [statement] = policy["Statement"]
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{PLATFORM}:root"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}}


def test_custom_policy_is_exactly_what_custom_collectors_call() -> None:
    called = {a for r in RESOURCES if r.group is Group.CUSTOM for a in r.actions()}
    assert _actions(custom_policy()) == called
    prefixes = {a.split(":")[0] for a in called}
    # DESIGN section 2: EFS, Step Functions, QLDB, Lambda, MSK, API Gateway, AWS Backup, WAF,
    # EBS, EMR, Glue, GuardDuty, CodeBuild, Directory Service.
    assert prefixes >= {"elasticfilesystem", "states", "qldb", "lambda", "kafka", "apigateway",
                        "backup", "wafv2", "ec2", "elasticmapreduce", "glue", "guardduty",
                        "codebuild", "ds"}
    assert all(a.split(":")[1].startswith(("List", "Describe", "Get", "BatchGet", "GET"))
               for a in called)


def test_eks_fargate_policy() -> None:
    assert {"eks:ListFargateProfiles", "eks:DescribeFargateProfile"} <= _actions(
        eks_fargate_policy())


def test_cloudformation_template_creates_the_role() -> None:
    template = json.loads(json.dumps(cloudformation_template(PLATFORM, EXTERNAL_ID)))
    role = template["Resources"]["CloudConnectorsRole"]
    assert role["Type"] == "AWS::IAM::Role"
    props = role["Properties"]
    assert props["AssumeRolePolicyDocument"] == trust_policy(PLATFORM, EXTERNAL_ID)
    assert props["ManagedPolicyArns"] == [SECURITY_AUDIT_ARN]
    inline = {p["PolicyName"]: p["PolicyDocument"] for p in props["Policies"]}
    assert inline["CloudConnectorsReadOnly"] == custom_policy()
    assert inline["CloudConnectorsEksFargate"] == eks_fargate_policy()
    assert template["Outputs"]["RoleArn"]["Value"] == {"Fn::GetAtt": ["CloudConnectorsRole",
                                                                      "Arn"]}


def test_every_custom_policy_service_has_a_name() -> None:
    names = custom_policy_services()
    assert all(" " in name for name in names), names  # an IAM prefix means a missing name
    assert {"Amazon EFS", "AWS Lambda", "Amazon EBS", "AWS Directory Service"} <= set(names)


def test_template_without_external_id_takes_it_as_a_parameter() -> None:
    template = cloudformation_template(PLATFORM)
    assert set(template["Parameters"]) == {"ExternalId", "RoleName"}
    props = template["Resources"]["CloudConnectorsRole"]["Properties"]
    assert props["RoleName"] == {"Ref": "RoleName"}
    condition = props["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
    assert condition == {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}}


def test_render_each_kind() -> None:
    for kind in ArtifactKind:
        document = render(kind, PLATFORM, EXTERNAL_ID)
        assert json.loads(json.dumps(document)) == document
        assert kind.filename == f"cloudconnectors-{kind.value}.json"
        assert (EXTERNAL_ID in json.dumps(document)) is kind.needs_external_id


def test_member_stackset_deploys_the_named_member_role_with_the_external_id() -> None:
    template = member_stackset_template(PLATFORM, EXTERNAL_ID, "OrgReader")
    assert template["Parameters"]["MemberRoleName"]["Default"] == "OrgReader"
    props = template["Resources"]["CloudConnectorsRole"]["Properties"]
    assert props["RoleName"] == {"Ref": "MemberRoleName"}
    trust = props["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"AWS": f"arn:aws:iam::{PLATFORM}:root"}
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}}
    assert SECURITY_AUDIT_ARN in props["ManagedPolicyArns"]


def test_organization_policy_allows_the_walk() -> None:
    [statement] = organization_policy()["Statement"]
    assert {"organizations:ListAccounts", "organizations:ListChildren",
            "organizations:ListOrganizationalUnitsForParent", "organizations:ListRoots",
            "organizations:ListTagsForResource"} <= set(statement["Action"])
