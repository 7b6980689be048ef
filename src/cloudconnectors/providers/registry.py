"""Explicit provider registry, loaded lazily so one cloud's SDK never loads for another.

:func:`override` is the one test seam: it swaps in a provider instance for a name while a
``with`` block runs. Production code never calls it, and without it the path is unchanged.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers.base import Provider

PROVIDERS: dict[ProviderName, str] = {
    ProviderName.AWS: "cloudconnectors.providers.aws.provider:AwsProvider",
    ProviderName.GCP: "cloudconnectors.providers.gcp.provider:GcpProvider",
    ProviderName.AZURE: "cloudconnectors.providers.azure.provider:AzureProvider",
}

_overrides: dict[ProviderName, Provider] = {}
_overrides_lock = threading.Lock()


@cache
def _load(name: ProviderName) -> Provider:
    module_name, _, class_name = PROVIDERS[name].partition(":")
    provider_class = getattr(importlib.import_module(module_name), class_name)
    provider: Provider = provider_class()
    return provider


def get_provider(name: ProviderName | str) -> Provider:
    key = ProviderName(name)
    return _overrides.get(key) or _load(key)


def all_providers() -> list[Provider]:
    return [get_provider(name) for name in PROVIDERS]


@contextmanager
def override(name: ProviderName | str, provider: Provider) -> Iterator[Provider]:
    """Serve ``provider`` for ``name`` inside the block (tests only), then restore."""
    key = ProviderName(name)
    with _overrides_lock:
        previous = _overrides.get(key)
        _overrides[key] = provider
    try:
        yield provider
    finally:
        with _overrides_lock:
            if previous is None:
                _overrides.pop(key, None)
            else:
                _overrides[key] = previous
