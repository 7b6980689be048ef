"""What the platform tells a user before they connect a cloud.

The AWS account ID users must trust comes from ``sts:GetCallerIdentity`` over the standard
credential chain. The AWS provider owns that call
(:func:`cloudconnectors.providers.aws.platform.platform_account_id`); until it is present in
a build, a direct STS call with the same endpoint override stands in for it.

The per-provider requirements are data (DESIGN section 2), shown by ``GET /api/v1/platform``
and by the CLI when it issues an External ID.
"""

from __future__ import annotations

import importlib
from typing import Any

from cloudconnectors.config import Settings
from cloudconnectors.domain.errors import ProviderError

__all__ = [
    "AWS_CUSTOM_POLICY_SERVICES",
    "PlatformUnavailable",
    "aws_cloudformation_template",
    "aws_custom_policy",
    "aws_trust_policy",
    "platform_account_id",
    "setup_requirements",
]

_NO_CREDENTIALS_FIX = (
    "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or run on an "
    "instance/task role) for the platform's own account, then restart the service."
)


class PlatformUnavailable(ProviderError):
    """The platform cannot tell its own AWS account (no or invalid credentials): 503."""


def platform_account_id(settings: Settings) -> str:
    """The platform's AWS account ID; :class:`PlatformUnavailable` with a fix if unknown."""
    try:
        module = importlib.import_module("cloudconnectors.providers.aws.platform")
    except ModuleNotFoundError:
        return _sts_account_id(settings)
    try:
        return str(module.platform_account_id(settings))
    except ProviderError as exc:
        raise PlatformUnavailable(str(exc)) from None


_account_cache: dict[str | None, str] = {}


