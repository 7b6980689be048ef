"""What a GCP resource type *is*, as data; ``engine.py`` does everything else.

A declaration names the Cloud Asset Inventory type, the API (the first DNS label of its
host, ``compute``), the documented list path (``{project}`` filled in), where the items are
in a page, the permission the list needs and the role that grants it. Per-item reads (a
bucket's IAM policy, a dataset's full record) are :class:`Detail` entries. A type listed
under another (a dataset's tables, a key ring's keys) names its ``parent``; the path then
reads the parent item with ``{parent[name]}``. Helper types (KMS locations, Compute
regions) are declared with ``emit=False``: listed to reach their children, never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Detail", "ResourceType", "Role", "Shape"]

Item = dict[str, Any]


class Shape(StrEnum):
    LIST = "list"  # ``{items: [...], nextPageToken}``
    AGGREGATED = "aggregated"  # Compute ``{items: {scope: {items_key: [...], warning}}}``
    SINGLE = "single"  # the answer is the one record


class Role(StrEnum):
    """The predefined role whose permissions a read needs (DESIGN section 2)."""

    VIEWER = "roles/viewer"
    SECURITY_REVIEWER = "roles/iam.securityReviewer"


@dataclass(frozen=True)
class Detail:
    """One per-item read. Its answer goes under ``key`` (or replaces the listed summary
    when ``key`` is None, as BigQuery's ``datasets.get`` does). ``path`` is formatted with
    ``project`` and ``item``. A status in ``absent`` means "not configured": the key is
    stored as None. A refused or failed read goes under ``data["_cc_errors"][key]``."""

    key: str | None
    path: str
    permission: str
    method: str = "GET"
    body: Mapping[str, Any] | None = None
    role: Role = Role.VIEWER
    absent: frozenset[int] = frozenset({404})


@dataclass(frozen=True)
class ResourceType:
    type: str  # Cloud Asset Inventory name
    api: str  # first DNS label of the API host
    path: str  # documented path, formatted with ``project`` (and ``parent``)
    permission: str  # what the list call needs
    items: str = "items"  # key of the list in a page (the per-scope key when aggregated)
    shape: Shape = Shape.LIST
    id: str = "id"  # item key of the native id (falls back to name, then selfLink)
    name: str | None = "name"
    page_size_param: str | None = "pageSize"  # None: the API takes no page size
    params: Mapping[str, str] = field(default_factory=dict)  # formatted like ``path``
    details: tuple[Detail, ...] = ()
    parent: ResourceType | None = None
    role: Role = Role.VIEWER
    emit: bool = True
    # List statuses meaning "nothing configured": no asset, and the outcome stays OK.
    absent: frozenset[int] = frozenset()

    @property
    def service(self) -> str:
        """The Service Usage name of the API (``compute.googleapis.com``)."""
        return f"{self.api}.googleapis.com"

    def chain(self) -> tuple[ResourceType, ...]:
        """This type and its parents, outermost first."""
        return (*(self.parent.chain() if self.parent else ()), self)

    def permissions(self) -> tuple[tuple[str, Role], ...]:
        """Every permission a poll of this type may need (parents included), with its role."""
        found: dict[str, Role] = {}
        for resource in self.chain():
            found.setdefault(resource.permission, resource.role)
            for detail in resource.details:
                found.setdefault(detail.permission, detail.role)
        return tuple(found.items())
