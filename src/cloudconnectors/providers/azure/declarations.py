"""What a collected Azure type *is*, as data; ``engine.py`` does the rest.

A :class:`ResourceType` names the ARM type, the list path (subscription-wide), the pinned
api-version and the permission the list needs (the ARM action, or for Microsoft Graph the
application permission). :class:`Detail` entries are per-item sub-records merged into the
asset's data (a VM's extensions, a storage account's blob service, a SQL database's TDE),
read relative to the item's ARM ID. ``parent`` lists a child type under every item of
another collection (flow logs under network watchers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Api", "Detail", "ResourceType", "Scope", "by_name"]


class Api(StrEnum):
    ARM = "arm"
    GRAPH = "graph"


class Scope(StrEnum):
    REGIONAL = "regional"  # region = the record's location
    GLOBAL = "global"  # subscription- or tenant-wide: region ``global``


@dataclass(frozen=True)
class Detail:
    key: str  # where the sub-record goes in the asset's data
    # ARM: relative to the item's ID ("extensions", "blobServices/default"); Graph: a path
    # template with ``{id}`` ("/v1.0/directoryRoles/{id}/members").
    path: str
    api_version: str | None
    action: str  # the ARM action or Graph permission the read needs
    many: bool = True  # a list (its ``value``, all pages) rather than one record
    transform: Callable[[Any], Any] | None = None
    each: tuple[Detail, ...] = ()  # details of every listed sub-record
    api: Api = Api.ARM


@dataclass(frozen=True)
class ResourceType:
    type: str  # the ARM type, or Microsoft.Graph/<collection> for directory objects
    service: str  # short service label for results and diagnostics
    # "/subscriptions/{subscription}/providers/...", a tenant-level "/providers/...", or for
    # Graph "/v1.0/..."
    path: str
    permission: str  # ARM action or Graph application permission the list needs
    api_version: str | None = None  # ARM only (Graph is versioned in the path)
    api: Api = Api.ARM
    scope: Scope = Scope.REGIONAL
    details: tuple[Detail, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)
    # A child type: ``path`` is listed under each item of the ``parent`` collection path,
    # which needs ``parent_permission`` (and ``parent_api_version``, default the type's).
    parent: str | None = None
    parent_permission: str | None = None
    parent_api_version: str | None = None
    single: bool = False  # a singleton (Graph policy, ARM ``.../default``): one record
    name_key: str = "name"
    # Among the six inventory actions the product page lists (works without Reader).
    inventory: bool = False

    def permissions(self) -> tuple[str, ...]:
        """Every permission this type's reads may need, the list's first."""
        found = [self.permission, *([self.parent_permission] if self.parent_permission else [])]

        def walk(details: tuple[Detail, ...]) -> None:
            for detail in details:
                found.append(detail.action)
                walk(detail.each)

        walk(self.details)
        return tuple(dict.fromkeys(found))


def by_name(records: Any) -> dict[str, Any]:
    """``[{name, properties: {value}}]`` -> ``{name: value}`` (server configurations)."""
    if not isinstance(records, list):
        return {}
    return {str(r.get("name")): (r.get("properties") or {}).get("value")
            for r in records if isinstance(r, dict)}
