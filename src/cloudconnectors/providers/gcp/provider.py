"""Google Cloud: a service-account JSON key; every project it can see, read over REST."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.runs import CollectorResult
from cloudconnectors.providers.base import (
    CloudSession,
    DiagnosticItem,
    PollContext,
    Provider,
    ProviderCredentials,
    ResourceTypeInfo,
)
from cloudconnectors.providers.collecting import CallMeter
from cloudconnectors.providers.gcp.auth import signed_in
from cloudconnectors.providers.gcp.credentials import GcpCredentials
from cloudconnectors.providers.gcp.diagnostics import diagnose
from cloudconnectors.providers.gcp.options import GcpOptions
from cloudconnectors.providers.gcp.organization import discover, member_credentials
from cloudconnectors.providers.gcp.preflight import SERVICE_TYPE
from cloudconnectors.providers.gcp.projects import ProjectScope
from cloudconnectors.providers.gcp.resources import RESOURCES, VM_TYPE
from cloudconnectors.providers.gcp.session import GcpSession
from cloudconnectors.providers.gcp.transport import GoogleApi
from cloudconnectors.providers.organizations import Member, MemberDiscovery

__all__ = ["GcpProvider"]


class GcpProvider(Provider):
    key = ProviderName.GCP
    display_name = "Google Cloud"
    credentials_model = GcpCredentials
    vm_types = frozenset({VM_TYPE})

    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        assert isinstance(credentials, GcpCredentials)
        settings = context.settings
        key = credentials.secret_material()["service_account_key"]
        google = signed_in(key, settings.ca_bundle)
        options = GcpOptions.from_settings(settings)
        api = GoogleApi(google, base_url=settings.gcp_api_endpoint,
                        ca_bundle=settings.ca_bundle, options=options, meter=CallMeter())
        key_info = credentials.service_account_key
        if credentials.project is not None:  # a member of an organization connector
            return GcpSession(api, credentials.project, ProjectScope(), options,
                              email=key_info.client_email, pinned=True,
                              container=credentials.container)
        return GcpSession(api, key_info.project_id, ProjectScope.of(context.scope), options,
                          email=key_info.client_email)

    def discover_members(self, session: CloudSession, root: str) -> MemberDiscovery:
        assert isinstance(session, GcpSession)
        return discover(session.api, root, email=session.email, home=session.home_project)

    def member_credentials(
        self, parent_credentials: ProviderCredentials, member: Member,
        options: Mapping[str, Any],
    ) -> ProviderCredentials:
        assert isinstance(parent_credentials, GcpCredentials)
        return member_credentials(parent_credentials, member)

    def diagnose(self, results: Sequence[CollectorResult], context: PollContext,
                 public_credentials: dict[str, Any]) -> list[DiagnosticItem]:
        return diagnose(results, public_credentials)

    def resource_types(self) -> list[ResourceTypeInfo]:
        listed = [ResourceTypeInfo(r.type, r.api, "project") for r in RESOURCES if r.emit]
        return [*listed, ResourceTypeInfo(SERVICE_TYPE, "serviceusage", "project")]
