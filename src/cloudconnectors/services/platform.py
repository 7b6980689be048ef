"""What the platform tells a user before they connect a cloud.

The AWS account ID users must trust comes from ``sts:GetCallerIdentity`` over the standard
credential chain (:func:`cloudconnectors.providers.aws.platform.platform_account_id`). The
AWS policies and the CloudFormation template come from the AWS provider, generated from its
resource declarations, so what we ask for is exactly what the collectors call.

The per-provider requirements are data (DESIGN section 2), shown by ``GET /api/v1/platform``
and by the CLI when it issues an External ID.
"""

from __future__ import annotations

from typing import Any

from cloudconnectors.config import Settings
from cloudconnectors.domain.errors import ProviderError
from cloudconnectors.providers.aws import artifacts as aws_artifacts
from cloudconnectors.providers.aws import platform as aws_platform
from cloudconnectors.providers.aws.declarations import Group
from cloudconnectors.providers.gcp.setup import setup_guide

__all__ = [
    "PlatformUnavailable",
    "platform_account_id",
    "setup_requirements",
    "trust_policy_hint",
]


class PlatformUnavailable(ProviderError):
    """The platform cannot tell its own AWS account (no or invalid credentials): 503."""


def platform_account_id(settings: Settings) -> str:
    """The platform's AWS account ID; :class:`PlatformUnavailable` with a fix if unknown."""
    try:
        return aws_platform.platform_account_id(settings)
    except ProviderError as exc:
        raise PlatformUnavailable(str(exc)) from None


AZURE_ROLE = "Reader"
AZURE_MINIMAL_PERMISSIONS = (
    "Microsoft.Compute/virtualMachines/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Network/networkInterfaces/read",
    "Microsoft.Network/publicIPAddresses/read",
    "Microsoft.Network/virtualNetworks/read",
    "Microsoft.Network/networkSecurityGroups/read",
)


def trust_policy_hint(platform_account: str | None, external_id: str) -> str:
    """One paragraph for a person creating or fixing the role."""
    trusted = platform_account or "<the platform's AWS account ID>"
    return (
        f"The role's trust policy must allow sts:AssumeRole by arn:aws:iam::{trusted}:root "
        f"with the condition sts:ExternalId = {external_id}; attach SecurityAudit, the EKS "
        "Fargate policy and the custom read-only policy (`cloudconnectors connectors artifacts "
        "CONNECTOR --kind cloudformation` prints a template doing all of it)."
    )


def setup_requirements(platform_account: str) -> dict[str, Any]:
    """Everything a user needs on the cloud side, per provider."""
    return {
        "aws": {
            "platform_account_id": platform_account,
            "managed_policies": [aws_artifacts.SECURITY_AUDIT_ARN],
            "required_actions": aws_artifacts.group_actions(Group.EKS_FARGATE),
            "custom_policy_services": aws_artifacts.custom_policy_services(),
            "custom_policy": aws_artifacts.custom_policy(),
            "eks_policy": aws_artifacts.eks_fargate_policy(),
            "trust_policy": aws_artifacts.trust_policy(platform_account, "<external_id>"),
            "cloudformation_template": aws_artifacts.cloudformation_template(platform_account),
            "artifacts": [
                f"/api/v1/providers/aws/artifacts/{kind.value}"
                + ("?external_id=<external_id>" if kind.needs_external_id else "")
                for kind in aws_artifacts.ArtifactKind
            ],
            "steps": [
                "Issue an External ID: POST /api/v1/providers/aws/external-ids.",
                f"Create an IAM role trusting account {platform_account} with that External ID "
                "(the CloudFormation template does it all).",
                "Attach SecurityAudit, the EKS Fargate policy and the custom policy below.",
                "Create the connector with the role's ARN and the External ID.",
            ],
        },
        "gcp": setup_guide(),
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
