"""Explicit provider registry, loaded lazily so one cloud's SDK never loads for another."""

from __future__ import annotations

import importlib
from functools import cache

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers.base import Provider

PROVIDERS: dict[ProviderName, str] = {
    ProviderName.AWS: "cloudconnectors.providers.aws.provider:AwsProvider",
    ProviderName.GCP: "cloudconnectors.providers.gcp.provider:GcpProvider",
    ProviderName.AZURE: "cloudconnectors.providers.azure.provider:AzureProvider",
}


@cache
def get_provider(name: ProviderName | str) -> Provider:
    module_name, _, class_name = PROVIDERS[ProviderName(name)].partition(":")
    provider_class = getattr(importlib.import_module(module_name), class_name)
    provider: Provider = provider_class()
    return provider


def all_providers() -> list[Provider]:
    return [get_provider(name) for name in PROVIDERS]
