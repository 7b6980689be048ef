"""Helpers the GCP rule modules share: declaring a rule, grouping a snapshot by project,
reading IAM policies, instance metadata and Google's RFC 3339 times.

A GCP connector reads several projects, and many CIS GCP recommendations are about a
project as a whole (audit logging, log metrics, OS Login, the default network). Those rules
answer once per project, on the project's own asset (``cloudresourcemanager.googleapis.com/
Project``), so every result names the project it concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from cloudconnectors.rules.gcp.shapes import (
    DETAIL_PERMISSIONS,
    IAM_POLICY,
    LIST_PERMISSIONS,
    PROJECT,
)
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
    Verdict,
    unreadable_reason,
)
from cloudconnectors.rules.snapshot import SnapshotView

PROVIDER = "gcp"
PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})


def resource_rule(*, id: str, title: str, severity: Severity, resource_type: str,
                  rationale: str, remediation: str, needs: Iterable[str] = ()
                  ) -> Callable[[ResourceCheck], ResourceRule]:
    """A predicate over one asset's record; ``needs`` names sub-records (``iamPolicy``) whose
    absence must answer MANUAL with the permission of the call that fills them."""
    def wrap(check: ResourceCheck) -> ResourceRule:
        return ResourceRule(
            id=id, title=title, severity=severity, rationale=rationale,
            remediation=remediation, provider=PROVIDER, resource_type=resource_type,
            check=check, needs=tuple(Need(k, permission_for(resource_type, k)) for k in needs))
    return wrap


def account_rule(*, id: str, title: str, severity: Severity, resource_types: Iterable[str],
                 rationale: str, remediation: str) -> Callable[[AccountCheck], AccountRule]:
    """A check over the snapshot; ``resource_types`` are the types it reads (a listing the
    poll could not make for one of them makes the answer MANUAL)."""
    def wrap(check: AccountCheck) -> AccountRule:
        return AccountRule(
            id=id, title=title, severity=severity, rationale=rationale,
            remediation=remediation, provider=PROVIDER, resource_types=tuple(resource_types),
            check=check)
    return wrap


def permission_for(resource_type: str, key: str) -> str:
    """The call that fills ``key``: its sub-record call, else the listing of the type."""
    return DETAIL_PERMISSIONS.get((resource_type, key)) or LIST_PERMISSIONS[resource_type]


# --- projects --------------------------------------------------------------------------------

def project_of(item: InventoryItem) -> str:
    """The project an asset lives in: the stored ``account``, else read from the record
    (``projectId``, a ``projects/<id>/...`` name or a self link)."""
    if item.account:
        return item.account
    data = item.data
    if data.get("projectId"):
        return str(data["projectId"])
    for field in ("selfLink", "name", "parent"):
        value = data.get(field)
        if isinstance(value, str) and "projects/" in value:
            return value.split("projects/", 1)[1].split("/", 1)[0]
    return ""


def by_project(items: Iterable[InventoryItem]) -> dict[str, list[InventoryItem]]:
    grouped: dict[str, list[InventoryItem]] = {}
    for item in items:
        grouped.setdefault(project_of(item), []).append(item)
    return grouped


class Projects:
    """The snapshot grouped by project, one type at a time on first use, so a check run
    for each of 500 projects does not scan 300,000 instances 500 times."""

    def __init__(self, view: SnapshotView) -> None:
        self.view = view
        self._grouped: dict[str, dict[str, list[InventoryItem]]] = {}
        self._lookups: dict[str, dict[str, InventoryItem]] = {}

    def of(self, type_: str, project: str) -> list[InventoryItem]:
        grouped = self._grouped.get(type_)
        if grouped is None:
            grouped = self._grouped[type_] = by_project(self.view.of(type_))
        return grouped.get(project, [])

    def lookup(self, type_: str, field: str) -> dict[str, InventoryItem]:
        """Assets of ``type_`` by the value of ``field`` (a bucket by its name), any project."""
        key = f"{type_}#{field}"
        found = self._lookups.get(key)
        if found is None:
            found = self._lookups[key] = {str(i.data.get(field, i.native_id)): i
                                          for i in self.view.of(type_)}
        return found


ProjectCheck = Callable[[InventoryItem, Projects], Verdict]


def per_project(view: SnapshotView, check: ProjectCheck,
                anchor_type: str = PROJECT) -> Iterator[AccountVerdict]:
    """One answer per project, on the project's asset of ``anchor_type``."""
    anchors = view.of(anchor_type)
    if not anchors:
        yield account(Status.MANUAL, f"no {anchor_type} in the inventory "
                      f"(needs {LIST_PERMISSIONS[anchor_type]})")
        return
    projects = Projects(view)
    for anchor in anchors:
        status, reason = check(anchor, projects)
        yield on(anchor, status, reason)


def project_policy(project: InventoryItem) -> tuple[dict[str, Any] | None, str | None]:
    """The project's IAM policy, or why it cannot be judged."""
    reason = unreadable_reason(project.data, PROJECT, IAM_POLICY,
                               permission_for(PROJECT, IAM_POLICY))
    if reason is not None:
        return None, reason
    policy = project.data.get(IAM_POLICY)
    return (policy if isinstance(policy, dict) else {}), None


# --- IAM policies ------------------------------------------------------------------------------

def bindings(policy: dict[str, Any] | None) -> Iterator[tuple[str, list[str]]]:
    """(role, members) of each binding; conditional bindings count like the others."""
    for binding in (policy or {}).get("bindings") or []:
        yield str(binding.get("role", "")), [str(m) for m in binding.get("members") or []]


def roles_by_member(policy: dict[str, Any] | None) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for role, members in bindings(policy):
        for member in members:
            found.setdefault(member, set()).add(role)
    return found


def public_members(policy: dict[str, Any] | None) -> list[str]:
    """``allUsers`` / ``allAuthenticatedUsers`` bindings as ``member (role)``."""
    return sorted(f"{m} ({role})" for role, members in bindings(policy)
                  for m in members if m in PUBLIC_MEMBERS)


# --- records -----------------------------------------------------------------------------------

def metadata_value(data: dict[str, Any], key: str, field: str = "metadata") -> str | None:
    """A value of an instance's ``metadata.items`` (or a project's ``commonInstanceMetadata``)."""
    for entry in (data.get(field) or {}).get("items") or []:
        if entry.get("key") == key:
            return str(entry.get("value", ""))
    return None


def is_true(value: str | None) -> bool:
    """Metadata booleans are strings: ``TRUE``, ``true``, ``1``."""
    return value is not None and value.strip().lower() in ("true", "1", "yes", "on")


def parse_time(value: object) -> datetime | None:
    """RFC 3339 with up to nanoseconds (``2026-01-02T03:04:05.123456789Z``)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def short(url: object) -> str:
    """The last path segment of a self link or resource name."""
    return str(url or "").rstrip("/").rsplit("/", 1)[-1]


def names(items: Sequence[InventoryItem], limit: int = 5) -> str:
    shown = [i.name or i.native_id for i in items[:limit]]
    more = len(items) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def account(status: Status, reason: str = "") -> AccountVerdict:
    return AccountVerdict(None, status, reason)


def on(item: InventoryItem, status: Status, reason: str = "") -> AccountVerdict:
    return AccountVerdict(item, status, reason)
