"""Management groups and the tenant's subscription list, as ARM documents them.

``GET /providers/Microsoft.Management/managementGroups/{groupId}/descendants`` answers every
group and subscription below the group, flat, each as ``{id, type, name, properties:
{displayName, parent: {id}}}`` (type ``Microsoft.Management/managementGroups`` or
``/subscriptions``), paged with ``$skiptoken`` in an absolute ``nextLink``; it needs Reader
(``Microsoft.Management/managementGroups/descendants/read``) at the group or above, else 403
``AuthorizationFailed``. ``GET /subscriptions`` lists the subscriptions the caller can read,
with their state and tags.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from cloudconnectors.demo.azure_sandbox.answers import Answer, arm_error, ok
from cloudconnectors.demo.azure_sandbox.world import App, Subscription, Token, World

__all__ = ["DESCENDANTS_ACTION", "handle_descendants", "handle_subscription_list",
           "subscription_record"]

DESCENDANTS_ACTION = "Microsoft.Management/managementGroups/descendants/read"
_GROUPS = "/providers/Microsoft.Management/managementGroups"


def subscription_record(sub: Subscription) -> dict[str, Any]:
    return {"id": f"/subscriptions/{sub.id}", "subscriptionId": sub.id,
            "tenantId": sub.tenant, "displayName": sub.name, "state": sub.state,
            "tags": dict(sub.tags),
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                     "quotaId": "PayAsYouGo_2014-09-01",
                                     "spendingLimit": "Off"},
            "authorizationSource": "RoleBased"}


def _paged(base: str, path: str, query: dict[str, str], items: list[dict[str, Any]],
           page_size: int) -> Answer:
    token = query.get("$skiptoken") or "0"
    start = int(token) if token.isdigit() else 0
    end = start + page_size
    body: dict[str, Any] = {"value": items[start:end]}
    if end < len(items):
        more = urlencode({"api-version": query["api-version"], "$skiptoken": end})
        body["nextLink"] = f"{base}{path}?{more}"
    return ok(body)


def handle_descendants(world: World, base: str, path: str, group_id: str,
                       query: dict[str, str], token: Token, app: App | None) -> Answer:
    group = world.groups.get(group_id.lower())
    scope = f"{_GROUPS}/{group_id}"
    if (app is None or group is None or group.tenant != token.tenant
            or not world.reads_group(app, group_id)):
        # ARM does not tell a missing group from one the caller may not read.
        return arm_error(403, "AuthorizationFailed",
                         f"The client '{token.client_id}' with object id '{token.client_id}' "
                         f"does not have authorization to perform action '{DESCENDANTS_ACTION}'"
                         f" over scope '{scope}' or the scope is invalid. If access was "
                         "recently granted, please refresh your credentials.")
    items: list[dict[str, Any]] = []
    below = [g for g in world.groups.values() if g.tenant == token.tenant
             and group.name.lower() in world.group_chain(g.parent)]
    for child in sorted(below, key=lambda g: g.name):
        items.append({"id": f"{_GROUPS}/{child.name}",
                      "type": "Microsoft.Management/managementGroups", "name": child.name,
                      "properties": {"displayName": child.display_name,
                                     "parent": {"id": f"{_GROUPS}/{child.parent}"}}})
    subs = [s for s in world.subscriptions.values() if s.tenant == token.tenant
            and group.name.lower() in world.group_chain(s.group)]
    for sub in sorted(subs, key=lambda s: s.id):
        items.append({"id": f"/subscriptions/{sub.id}", "type": "/subscriptions",
                      "name": sub.id,
                      "properties": {"displayName": sub.name,
                                     "parent": {"id": f"{_GROUPS}/{sub.group}"}}})
    return _paged(base, path, query, items, world.page_size)


def reads_subscription(world: World, app: App, sub: Subscription) -> bool:
    """The app's tenant-wide role, or Reader at a group above, and nothing fencing it off."""
    if sub.id in {b.lower() for b in app.blocked}:
        return False
    return bool(app.actions()) or world.reads_group(app, sub.group or "")


def handle_subscription_list(world: World, base: str, path: str, query: dict[str, str],
                             token: Token, app: App | None) -> Answer:
    visible = [subscription_record(s) for s in sorted(world.subscriptions.values(),
                                                       key=lambda s: s.id)
               if app is not None and s.tenant == token.tenant
               and reads_subscription(world, app, s)]
    return _paged(base, path, query, visible, world.page_size)
