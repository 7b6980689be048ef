"""Which region an item belongs to, from the fields Google's records carry (pure)."""

from __future__ import annotations

import re
from typing import Any

from cloudconnectors.domain.assets import GLOBAL_REGION

__all__ = ["region_of", "zone_region"]

_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")
_IN_NAME = re.compile(r"/locations/([^/]+)/")
_FIELDS = ("zone", "region", "location", "locationId", "gceZone")


def zone_region(name: str) -> str:
    """``us-central1-a`` -> ``us-central1``; a region or other location is returned as is."""
    match = _ZONE.match(name)
    return match.group(1) if match else name


def _clean(value: str) -> str:
    name = value.rsplit("/", 1)[-1].lower()
    return GLOBAL_REGION if name in ("", "-", "global") else zone_region(name)


def region_of(item: dict[str, Any], scope: str | None = None) -> str:
    """The region of a record: its zone's region, its region or location; else the
    aggregated-list scope it came under (``zones/us-east1-b``); else ``global``."""
    for key in _FIELDS:
        value = item.get(key)
        if isinstance(value, str) and value:
            return _clean(value)
    name = item.get("name")
    if isinstance(name, str) and (match := _IN_NAME.search(name)):
        return _clean(match.group(1))
    if scope:
        return _clean(scope)
    return GLOBAL_REGION