def _sts_account_id(settings: Settings) -> str:
    """Stand-in for the AWS provider's call; cached per endpoint once it succeeds."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    if settings.aws_endpoint_url in _account_cache:
        return _account_cache[settings.aws_endpoint_url]
    try:
        sts = boto3.Session(region_name="us-east-1").client(
            "sts", endpoint_url=settings.aws_endpoint_url
        )
        account = str(sts.get_caller_identity()["Account"])
        _account_cache[settings.aws_endpoint_url] = account
        return account
    except NoCredentialsError:
        reason = "no credentials were found"
    except ClientError as exc:
        error = exc.response.get("Error", {})
        reason = f"{error.get('Code', 'Error')}: {error.get('Message', '')}".strip()
    except BotoCoreError as exc:
        reason = str(exc)
    raise PlatformUnavailable(
        f"the platform's own AWS account is unknown ({reason}). {_NO_CREDENTIALS_FIX}"
    )


# (display name, IAM service prefix, read-only actions) of the custom policy's services.
AWS_CUSTOM_POLICY_SERVICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Amazon EFS", "elasticfilesystem", ("Describe*",)),
    ("AWS Step Functions", "states", ("List*", "Describe*")),
    ("Amazon QLDB", "qldb", ("List*", "Describe*")),
    ("AWS Lambda", "lambda", ("List*", "GetFunction*", "GetPolicy")),
    ("Amazon MSK", "kafka", ("List*", "Describe*")),
    ("Amazon API Gateway", "apigateway", ("GET",)),
    ("AWS Backup", "backup", ("List*", "Describe*", "GetBackupVaultAccessPolicy")),
    ("AWS WAF", "wafv2", ("List*", "Get*")),
    ("Amazon EBS", "ebs", ("ListSnapshotBlocks",)),
    ("Amazon EMR", "elasticmapreduce", ("List*", "Describe*")),
    ("AWS Glue", "glue", ("GetDataCatalogEncryptionSettings", "GetSecurityConfigurations")),
    ("Amazon GuardDuty", "guardduty", ("List*", "Get*")),
    ("AWS CodeBuild", "codebuild", ("List*", "BatchGetProjects")),
    ("AWS Directory Service", "ds", ("Describe*", "List*")),
)
AWS_MANAGED_POLICIES = ("arn:aws:iam::aws:policy/SecurityAudit",)
AWS_EKS_FARGATE_ACTIONS = ("eks:ListFargateProfiles", "eks:DescribeFargateProfile")

GCP_ROLES = (
    ("roles/viewer", "Viewer"),
    ("roles/iam.securityReviewer", "Security Reviewer"),
)
GCP_APIS = (
    ("compute.googleapis.com", "Compute Engine API"),
    ("cloudresourcemanager.googleapis.com", "Cloud Resource Manager API"),
    ("container.googleapis.com", "Kubernetes Engine API"),
    ("sqladmin.googleapis.com", "Cloud SQL Admin API"),
    ("bigquery.googleapis.com", "BigQuery API"),
    ("cloudfunctions.googleapis.com", "Cloud Functions API"),
    ("dns.googleapis.com", "Cloud DNS API"),
    ("cloudkms.googleapis.com", "Cloud Key Management Service (KMS) API"),
    ("logging.googleapis.com", "Cloud Logging API"),
    ("monitoring.googleapis.com", "Cloud Monitoring API"),
)
AZURE_ROLE = "Reader"
AZURE_MINIMAL_PERMISSIONS = (
    "Microsoft.Compute/virtualMachines/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Network/networkInterfaces/read",
    "Microsoft.Network/publicIPAddresses/read",
    "Microsoft.Network/virtualNetworks/read",
    "Microsoft.Network/networkSecurityGroups/read",
)


def aws_custom_policy() -> dict[str, Any]:
    actions = list(AWS_EKS_FARGATE_ACTIONS)
    for _, prefix, verbs in AWS_CUSTOM_POLICY_SERVICES:
        actions.extend(f"{prefix}:{verb}" for verb in verbs)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudConnectorsReadOnly",
                "Effect": "Allow",
                "Action": actions,
                "Resource": "*",
            }
        ],
    }


def aws_trust_policy(platform_account: str, external_id: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{platform_account}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
            }
        ],
    }


def aws_cloudformation_template(platform_account: str) -> dict[str, Any]:
    """A stack creating the role: trust with the External ID parameter, SecurityAudit,
    and the custom read-only policy."""
    trust = aws_trust_policy(platform_account, "EXTERNAL_ID")
    trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"] = {"Ref": "ExternalId"}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Read-only role for Cloud Connectors",
        "Parameters": {
            "ExternalId": {
                "Type": "String",
                "Description": "The External ID issued by POST /api/v1/providers/aws/external-ids",
            },
            "RoleName": {"Type": "String", "Default": "CloudConnectors"},
        },
        "Resources": {
            "CloudConnectorsRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Ref": "RoleName"},
                    "AssumeRolePolicyDocument": trust,
                    "ManagedPolicyArns": list(AWS_MANAGED_POLICIES),
                    "Policies": [
                        {"PolicyName": "CloudConnectorsReadOnly",
                         "PolicyDocument": aws_custom_policy()}
                    ],
                },
            }
        },
        "Outputs": {"RoleArn": {"Value": {"Fn::GetAtt": ["CloudConnectorsRole", "Arn"]}}},
    }


def trust_policy_hint(platform_account: str | None, external_id: str) -> str:
    """One paragraph for a person creating or fixing the role."""
    trusted = platform_account or "<the platform's AWS account ID>"
    return (
        f"The role's trust policy must allow sts:AssumeRole by arn:aws:iam::{trusted}:root "
        f"with the condition sts:ExternalId = {external_id}; attach SecurityAudit, "
        f"{' and '.join(AWS_EKS_FARGATE_ACTIONS)} and the custom read-only policy "
        "(GET /api/v1/platform shows it)."
    )


def setup_requirements(platform_account: str) -> dict[str, Any]:
    """Everything a user needs on the cloud side, per provider."""
    return {
        "aws": {
            "platform_account_id": platform_account,
            "managed_policies": list(AWS_MANAGED_POLICIES),
            "required_actions": list(AWS_EKS_FARGATE_ACTIONS),
            "custom_policy_services": [name for name, _, _ in AWS_CUSTOM_POLICY_SERVICES],
            "custom_policy": aws_custom_policy(),
            "trust_policy": aws_trust_policy(platform_account, "<external_id>"),
            "cloudformation_template": aws_cloudformation_template(platform_account),
            "steps": [
                "Issue an External ID: POST /api/v1/providers/aws/external-ids.",
                f"Create an IAM role trusting account {platform_account} with that External ID.",
                "Attach SecurityAudit and the custom policy below to the role.",
                "Create the connector with the role's ARN and the External ID.",
            ],
        },
        "gcp": {
            "roles": [{"role": role, "title": title} for role, title in GCP_ROLES],
            "apis": [{"service": api, "title": title} for api, title in GCP_APIS],
            "steps": [
                "Create a service account and grant it the roles below on each project.",
                "Enable the APIs below in every onboarded project.",
                "Create a JSON key and upload it as credentials.service_account_key.",
            ],
        },
        "azure": {
            "role": AZURE_ROLE,
            "minimal_permissions": list(AZURE_MINIMAL_PERMISSIONS),
            "steps": [
                "Register an application in Microsoft Entra ID and create a client secret.",
                f"Assign it the {AZURE_ROLE} role on the subscription (or, for inventory "
                "only, a custom role with the permissions below).",
                "Create the connector with the application, directory and subscription IDs "
                "and the secret as authentication_key.",
            ],
        },
    }
