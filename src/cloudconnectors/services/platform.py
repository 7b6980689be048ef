"""What the platform tells a user before they connect a cloud.

The AWS account ID users must trust comes from ``sts:GetCallerIdentity`` over the standard
credential chain (:func:`cloudconnectors.providers.aws.platform.platform_account_id`). The
AWS policies and the CloudFormation template come from the AWS provider, generated from its
resource declarations, so what we ask for is exactly what the collectors call.

The per-provider requirements are data (DESIGN section 2), shown by ``GET /api/v1/platform``
and by the CLI when it issues an External ID. Without the platform's own AWS identity the
GCP and Azure parts still stand: the AWS part says it is unavailable and why
(:func:`platform_identity`), and only issuing an External ID is refused
(:func:`cloudconnectors.services.external_ids.issue_for_new_role`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudconnectors.config import Settings
from cloudconnectors.domain.errors import ProviderError
from cloudconnectors.providers.aws import artifacts as aws_artifacts
from cloudconnectors.providers.aws.declarations import Group
from cloudconnectors.providers.azure import setup as azure_setup
from cloudconnectors.providers.gcp.setup import setup_guide

__all__ = [
    "PlatformIdentity",
    "PlatformUnavailable",
    "platform_account_id",
    "platform_identity",
    "setup_requirements",
    "trust_policy_hint",
]


class PlatformUnavailable(ProviderError):
    """The platform cannot tell its own AWS account (no or invalid credentials): 503."""


@dataclass(frozen=True)
class PlatformIdentity:
    """The platform's AWS account, or why it is unknown (``account_id`` is then ``None``)."""

    account_id: str | None
    problem: str | None = None


def platform_account_id(settings: Settings) -> str:
    """The platform's AWS account ID; :class:`PlatformUnavailable` with a fix if unknown."""
    # boto3 loads here, when asked, not when a CLI command that never needs it imports us.
    from cloudconnectors.providers.aws import platform as aws_platform

    try:
        return aws_platform.platform_account_id(settings)
    except ProviderError as exc:
        raise PlatformUnavailable(str(exc)) from None


def platform_identity(settings: Settings) -> PlatformIdentity:
    """Like :func:`platform_account_id`, but an unknown account is an answer, not an error."""
    try:
        return PlatformIdentity(platform_account_id(settings))
    except PlatformUnavailable as exc:
        return PlatformIdentity(None, str(exc))


def trust_policy_hint(platform_account: str, external_id: str) -> str:
    """One paragraph for a person creating or fixing the role."""
    return (
        f"The role's trust policy must allow sts:AssumeRole by "
        f"arn:aws:iam::{platform_account}:root "
        f"with the condition sts:ExternalId = {external_id}; attach SecurityAudit, the EKS "
        "Fargate policy and the custom read-only policy (`cloudconnectors connectors artifacts "
        "CONNECTOR --kind cloudformation` prints a template doing all of it)."
    )


def _aws_requirements(identity: PlatformIdentity) -> dict[str, Any]:
    """The AWS part; the trust policy and the template need the platform's account, the
    policies to attach do not."""
    account = identity.account_id
    return {
        "available": account is not None,
        "unavailable_reason": identity.problem,
        "platform_account_id": account,
        "managed_policies": [aws_artifacts.SECURITY_AUDIT_ARN],
        "required_actions": aws_artifacts.group_actions(Group.EKS_FARGATE),
        "custom_policy_services": aws_artifacts.custom_policy_services(),
        "custom_policy": aws_artifacts.custom_policy(),
        "eks_policy": aws_artifacts.eks_fargate_policy(),
        "trust_policy": aws_artifacts.trust_policy(account, "<external_id>") if account else None,
        "cloudformation_template": (
            aws_artifacts.cloudformation_template(account) if account else None),
        "artifacts": [
            f"/api/v1/providers/aws/artifacts/{kind.value}"
            + ("?external_id=<external_id>" if kind.needs_external_id else "")
            for kind in aws_artifacts.ArtifactKind
        ],
        "steps": [
            "Issue an External ID: POST /api/v1/providers/aws/external-ids.",
            f"Create an IAM role trusting account {account or '<the platform account>'} with "
            "that External ID (the CloudFormation template does it all).",
            "Attach SecurityAudit, the EKS Fargate policy and the custom policy below.",
            "Create the connector with the role's ARN and the External ID.",
        ],
    }


def setup_requirements(identity: PlatformIdentity) -> dict[str, Any]:
    """Everything a user needs on the cloud side, per provider. The GCP and Azure parts never
    depend on the platform's AWS identity."""
    return {
        "aws": _aws_requirements(identity),
        "gcp": setup_guide(),
        "azure": azure_setup.guide(),
    }
