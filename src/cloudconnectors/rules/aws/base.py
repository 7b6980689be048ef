"""Small helpers the AWS rule modules share: declaring a rule, reading times and lists."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from cloudconnectors.rules.aws.shapes import DETAIL_PERMISSIONS, LIST_PERMISSIONS
from cloudconnectors.rules.model import (
    AccountCheck,
    AccountRule,
    AccountVerdict,
    InventoryItem,
    Need,
    ResourceCheck,
    ResourceRule,
    Severity,
    Status,
    unreadable_reason,
)
from cloudconnectors.rules.snapshot import SnapshotView

PROVIDER = "aws"
NO_DATE = frozenset({"N/A", "no_information", "not_supported", "", None})


def resource_rule(*, id: str, title: str, severity: Severity, resource_type: str,
                  rationale: str, remediation: str, needs: Iterable[str] = ()
                  ) -> Callable[[ResourceCheck], ResourceRule]:
    """Turn a predicate into a rule; the decorated name is the rule, not the function.

    ``needs`` names the keys whose absence must answer MANUAL: detail keys (filled by a
    separate call, see ``DETAIL_PERMISSIONS``) and base-record keys whose absence would
    otherwise read as a pass or a fail (those name the list permission).
    """
    def wrap(check: ResourceCheck) -> ResourceRule:
        return ResourceRule(
            id=id, title=title, severity=severity, rationale=rationale,
            remediation=remediation, provider=PROVIDER, resource_type=resource_type,
            check=check, needs=tuple(Need(k, permission_for(resource_type, k)) for k in needs))
    return wrap


def permission_for(resource_type: str, key: str) -> str:
    """The call that fills ``key``: its detail call, else the listing of the type."""
    return DETAIL_PERMISSIONS.get((resource_type, key)) or LIST_PERMISSIONS[resource_type]


def account_rule(*, id: str, title: str, severity: Severity, resource_types: Iterable[str],
                 rationale: str, remediation: str) -> Callable[[AccountCheck], AccountRule]:
    def wrap(check: AccountCheck) -> AccountRule:
        return AccountRule(
            id=id, title=title, severity=severity, rationale=rationale,
            remediation=remediation, provider=PROVIDER, resource_types=tuple(resource_types),
            check=check)
    return wrap


def parse_time(value: object) -> datetime | None:
    """AWS times arrive as datetimes (boto3) or ISO strings (stored JSON, credential report)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or value in NO_DATE:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def as_document(value: object) -> dict[str, Any] | None:
    """A policy document as a dict, whether stored parsed or as its JSON text."""
    if isinstance(value, str):
        parsed = json.loads(value) if value.strip() else None
        return parsed if isinstance(parsed, dict) else None
    return value if isinstance(value, dict) else None


def as_list(value: object) -> list[Any]:
    """IAM policy fields are a string or a list of strings."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def account(status: Status, reason: str = "") -> AccountVerdict:
    return AccountVerdict(None, status, reason)


def on(item: InventoryItem, status: Status, reason: str = "") -> AccountVerdict:
    return AccountVerdict(item, status, reason)


def not_collected(type_: str) -> AccountVerdict:
    return account(Status.MANUAL, f"no {type_} in the inventory "
                                  f"(needs {LIST_PERMISSIONS.get(type_, 'collection')})")


def detail_missing(item: InventoryItem, key: str) -> str | None:
    """Why ``key`` is missing on an asset an account rule reads, or None when present."""
    reason = unreadable_reason(item.data, item.type, key, permission_for(item.type, key))
    return None if reason is None else f"{item.name or item.native_id}: {reason}"


def regions_lacking(view: SnapshotView, type_: str,
                    good: Callable[[InventoryItem], bool]) -> list[str]:
    """Covered regions with no asset of ``type_`` that is ``good``."""
    ok = {item.region for item in view.of(type_) if good(item)}
    return sorted(view.regions - ok)
