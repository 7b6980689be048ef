"""Setup artifacts a user pastes into AWS: trust policy, read-only policies, CloudFormation.

Pure functions. The permission policies are derived from the resource declarations, so the
role we ask for is exactly what the collectors call and the two cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from cloudconnectors.providers.aws.declarations import Group, ResourceType
from cloudconnectors.providers.aws.resources import RESOURCES

__all__ = [
    "MEMBER_ROLE_NAME",
    "ROLE_NAME",
    "SECURITY_AUDIT_ARN",
    "ArtifactKind",
    "cloudformation_template",
    "custom_policy",
    "custom_policy_services",
    "eks_fargate_policy",
    "group_actions",
    "group_policy",
    "member_stackset_template",
    "organization_policy",
    "render",
    "trust_policy",
]

SECURITY_AUDIT_ARN = "arn:aws:iam::aws:policy/SecurityAudit"
ROLE_NAME = "CloudConnectors"
_POLICY_VERSION = "2012-10-17"
# IAM prefix -> the service's name, for people reading the custom policy's scope. ``ec2``
# appears in the custom group only for EBS account settings.
_SERVICE_NAMES = {
    "elasticfilesystem": "Amazon EFS",
    "states": "AWS Step Functions",
    "qldb": "Amazon QLDB",
    "lambda": "AWS Lambda",
    "kafka": "Amazon MSK",
    "apigateway": "Amazon API Gateway",
    "backup": "AWS Backup",
    "wafv2": "AWS WAF",
    "ec2": "Amazon EBS",
    "elasticmapreduce": "Amazon EMR",
    "glue": "AWS Glue",
    "guardduty": "Amazon GuardDuty",
    "codebuild": "AWS CodeBuild",
    "ds": "AWS Directory Service",
}
_SIDS = {
    Group.SECURITY_AUDIT: "CloudConnectorsSecurityAuditReads",
    Group.EKS_FARGATE: "CloudConnectorsEksFargateReadOnly",
    Group.CUSTOM: "CloudConnectorsServicesReadOnly",
}


def group_actions(group: Group, resources: tuple[ResourceType, ...] = RESOURCES) -> list[str]:
    """Every IAM action the collectors of ``group`` call, sorted and unique."""
    return sorted({a for r in resources if r.group is group for a in r.actions()})


def group_policy(group: Group, actions: list[str] | None = None) -> dict[str, Any]:
    return {
        "Version": _POLICY_VERSION,
        "Statement": [{
            "Sid": _SIDS[group],
            "Effect": "Allow",
            "Action": actions if actions is not None else group_actions(group),
            "Resource": "*",
        }],
    }


def custom_policy() -> dict[str, Any]:
    """Read-only access to the services SecurityAudit does not fully cover."""
    return group_policy(Group.CUSTOM)


def custom_policy_services(resources: tuple[ResourceType, ...] = RESOURCES) -> list[str]:
    """The services the custom policy covers, named for people (the IAM prefix when a new
    service has no name in the table yet)."""
    prefixes = {a.split(":", 1)[0] for a in group_actions(Group.CUSTOM, resources)}
    return sorted({_SERVICE_NAMES.get(p, p) for p in prefixes})


def eks_fargate_policy() -> dict[str, Any]:
    return group_policy(Group.EKS_FARGATE)


def trust_policy(platform_account_id: str, external_id: str) -> dict[str, Any]:
    """Only the platform account may assume the role, and only with this connector's
    External ID (confused-deputy protection)."""
    return {
        "Version": _POLICY_VERSION,
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{platform_account_id}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
        }],
    }


def cloudformation_template(
    platform_account_id: str, external_id: str | None = None, role_name: str = ROLE_NAME
) -> dict[str, Any]:
    """A stack that creates the role with everything a poll needs; its output is the ARN
    to paste into the connector. Without ``external_id`` the template takes it (and the
    role name) as stack parameters, for a template shown before any ID is issued."""
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Read-only role for Cloud Connectors posture polling.",
    }
    trust = trust_policy(platform_account_id, external_id or "")
    name: Any = role_name
    if external_id is None:
        template["Parameters"] = {
            "ExternalId": {"Type": "String", "Description":
                           "The External ID issued by POST /api/v1/providers/aws/external-ids"},
            "RoleName": {"Type": "String", "Default": role_name},
        }
        trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"] = {
            "Ref": "ExternalId"}
        name = {"Ref": "RoleName"}
    return {
        **template,
        "Resources": {
            "CloudConnectorsRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": name,
                    "AssumeRolePolicyDocument": trust,
                    "ManagedPolicyArns": [SECURITY_AUDIT_ARN],
                    "Policies": [
                        {"PolicyName": "CloudConnectorsEksFargate",
                         "PolicyDocument": eks_fargate_policy()},
                        {"PolicyName": "CloudConnectorsReadOnly",
                         "PolicyDocument": custom_policy()},
                    ],
                },
            },
        },
        "Outputs": {
            "RoleArn": {
                "Description": "Paste this Role ARN into the connector.",
                "Value": {"Fn::GetAtt": ["CloudConnectorsRole", "Arn"]},
            },
        },
    }


MEMBER_ROLE_NAME = "CloudConnectorsMember"
ORGANIZATION_ACTIONS = (
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListChildren",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListParents",
    "organizations:ListRoots",
    "organizations:ListTagsForResource",
)


def organization_policy() -> dict[str, Any]:
    """What the organization connector's role (in the management or delegated administrator
    account) needs, on top of the member-role permissions, to walk the organization."""
    return {"Version": _POLICY_VERSION, "Statement": [{
        "Sid": "CloudConnectorsOrganizationWalk", "Effect": "Allow",
        "Action": list(ORGANIZATION_ACTIONS), "Resource": "*"}]}


def member_stackset_template(platform_account_id: str, external_id: str,
                             role_name: str = MEMBER_ROLE_NAME) -> dict[str, Any]:
    """The member role as a template for a service-managed StackSet: deployed to the
    organization's root (or OUs) with automatic deployment, every account, present and
    future, gets the role the organization connector enters it with. The role name is a
    parameter whose default is the connector's ``member_role_name``."""
    template = cloudformation_template(platform_account_id, external_id, role_name)
    template["Description"] = ("Cloud Connectors member role, for a service-managed StackSet "
                               "across the organization (read-only posture polling).")
    template["Parameters"] = {"MemberRoleName": {
        "Type": "String", "Default": role_name,
        "Description": "Must equal the organization connector's member_role_name."}}
    template["Resources"]["CloudConnectorsRole"]["Properties"]["RoleName"] = {
        "Ref": "MemberRoleName"}
    template["Outputs"]["RoleArn"]["Description"] = "The member role in this account."
    return template


