"""Microsoft Azure provider (credentials now; collection on the same seam later)."""

from __future__ import annotations

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers.azure.credentials import AzureCredentials
from cloudconnectors.providers.credentials_only import CredentialsOnlyProvider


class AzureProvider(CredentialsOnlyProvider):
    key = ProviderName.AZURE
    display_name = "Microsoft Azure"
    credentials_model = AzureCredentials
    vm_types = frozenset({"Microsoft.Compute/virtualMachines"})
