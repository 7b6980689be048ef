"""The role check: what the app's effective permissions on the subscription allow.

ARM answers ``GET /subscriptions/{id}/providers/Microsoft.Authorization/permissions`` with
blocks of ``actions`` / ``notActions`` (``*`` wildcards, case-insensitive); an action is
allowed when some block's actions match it and that block's notActions do not. From that,
the connector is in one of three modes: full posture (every declared ARM read allowed, as
with Reader), inventory only (the six actions of the product page), or insufficient.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from cloudconnectors.providers.azure.declarations import Api, ResourceType

__all__ = ["INVENTORY_ACTIONS", "Mode", "RoleCheck", "allowed", "check_role"]

INVENTORY_ACTIONS = (
    "Microsoft.Compute/virtualMachines/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Network/networkInterfaces/read",
    "Microsoft.Network/publicIPAddresses/read",
    "Microsoft.Network/virtualNetworks/read",
    "Microsoft.Network/networkSecurityGroups/read",
)


class Mode(StrEnum):
    FULL = "full"
    INVENTORY_ONLY = "inventory_only"
    INSUFFICIENT = "insufficient"


@cache
def _pattern(action: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(p) for p in action.split("*")) + "$",
                      re.IGNORECASE)


def _matches(action: str, patterns: Iterable[Any]) -> bool:
    return any(isinstance(p, str) and _pattern(p).match(action) for p in patterns)


def allowed(action: str, blocks: Sequence[dict[str, Any]]) -> bool:
    return any(_matches(action, b.get("actions") or ()) and
               not _matches(action, b.get("notActions") or ()) for b in blocks)


@dataclass(frozen=True)
class RoleCheck:
    mode: Mode
    missing_for_full: tuple[str, ...]
    missing_inventory: tuple[str, ...]

    @property
    def code(self) -> str | None:
        """Stored as the check's ``error_code`` so diagnostics can read the mode back."""
        return {Mode.FULL: None, Mode.INVENTORY_ONLY: "InventoryOnly",
                Mode.INSUFFICIENT: "InsufficientRole"}[self.mode]

    def describe(self) -> str:
        if self.mode is Mode.FULL:
            return "full posture: the app's role allows every read the connector makes"
        shown = ", ".join(self.missing_for_full[:6])
        more = len(self.missing_for_full) - 6
        tail = f" and {more} more" if more > 0 else ""
        if self.mode is Mode.INVENTORY_ONLY:
            return (f"inventory only: the role allows the six inventory actions but not "
                    f"{shown}{tail}; assign Reader for full posture")
        return ("insufficient: the role lacks inventory actions "
                f"{', '.join(self.missing_inventory)}")


def check_role(blocks: Sequence[dict[str, Any]], resources: Sequence[ResourceType]
               ) -> RoleCheck:
    arm_reads = dict.fromkeys(p for r in resources if r.api is Api.ARM for p in r.permissions())
    missing_full = tuple(a for a in arm_reads if not allowed(a, blocks))
    missing_inventory = tuple(a for a in INVENTORY_ACTIONS if not allowed(a, blocks))
    if missing_inventory:
        mode = Mode.INSUFFICIENT
    elif missing_full:
        mode = Mode.INVENTORY_ONLY
    else:
        mode = Mode.FULL
    return RoleCheck(mode, missing_full, missing_inventory)