class ArtifactKind(StrEnum):
    """The files a user downloads to set up the role (``cloudconnectors-<kind>.json``)."""

    TRUST_POLICY = "trust-policy"
    CUSTOM_POLICY = "custom-policy"
    EKS_POLICY = "eks-policy"
    CLOUDFORMATION = "cloudformation"
    # Organization connectors: the walk's extra policy, and the member role as a StackSet.
    ORGANIZATION_POLICY = "organization-policy"
    MEMBER_STACKSET = "member-stackset"

    @property
    def needs_external_id(self) -> bool:
        """Trust policy and templates name the External ID (and the platform account)."""
        return self in (ArtifactKind.TRUST_POLICY, ArtifactKind.CLOUDFORMATION,
                        ArtifactKind.MEMBER_STACKSET)

    @property
    def filename(self) -> str:
        return f"cloudconnectors-{self.value}.json"


def render(kind: ArtifactKind, platform_account_id: str | None = None,
           external_id: str | None = None, member_role: str | None = None) -> dict[str, Any]:
    """The document for ``kind``; the account and External ID are required by the kinds
    whose ``needs_external_id`` is true."""
    if kind is ArtifactKind.CUSTOM_POLICY:
        return custom_policy()
    if kind is ArtifactKind.ORGANIZATION_POLICY:
        return organization_policy()
    if kind is ArtifactKind.EKS_POLICY:
        return eks_fargate_policy()
    if not platform_account_id or not external_id:
        raise ValueError(f"{kind.value} needs the platform account ID and the External ID")
    if kind is ArtifactKind.TRUST_POLICY:
        return trust_policy(platform_account_id, external_id)
    if kind is ArtifactKind.MEMBER_STACKSET:
        return member_stackset_template(platform_account_id, external_id,
                                        member_role or MEMBER_ROLE_NAME)
    return cloudformation_template(platform_account_id, external_id)
