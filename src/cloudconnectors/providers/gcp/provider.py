"""Google Cloud provider (credentials now; collection on the same seam later)."""

from __future__ import annotations

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers.credentials_only import CredentialsOnlyProvider
from cloudconnectors.providers.gcp.credentials import GcpCredentials


class GcpProvider(CredentialsOnlyProvider):
    key = ProviderName.GCP
    display_name = "Google Cloud"
    credentials_model = GcpCredentials
    vm_types = frozenset({"compute.googleapis.com/Instance"})
