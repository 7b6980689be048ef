"""Which declarations a poll runs: what the rules read, or the full inventory.

The rules' contract (``PollContext.needs``: resource type -> detail keys) decides by default,
so a poll makes no call whose answer no rule reads: a type no rule (built-in or custom) can
read is not listed, and a per-item detail no rule reads is not fetched. ``full`` (the
``CLOUDCONNECTORS_AWS_INVENTORY=full`` option) keeps every declaration, for an inventory
that shows everything the role may read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cloudconnectors.providers.aws.declarations import ResourceType
from cloudconnectors.providers.base import Needs

__all__ = ["select"]


def select(resources: Sequence[ResourceType], needs: Needs | None) -> tuple[ResourceType, ...]:
    """The declarations (and their details) that ``needs`` reads; all of them for None."""
    if needs is None:
        return tuple(resources)
    chosen = []
    for resource in resources:
        wanted = [needs[t] for t in resource.types() if t in needs]
        if not wanted:
            continue
        keys = frozenset().union(*wanted)
        details = tuple(d for d in resource.details if d.key in keys)
        chosen.append(resource if details == resource.details
                      else replace(resource, details=details))
    return tuple(chosen)
