"""Normalized inventory items, as a collector emits them and rules read them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CollectedAsset:
    """One resource with its raw API record.

    ``type`` is the cloud's own canonical name (``AWS::EC2::Instance``,
    ``compute.googleapis.com/Instance``, ``Microsoft.Compute/virtualMachines``).
    ``region`` is ``global`` for account-wide resources.
    """

    type: str
    region: str
    native_id: str
    name: str | None
    data: dict[str, Any]


GLOBAL_REGION = "global"


def asset_key(connector_id: str, type_: str, region: str, native_id: str) -> str:
    """Stable identity of a resource across snapshots, so history can follow it."""
    digest = hashlib.sha256(f"{connector_id}\x1f{type_}\x1f{region}\x1f{native_id}".encode())
    return digest.hexdigest()[:32]
