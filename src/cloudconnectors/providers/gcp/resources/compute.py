"""Compute Engine (compute v1): VMs, disks, images, networks and their edges."""

from __future__ import annotations

from cloudconnectors.providers.gcp.declarations import ResourceType, Shape

_V1 = "compute/v1/projects/{project}"


def _aggregated(kind: str, collection: str, permission: str) -> ResourceType:
    return ResourceType(f"compute.googleapis.com/{kind}", "compute",
                        f"{_V1}/aggregated/{collection}", permission, items=collection,
                        shape=Shape.AGGREGATED, page_size_param="maxResults")


def _global(kind: str, collection: str, permission: str) -> ResourceType:
    return ResourceType(f"compute.googleapis.com/{kind}", "compute",
                        f"{_V1}/global/{collection}", permission, page_size_param="maxResults")


INSTANCE = _aggregated("Instance", "instances", "compute.instances.list")
#: Listed to reach per-region children (Dataproc clusters); never stored itself.
REGIONS = ResourceType("compute.googleapis.com/Region", "compute", f"{_V1}/regions",
                       "compute.regions.list", page_size_param="maxResults", emit=False)

RESOURCES = (
    INSTANCE,
    _aggregated("Disk", "disks", "compute.disks.list"),
    _global("Snapshot", "snapshots", "compute.snapshots.list"),
    _global("Image", "images", "compute.images.list"),
    _global("Network", "networks", "compute.networks.list"),
    _aggregated("Subnetwork", "subnetworks", "compute.subnetworks.list"),
    _global("Firewall", "firewalls", "compute.firewalls.list"),
    _aggregated("Router", "routers", "compute.routers.list"),
    _global("SslPolicy", "sslPolicies", "compute.sslPolicies.list"),
    _aggregated("TargetHttpsProxy", "targetHttpsProxies", "compute.targetHttpsProxies.list"),
    _global("TargetSslProxy", "targetSslProxies", "compute.targetSslProxies.list"),
    _aggregated("BackendService", "backendServices", "compute.backendServices.list"),
    ResourceType("compute.googleapis.com/Project", "compute", _V1, "compute.projects.get",
                 shape=Shape.SINGLE),
)
