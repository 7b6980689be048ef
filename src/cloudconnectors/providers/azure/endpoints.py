"""Where the Azure connector sends requests: authority, ARM and Graph, all configuration.

Unset, they are Microsoft's public cloud. A sovereign cloud or a stand-in sets
``CLOUDCONNECTORS_AZURE_AUTHORITY_HOST``, ``..._MANAGEMENT_ENDPOINT`` and ``..._GRAPH_ENDPOINT``
(https only: ARM refuses bearer tokens over plain http, and so do we) and, for a private CA,
``CLOUDCONNECTORS_CA_BUNDLE``. Token scopes are ``<endpoint>/.default``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cloudconnectors.config import Settings
from cloudconnectors.domain.errors import CollectionFailed

__all__ = ["MICROSOFT_AUTHORITIES", "AzureEndpoints"]

# Hosts msal knows; for any other, instance discovery (a call to Microsoft) is turned off.
MICROSOFT_AUTHORITIES = frozenset({
    "login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn",
    "login.partner.microsoftonline.cn", "login.microsoft.com", "login.windows.net",
})


@dataclass(frozen=True)
class AzureEndpoints:
    authority: str
    management: str
    graph: str
    ca_bundle: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AzureEndpoints:
        names = {
            "CLOUDCONNECTORS_AZURE_AUTHORITY_HOST": settings.azure_authority_host,
            "CLOUDCONNECTORS_AZURE_MANAGEMENT_ENDPOINT": settings.azure_management_endpoint,
            "CLOUDCONNECTORS_AZURE_GRAPH_ENDPOINT": settings.azure_graph_endpoint,
        }
        for variable, value in names.items():
            split = urlsplit(value)
            if split.scheme != "https" or not split.hostname:
                raise CollectionFailed(
                    f"{variable} must be an https URL (got {value!r}); Azure sends bearer "
                    "tokens only over TLS. Fix the setting and restart the service.")
        bundle = settings.ca_bundle
        return cls(
            authority=settings.azure_authority_host.rstrip("/"),
            management=settings.azure_management_endpoint.rstrip("/"),
            graph=settings.azure_graph_endpoint.rstrip("/"),
            ca_bundle=str(bundle) if bundle else None,
        )

    @property
    def microsoft_authority(self) -> bool:
        return (urlsplit(self.authority).hostname or "").lower() in MICROSOFT_AUTHORITIES

    @property
    def management_scope(self) -> str:
        return f"{self.management}/.default"

    @property
    def graph_scope(self) -> str:
        return f"{self.graph}/.default"

    @property
    def verify(self) -> str | bool:
        """What requests' ``verify`` gets: the bundle path, or the system store."""
        return self.ca_bundle or True
