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
    ``account`` is the project or subscription the resource lives in when one connector
    reads several (a GCP connector sees every project its key can list); None means the
    connector's own account.
    """

    type: str
    region: str
    native_id: str
    name: str | None
    data: dict[str, Any]
    account: str | None = None


GLOBAL_REGION = "global"


def asset_key(
    connector_id: str, type_: str, region: str, native_id: str, account: str | None = None
) -> str:
    """Stable identity of a resource across snapshots, so history can follow it.

    ``account`` joins the key only when set, so single-account keys stay what they were and
    two projects holding a resource of the same name never collide.
    """
    text = f"{connector_id}\x1f{type_}\x1f{region}\x1f{native_id}"
    if account is not None:
        text += f"\x1f{account}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]
