"""A read-only view of one snapshot, indexed by resource type, for account-level rules."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cloudconnectors.rules.model import Context, InventoryItem

GLOBAL = "global"


@dataclass(frozen=True)
class SnapshotView:
    """``regions`` are the regions the poll covered (from the run), or, when unknown, the
    regions seen on regional assets. ``denied`` holds (resource type, permission) pairs the
    poll was refused."""

    by_type: Mapping[str, Sequence[InventoryItem]]
    context: Context
    regions: frozenset[str] = frozenset()
    denied: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    @property
    def now(self) -> datetime:
        return self.context.now

    def of(self, type_: str) -> Sequence[InventoryItem]:
        return self.by_type.get(type_, ())

    def one(self, type_: str) -> InventoryItem | None:
        items = self.by_type.get(type_, ())
        return items[0] if items else None

    def by_region(self, type_: str) -> dict[str, list[InventoryItem]]:
        grouped: dict[str, list[InventoryItem]] = {}
        for item in self.of(type_):
            grouped.setdefault(item.region, []).append(item)
        return grouped


def covered_regions(given: Collection[str], items: Mapping[str, Sequence[InventoryItem]]
                    ) -> frozenset[str]:
    """The regions to demand "in every region" checks for."""
    if given:
        return frozenset(r for r in given if r != GLOBAL)
    return frozenset(i.region for seq in items.values() for i in seq if i.region != GLOBAL)
