"""Serve an Azure inventory from the stand-in: the REST records a poll would have read.

``load_inventory`` turns stored-inventory items (the rules' fixture subscriptions in
``tests/rules/azure``) back into what the ARM and Graph endpoints answer, using the connector's
own declarations (``providers/azure/resources``) for list paths and sub-record paths: a top
resource is stored by its ID and listed subscription-wide, a sub-record (blob service, keys,
diagnostic settings, role members) under its parent's ID, a Graph object under its collection.
A real poll through the real connector then reads them back.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from cloudconnectors.demo.azure_sandbox import World
from cloudconnectors.providers.azure.declarations import Api, ResourceType
from cloudconnectors.providers.azure.resources import RESOURCES
from cloudconnectors.rules.azure.shapes import DETAIL_PERMISSIONS
from cloudconnectors.rules.model import InventoryItem

__all__ = ["load_inventory"]


def _add_details(world: World, resource: ResourceType, record_id: str,
                 subs: dict[str, Any]) -> None:
    for detail in resource.details:
        if detail.key not in subs:
            continue
        base = f"{record_id}/{detail.path}"
        if not detail.many:
            world.add({**subs[detail.key], "id": base})
            continue
        for n, child in enumerate(subs[detail.key]):
            name = child.get("name") or f"item{n}"
            world.add({**child, "name": name, "id": f"{base}/{name}"})


def load_inventory(world: World, tenant: str, subscription: str, locations: list[str],
                   items: Iterable[InventoryItem]) -> None:
    """Store ``items`` in ``world`` under ``tenant``/``subscription`` (ids as in the items)."""
    declared = {r.type: r for r in RESOURCES}
    world.add_subscription(tenant, subscription, "cis-golden", locations)
    groups: set[str] = set()
    for item in items:
        resource = declared[item.type]
        data = copy.deepcopy(item.data)
        data.pop("_cc_errors", None)
        subs = {d.key: data.pop(d.key) for d in resource.details if d.key in data}
        for type_, key in DETAIL_PERMISSIONS:  # sub-records the connector does not read
            if type_ == item.type:
                data.pop(key, None)
        if resource.api is Api.GRAPH:
            world.add_graph(tenant, resource.path.lower(), data)
            for detail in resource.details:
                if detail.key in subs:
                    world.add_graph(tenant, detail.path.format(id=data["id"]).lower(),
                                    *subs[detail.key])
            continue
        record_id = str(data["id"])
        parts = record_id.split("/")
        if len(parts) > 4 and parts[3].lower() == "resourcegroups":
            groups.add("/".join(parts[:5]))
        listed = resource.path.format(subscription=subscription)
        extra = () if resource.parent or resource.single or \
            record_id.lower().rsplit("/", 1)[0] == listed.lower() else (listed,)
        world.add(data, *extra)
        _add_details(world, resource, record_id, subs)
    for group in sorted(groups):
        world.add({"id": group, "name": group.rsplit("/", 1)[1], "location": locations[0],
                   "type": "Microsoft.Resources/resourceGroups",
                   "properties": {"provisioningState": "Succeeded"}})
