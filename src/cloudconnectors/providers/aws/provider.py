"""Amazon Web Services: assume the customer's role with our External ID, then collect."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cloudconnectors.config import Settings
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.domain.runs import CollectorResult
from cloudconnectors.providers.aws.credentials import AwsCredentials
from cloudconnectors.providers.aws.declarations import ResourceType
from cloudconnectors.providers.aws.diagnostics import diagnose
from cloudconnectors.providers.aws.options import AwsOptions
from cloudconnectors.providers.aws.resources import RESOURCES
from cloudconnectors.providers.aws.selection import select
from cloudconnectors.providers.base import (
    CloudSession,
    DiagnosticItem,
    Needs,
    PollContext,
    Provider,
    ProviderCredentials,
    ResourceTypeInfo,
)
from cloudconnectors.providers.organizations import Member, MemberDiscovery

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

__all__ = ["AwsProvider"]

# boto3 and the session modules load when a poll authenticates, not when a report or a
# listing only asks the provider about its types (the CLI's ``report`` stays light).

_SESSION_NAME_UNSAFE = re.compile(r"[^\w+=,.@-]", re.ASCII)
_PLATFORM_CODES = frozenset({"InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken",
                             "UnrecognizedClientException", "IncompleteSignature"})


def _selected(options: AwsOptions, needs: Needs | None) -> tuple[ResourceType, ...]:
    return select(RESOURCES, None if options.inventory == "full" else needs)


class AwsProvider(Provider):
    key = ProviderName.AWS
    display_name = "Amazon Web Services"
    credentials_model = AwsCredentials
    vm_types = frozenset({"AWS::EC2::Instance"})

    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        from cloudconnectors.providers.aws.assume import assumed_role_session
        from cloudconnectors.providers.aws.platform import (
            assume_role_budget,
            make_client,
            platform_credentials_missing,
            platform_session,
        )
        from cloudconnectors.providers.aws.session import AwsSession

        assert isinstance(credentials, AwsCredentials)
        settings = context.settings
        options = AwsOptions.from_settings(settings)
        platform = platform_session(settings)
        session_name = _SESSION_NAME_UNSAFE.sub("-", f"cloudconnectors-{context.connector_id}")
        sts = make_client(platform, "sts", options.home_region, settings, options)

        budget = assume_role_budget(options)

        def assume() -> dict[str, Any]:
            budget.take()
            answer = sts.assume_role(
                RoleArn=credentials.role_arn, ExternalId=credentials.external_id,
                RoleSessionName=session_name[:64],
            )
            temporary: dict[str, Any] = answer["Credentials"]
            return temporary

        try:
            session = assumed_role_session(assume, options.home_region)
        except NoCredentialsError:
            raise AuthenticationFailed(platform_credentials_missing()) from None
        except ClientError as exc:
            raise AuthenticationFailed(_assume_role_fix(exc, credentials, context)) from None
        except BotoCoreError as exc:
            raise CollectionFailed(
                f"could not reach AWS STS to assume {credentials.role_arn}: {exc}. "
                "Check the platform's network access to AWS (or AWS_ENDPOINT_URL)."
            ) from None
        return AwsSession(session, settings, options, credentials.account_id,
                          credentials.role_arn, _selected(options, context.needs))

    def diagnose(
        self, results: Sequence[CollectorResult], context: PollContext,
        public_credentials: dict[str, Any],
    ) -> list[DiagnosticItem]:
        return diagnose(results, _platform_account_or_placeholder(context),
                        str(public_credentials.get("external_id") or "<external-id>"))

    def discover_members(self, session: CloudSession, root: str) -> MemberDiscovery:
        from cloudconnectors.providers.aws.organizations import discover
        from cloudconnectors.providers.aws.session import AwsSession

        assert isinstance(session, AwsSession)
        return discover(session.client("organizations", session.home_region), root)

    def member_credentials(
        self, parent_credentials: ProviderCredentials, member: Member,
        options: Mapping[str, Any],
    ) -> ProviderCredentials:
        from cloudconnectors.providers.aws.organizations import member_credentials

        assert isinstance(parent_credentials, AwsCredentials)
        return member_credentials(parent_credentials, member, options)

    def results_per_region(self, scope: str, needs: Needs | None = None,
                           settings: Settings | None = None) -> int | None:
        """The engine reports once per (region, declaration); global ones once in all."""
        options = AwsOptions.from_settings(settings) if settings else AwsOptions()
        chosen = _selected(options, needs)
        return sum(1 for resource in chosen if resource.scope.value == scope)

    def asset_types_of(self, resource_type: str) -> tuple[str, ...]:
        """A Directory Service listing yields three types; the others one."""
        for resource in RESOURCES:
            if resource.type == resource_type:
                return resource.types()
        return (resource_type,)

    def resource_types(self) -> list[ResourceTypeInfo]:
        return [
            ResourceTypeInfo(type_, resource.service, resource.scope.value)
            for resource in RESOURCES for type_ in resource.types()
        ]


def _platform_account_or_placeholder(context: PollContext) -> str:
    from cloudconnectors.providers.aws.platform import platform_account_id

    try:
        return platform_account_id(context.settings)
    except AuthenticationFailed:
        return "<platform-account-id>"


def _assume_role_fix(exc: ClientError, credentials: AwsCredentials, context: PollContext) -> str:
    error = exc.response.get("Error", {})
    code = str(error.get("Code") or "Error")
    message = str(error.get("Message") or "").strip()
    if code in _PLATFORM_CODES:  # our own identity was refused, not the customer's role
        from cloudconnectors.providers.aws.platform import platform_credentials_problem

        return platform_credentials_problem(f"{code}: {message}")
    platform = _platform_account_or_placeholder(context)
    if context.organization is not None:
        return (
            f"sts:AssumeRole on the member role {credentials.role_arn} was refused ({code}: "
            f"{message}): the role is missing in account {credentials.account_id} or does not "
            f"trust the platform account {platform} with sts:ExternalId = "
            f"{credentials.external_id}. Fix: deploy the member-role StackSet from the setup "
            f"artifacts of organization {context.organization!r} to this account (or create "
            "the role there by hand with that trust policy and SecurityAudit), then press "
            "Refresh on the organization."
        )
    return (
        f"sts:AssumeRole on {credentials.role_arn} was refused ({code}: {message}). The role's "
        f"trust policy must allow the platform account {platform} (Principal "
        f"arn:aws:iam::{platform}:root) to call sts:AssumeRole with the condition "
        f"StringEquals sts:ExternalId = {credentials.external_id}. Fix: check the role exists "
        "in that account, paste the trust policy from this connector's diagnostics into the "
        "role's trust relationships (or deploy the CloudFormation template shown there), "
        "then press Refresh."
    )
