"""Every Azure type the connector collects, in the order a poll starts them (VMs first).

Adding a type is one declaration in its service's module, listed in that module's
``RESOURCES``; the registry test checks each declaration.
"""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import ResourceType
from cloudconnectors.providers.azure.resources import (
    compute,
    data,
    edge,
    graph,
    identity,
    monitoring,
    network,
    platform,
    storage,
)

__all__ = ["RESOURCES"]

RESOURCES: tuple[ResourceType, ...] = (
    *compute.RESOURCES,
    *network.RESOURCES,
    *storage.RESOURCES,
    *data.RESOURCES,
    *platform.RESOURCES,
    *edge.RESOURCES,
    *monitoring.RESOURCES,
    *identity.RESOURCES,
    *graph.RESOURCES,
)
