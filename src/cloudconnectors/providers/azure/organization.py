"""Azure management groups: list the subscriptions below one, and name how each is entered.

One documented call lists the whole subtree, flat: ``GET /providers/Microsoft.Management/
managementGroups/{groupId}/descendants?api-version=2020-05-01`` (every group and subscription
below, each naming its parent group, paged with ``nextLink``). The member's path is rebuilt
from those parent links, root first. Tags and states come from one more paged call,
``GET /subscriptions`` (the subscriptions the app can read), rather than one GET per member.

Reader missing at the management group (403 ``AuthorizationFailed``) leaves nothing to list:
the organization connector goes offline with the role assignment to add. A tag list that
cannot be read makes the discovery incomplete (a tag filter would otherwise judge members
without their tags).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.providers.azure.client import Rest
from cloudconnectors.providers.azure.credentials import GUID_PATTERN, AzureCredentials
from cloudconnectors.providers.azure.faults import ApiError, classify
from cloudconnectors.providers.organizations import Member, MemberDiscovery

__all__ = ["DESCENDANTS_VERSION", "GROUP_PATTERN", "discover", "group_reader_command",
           "member_credentials"]

DESCENDANTS_VERSION = "2020-05-01"
SUBSCRIPTIONS_VERSION = "2022-12-01"
# Management group IDs: up to 90 letters, digits, hyphens, underscores, periods, parentheses.
GROUP_PATTERN = re.compile(r"^[A-Za-z0-9_().-]{1,90}$")
DESCENDANTS_ACTION = "Microsoft.Management/managementGroups/descendants/read"
_GROUPS = "/providers/Microsoft.Management/managementGroups/"
_GROUP_TYPE = "microsoft.management/managementgroups"
_SUBSCRIPTION_TYPES = frozenset({"/subscriptions",
                                 "microsoft.management/managementgroups/subscriptions"})
# Subscription states in which it can be read (Disabled and Deleted are read-only or gone).
_ACTIVE_STATES = frozenset({"enabled", "warned", "pastdue"})


def group_reader_command(application_id: str, group: str) -> str:
    return (f"az role assignment create --assignee {application_id} --role Reader "
            f"--scope {_GROUPS}{group}")


def _last(resource_id: object) -> str:
    return str(resource_id or "").rstrip("/").rsplit("/", 1)[-1]


def discover(arm: Rest, root: str, application_id: str) -> MemberDiscovery:
    """Every subscription below the management group ``root``, with the groups from the
    root down to its parent as its path and its tags."""
    if not GROUP_PATTERN.fullmatch(root or ""):
        raise CollectionFailed(
            f"the organization root {root!r} is not a management group ID (up to 90 letters, "
            "digits, -, _, ., parentheses; `az account management-group list` shows them); "
            "save the connector with the group's ID (the tenant root group's ID is the "
            "directory ID).")
    url = arm.url(f"{_GROUPS}{quote(root, safe='')}/descendants",
                  {"api-version": DESCENDANTS_VERSION})
    try:
        records = [r for page in arm.pages(url) for r in page]
    except ApiError as exc:
        if exc.status in (401, 403, 404):
            fault = classify(exc, DESCENDANTS_ACTION)
            raise AuthenticationFailed(
                f"the app {application_id} may not list management group {root} "
                f"({fault.reason}). Fix: assign it Reader at the management group: "
                f"`{group_reader_command(application_id, root)}`, then press Refresh."
            ) from None
        raise CollectionFailed(f"listing management group {root} failed: "
                               f"{classify(exc, DESCENDANTS_ACTION).reason}") from None
    except Exception as exc:
        raise CollectionFailed(f"listing management group {root} failed: "
                               f"{classify(exc, DESCENDANTS_ACTION).reason}") from None
    parents: dict[str, str] = {}
    subscriptions: list[tuple[str, str, str]] = []  # (id, display name, parent group)
    for record in records:
        kind = str(record.get("type") or "").lower()
        properties = record.get("properties") or {}
        parent = _last((properties.get("parent") or {}).get("id"))
        name = str(record.get("name") or _last(record.get("id")))
        if kind == _GROUP_TYPE:
            parents[name.lower()] = parent
        elif kind in _SUBSCRIPTION_TYPES and GUID_PATTERN.fullmatch(name):
            subscriptions.append((name.lower(), str(properties.get("displayName") or name),
                                  parent))
    problems: list[str] = []
    details = _subscription_details(arm, problems)
    members = []
    for subscription, display, parent in subscriptions:
        tags, state = details.get(subscription, ({}, "enabled"))
        members.append(Member(subscription, display, _path(root, parent, parents), tags,
                              active=state in _ACTIVE_STATES))
    return MemberDiscovery(tuple(members), complete=not problems, problems=tuple(problems))


def _path(root: str, parent: str, parents: Mapping[str, str]) -> tuple[str, ...]:
    chain: list[str] = []
    current = parent
    while current and current.lower() != root.lower() and len(chain) <= len(parents):
        chain.append(current)
        current = parents.get(current.lower(), "")
    return (root, *reversed(chain))


def _subscription_details(arm: Rest, problems: list[str]) -> dict[str, tuple[dict[str, str],
                                                                             str]]:
    url = arm.url("/subscriptions", {"api-version": SUBSCRIPTIONS_VERSION})
    try:
        records: Iterable[dict[str, Any]] = [r for page in arm.pages(url) for r in page]
    except Exception as exc:
        problems.append(f"the subscriptions' tags and states could not be read "
                        f"({classify(exc, 'Microsoft.Resources/subscriptions/read').reason}), "
                        "so tag filters could not be applied; press Refresh to try again.")
        return {}
    found = {}
    for record in records:
        subscription = str(record.get("subscriptionId") or _last(record.get("id"))).lower()
        tags = record.get("tags")
        found[subscription] = (
            {str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
            str(record.get("state") or "Enabled").lower())
    return found


def member_credentials(parent: AzureCredentials, member: Member) -> AzureCredentials:
    """The organization's own app, on the member's subscription (and the group holding it,
    so a refusal names the assignment that fixes it)."""
    group = member.path[-1] if member.path else None
    return parent.model_copy(update={"subscription_id": member.account.lower(),
                                     "management_group": group})
