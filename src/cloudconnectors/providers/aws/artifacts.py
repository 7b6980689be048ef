"""Setup artifacts a user pastes into AWS: trust policy, read-only policies, CloudFormation.

Pure functions. The permission policies are derived from the resource declarations, so the
role we ask for is exactly what the collectors call and the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from cloudconnectors.providers.aws.declarations import Group, ResourceType
from cloudconnectors.providers.aws.resources import RESOURCES

__all__ = [
    "ROLE_NAME",
    "SECURITY_AUDIT_ARN",
    "cloudformation_template",
    "custom_policy",
    "eks_fargate_policy",
    "group_actions",
    "group_policy",
    "trust_policy",
]

SECURITY_AUDIT_ARN = "arn:aws:iam::aws:policy/SecurityAudit"
ROLE_NAME = "CloudConnectors"
_POLICY_VERSION = "2012-10-17"
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
    platform_account_id: str, external_id: str, role_name: str = ROLE_NAME
) -> dict[str, Any]:
    """A stack that creates the role with everything a poll needs; its output is the ARN
    to paste into the connector."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Read-only role for Cloud Connectors posture polling.",
        "Resources": {
            "CloudConnectorsRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": role_name,
                    "AssumeRolePolicyDocument": trust_policy(platform_account_id, external_id),
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
