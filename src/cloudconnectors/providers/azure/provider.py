"""Microsoft Azure: sign in as the app registration, then read one subscription over ARM
(and the directory over Microsoft Graph, when the app has the permissions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from azure.core.exceptions import AzureError, ClientAuthenticationError
from azure.identity import ClientSecretCredential

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.domain.runs import CollectorResult
from cloudconnectors.providers.azure.client import Rest, build_rest
from cloudconnectors.providers.azure.credentials import AzureCredentials
from cloudconnectors.providers.azure.diagnostics import diagnose
from cloudconnectors.providers.azure.endpoints import AzureEndpoints
from cloudconnectors.providers.azure.faults import ApiError, classify, sign_in_problem
from cloudconnectors.providers.azure.metering import Governor
from cloudconnectors.providers.azure.options import AzureOptions
from cloudconnectors.providers.azure.organization import (
    discover,
    group_reader_command,
    member_credentials,
)
from cloudconnectors.providers.azure.resources import RESOURCES
from cloudconnectors.providers.azure.session import PERMISSIONS_TYPE, AzureSession
from cloudconnectors.providers.azure.setup import reader_command
from cloudconnectors.providers.base import (
    CloudSession,
    DiagnosticItem,
    PollContext,
    Provider,
    ProviderCredentials,
    ResourceTypeInfo,
)
from cloudconnectors.providers.collecting import CallMeter
from cloudconnectors.providers.organizations import Member, MemberDiscovery

__all__ = ["AzureProvider"]

SUBSCRIPTION_VERSION = "2022-12-01"


class AzureProvider(Provider):
    key = ProviderName.AZURE
    display_name = "Microsoft Azure"
    credentials_model = AzureCredentials
    vm_types = frozenset({"Microsoft.Compute/virtualMachines"})

    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        assert isinstance(credentials, AzureCredentials)
        endpoints = AzureEndpoints.from_settings(context.settings)
        options = AzureOptions.from_settings(context.settings)
        app, tenant = credentials.application_id, credentials.directory_id
        credential = ClientSecretCredential(
            tenant, app, credentials.authentication_key.get_secret_value(),
            authority=endpoints.authority,
            disable_instance_discovery=not endpoints.microsoft_authority,
            connection_verify=endpoints.verify,
        )
        try:
            credential.get_token(endpoints.management_scope)
        except ClientAuthenticationError as exc:
            raise AuthenticationFailed(
                sign_in_problem(str(exc), app, tenant, endpoints.authority)
            ) from None
        except (AzureError, ValueError) as exc:
            raise CollectionFailed(
                f"could not reach Microsoft Entra ID at {endpoints.authority} "
                f"({type(exc).__name__}). Check the platform's network access (or "
                "CLOUDCONNECTORS_AZURE_AUTHORITY_HOST and CLOUDCONNECTORS_CA_BUNDLE), then "
                "press Refresh.") from None
        meter = CallMeter()
        governor = Governor(options.ratelimit_low_water, options.ratelimit_pause)
        arm = build_rest(credential, endpoints.management, endpoints.management_scope, options,
                         meter, governor, endpoints.verify, arm=True)
        graph = build_rest(credential, endpoints.graph, endpoints.graph_scope, options, meter,
                           Governor(options.ratelimit_low_water, options.ratelimit_pause),
                           endpoints.verify, arm=False)
        _check_subscription(arm, app, credentials.subscription_id,
                            credentials.management_group)
        return AzureSession(arm, graph, app, credentials.subscription_id, options, meter)

    def discover_members(self, session: CloudSession, root: str) -> MemberDiscovery:
        assert isinstance(session, AzureSession)
        return discover(session.arm, root, session.application_id)

    def member_credentials(
        self, parent_credentials: ProviderCredentials, member: Member,
        options: Mapping[str, Any],
    ) -> ProviderCredentials:
        assert isinstance(parent_credentials, AzureCredentials)
        return member_credentials(parent_credentials, member)

    def diagnose(self, results: Sequence[CollectorResult], context: PollContext,
                 public_credentials: dict[str, Any]) -> list[DiagnosticItem]:
        return diagnose(results, str(public_credentials.get("application_id") or
                                     "<application-id>"),
                        str(public_credentials.get("subscription_id") or "<subscription-id>"))

    def resource_types(self) -> list[ResourceTypeInfo]:
        infos = [ResourceTypeInfo(r.type, r.service, r.scope.value) for r in RESOURCES]
        return [ResourceTypeInfo(PERMISSIONS_TYPE, "authorization", "global"), *infos]


def _check_subscription(arm: Rest, app: str, subscription_id: str,
                        group: str | None = None) -> None:
    """The app signed in; can it see the subscription at all?"""
    url = arm.url(f"/subscriptions/{subscription_id}", {"api-version": SUBSCRIPTION_VERSION})
    try:
        arm.get(url)
    except ApiError as exc:
        if exc.status in (401, 403, 404) and group is not None:  # an organization's member
            raise AuthenticationFailed(
                f"the app {app} cannot read subscription {subscription_id} of management "
                f"group {group} ({exc.code}): no role assignment reaches it (a deny "
                f"assignment, or Reader given below the group). Fix: assign the app Reader "
                f"at the management group, `{group_reader_command(app, group)}`, or on the "
                f"subscription, `{reader_command(app, subscription_id)}`, then press Refresh "
                "on the organization.") from None
        if exc.status in (401, 403, 404):
            raise AuthenticationFailed(
                f"the app {app} signed in, but subscription {subscription_id} is not visible "
                f"to it ({exc.code}). Check the Subscription ID, and give the app a role on "
                f"it: `{reader_command(app, subscription_id)}` (Reader: full posture), then "
                "press Refresh.") from None
        raise CollectionFailed(f"reading subscription {subscription_id} failed: "
                               f"{classify(exc, 'subscriptions/read').reason}") from None
    except AzureError as exc:
        raise CollectionFailed(
            f"could not reach Azure Resource Manager for subscription {subscription_id}: "
            f"{classify(exc, 'subscriptions/read').reason}. Check the platform's network "
            "access (or CLOUDCONNECTORS_AZURE_MANAGEMENT_ENDPOINT), then press Refresh."
        ) from None
