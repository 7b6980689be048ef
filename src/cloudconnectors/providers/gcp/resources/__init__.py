"""Every GCP resource type the connector reads, listed explicitly (STYLE habit 6).

Add a type by adding one declaration to the module of its service; the engine, the
permission check, the setup guidance and the docs' type table all read this list.
"""

from __future__ import annotations

from cloudconnectors.providers.gcp.declarations import ResourceType
from cloudconnectors.providers.gcp.resources import compute, data, operations, platform, project

__all__ = ["RESOURCES", "VM_TYPE"]

VM_TYPE = compute.INSTANCE.type

RESOURCES: tuple[ResourceType, ...] = (
    *project.RESOURCES,
    *compute.RESOURCES,
    *platform.RESOURCES,
    *data.RESOURCES,
    *operations.RESOURCES,
)
