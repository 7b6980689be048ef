"""Small helpers the Azure rule modules share: declaring a rule, reading ARM records.

ARM records keep their settings under ``properties`` (camelCase, as the REST API returns them);
Graph records are flat. IDs are compared case-insensitively, because ARM does not keep the case
of resource group and provider segments stable across APIs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from cloudconnectors.rules.azure.shapes import DETAIL_PERMISSIONS, LIST_PERMISSIONS
from cloudconnectors.rules.model import (
    PASS,
    AccountCheck,
    AccountRule,
    AccountVerdict,
    Data,
    InventoryItem,
    Need,
    ResourceCheck,
    ResourceRule,
    Severity,
    Status,
    Verdict,
    failed,
    unreadable_reason,
)
from cloudconnectors.rules.snapshot import SnapshotView

PROVIDER = "azure"


def resource_rule(*, id: str, title: str, severity: Severity, resource_type: str,
                  rationale: str, remediation: str, needs: Iterable[str] = ()
                  ) -> Callable[[ResourceCheck], ResourceRule]:
    """Turn a predicate over one ARM/Graph record into a rule.

    ``needs`` names keys whose absence must answer MANUAL: sub-records (filled by a separate
    call, see ``DETAIL_PERMISSIONS``) and ``properties`` itself, without which every setting
    would read as "not set".
    """
    def wrap(check: ResourceCheck) -> ResourceRule:
        return ResourceRule(
            id=id, title=title, severity=severity, rationale=rationale,
            remediation=remediation, provider=PROVIDER, resource_type=resource_type,
            check=check, needs=tuple(Need(k, permission_for(resource_type, k)) for k in needs))
    return wrap


def account_rule(*, id: str, title: str, severity: Severity, resource_types: Iterable[str],
                 rationale: str, remediation: str) -> Callable[[AccountCheck], AccountRule]:
    """A rule over the whole subscription (and its tenant's Graph records)."""
    def wrap(check: AccountCheck) -> AccountRule:
        return AccountRule(
            id=id, title=title, severity=severity, rationale=rationale,
            remediation=remediation, provider=PROVIDER, resource_types=tuple(resource_types),
            check=check)
    return wrap


def permission_for(resource_type: str, key: str) -> str:
    """The call that fills ``key``: its sub-record call, else the listing of the type."""
    return DETAIL_PERMISSIONS.get((resource_type, key)) or LIST_PERMISSIONS[resource_type]


def props(data: Data) -> dict[str, Any]:
    """The ``properties`` object of an ARM record (empty when absent or not an object)."""
    value = data.get("properties")
    return value if isinstance(value, dict) else {}


def dig(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...``, or None as soon as a step is missing."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def lower(value: object) -> str:
    return value.lower() if isinstance(value, str) else ""


def guid_of(resource_id: object) -> str:
    """The last segment of an ARM ID (a role definition's GUID), lower-case."""
    return lower(resource_id).rstrip("/").rsplit("/", 1)[-1]


def parse_time(value: object) -> datetime | None:
    """ARM times are ISO strings; Key Vault attributes are epoch seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def approved_private_endpoint(properties: dict[str, Any]) -> Verdict:
    """PASS when the resource has an approved private endpoint connection."""
    connections = properties.get("privateEndpointConnections") or []
    for connection in connections if isinstance(connections, list) else []:
        status = dig(connection, "properties", "privateLinkServiceConnectionState", "status")
        if status == "Approved":
            return PASS
    return failed("no approved private endpoint connection")


def label(item: InventoryItem) -> str:
    return item.name or item.native_id


def account(status: Status, reason: str = "") -> AccountVerdict:
    return AccountVerdict(None, status, reason)


def on(item: InventoryItem, status: Status, reason: str = "") -> AccountVerdict:
    return AccountVerdict(item, status, reason)


def not_collected(type_: str) -> AccountVerdict:
    """A type the check needs is absent without a recorded denial: we cannot tell "none"
    from "not read", so a person must look."""
    return account(Status.MANUAL, f"no {type_} record in the inventory "
                                  f"(needs {LIST_PERMISSIONS.get(type_, 'collection')})")


def detail_missing(item: InventoryItem, key: str) -> str | None:
    """Why sub-record ``key`` is missing on an asset an account rule reads, or None."""
    reason = unreadable_reason(item.data, item.type, key, permission_for(item.type, key))
    return None if reason is None else f"{label(item)}: {reason}"


def by_id(items: Iterable[InventoryItem]) -> dict[str, InventoryItem]:
    """Assets by their ARM ID, lower-case."""
    return {lower(i.data.get("id") or i.native_id): i for i in items}


def singleton(view: SnapshotView, type_: str) -> InventoryItem | AccountVerdict:
    """The one record of a tenant- or subscription-wide type, or the MANUAL answer saying it
    was not collected."""
    item = view.one(type_)
    return item if item is not None else not_collected(type_)
