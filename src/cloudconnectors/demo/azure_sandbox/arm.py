"""Azure Resource Manager: subscription, locations, permissions and every GET by ARM path.

Authorization is derived from the path the way ARM derives it: the resource provider
namespace and the resource type segments make the action (``GET .../providers/
Microsoft.KeyVault/vaults/v1/keys`` needs ``Microsoft.KeyVault/vaults/keys/read``), checked
against the caller's role with ``*`` wildcards. A refused read answers 403
``AuthorizationFailed`` naming the action, as ARM does.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from urllib.parse import parse_qs, urlencode, urlsplit

from cloudconnectors.demo.azure_sandbox.answers import Answer, arm_error, ok
from cloudconnectors.demo.azure_sandbox.groups import (
    handle_descendants,
    handle_subscription_list,
    subscription_record,
)
from cloudconnectors.demo.azure_sandbox.world import App, World

__all__ = ["handle_arm", "required_action"]

_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")
_SINGLETONS = frozenset({"default", "current", "web"})
_DESCENDANTS = re.compile(
    r"^/providers/microsoft\.management/managementgroups/([^/]+)/descendants$")


def required_action(path: str) -> str | None:
    """The ``.../read`` action a GET of ``path`` needs; None for what any assignee may read
    (the subscription itself, its locations, the caller's own permissions)."""
    segments = [s for s in path.split("/") if s]
    lowered = [s.lower() for s in segments]
    if "providers" not in lowered:
        # /subscriptions/{s}[/resourcegroups[/{rg}]] or /subscriptions/{s}/locations
        if len(segments) >= 3 and lowered[2] == "resourcegroups":
            return "Microsoft.Resources/subscriptions/resourceGroups/read"
        return None
    last = len(lowered) - 1 - lowered[::-1].index("providers")
    namespace, rest = segments[last + 1], segments[last + 2:]
    types = rest[0::2]
    if namespace.lower() == "microsoft.authorization" and types[:1] == ["permissions"]:
        return None
    return "/".join([namespace, *types, "read"])


def _allowed(app: App, action: str) -> bool:
    return any(fnmatchcase(action.lower(), pattern.lower()) for pattern in app.actions())


def handle_arm(world: World, base: str, path: str, authorization: str | None) -> Answer:
    split = urlsplit(path)
    query = {k: v[0] for k, v in parse_qs(split.query).items()}
    token = world.token(authorization, base)
    if token is None:
        return arm_error(401, "InvalidAuthenticationToken",
                         "The access token is missing, invalid, or issued for another audience.")
    version = query.get("api-version")
    if not version:
        return arm_error(400, "MissingApiVersionParameter",
                         "The api-version query parameter (?api-version=) is required for all "
                         "requests.")
    if not _API_VERSION.match(version):
        return arm_error(400, "InvalidApiVersionParameter",
                         f"The api-version '{version}' is invalid. The supported versions are "
                         "dates like '2022-12-01'.")
    key = split.path.rstrip("/").lower()
    segments = key.split("/")
    app = world.app_of(token)
    if _DESCENDANTS.match(key):
        group_id = split.path.rstrip("/").split("/")[-2]
        return handle_descendants(world, base, split.path, group_id, query, token, app)
    if key == "/subscriptions":
        return handle_subscription_list(world, base, split.path, query, token, app)
    if len(segments) >= 3 and segments[1] == "providers":  # tenant level
        if app is None or not app.actions():
            return arm_error(403, "AuthorizationFailed", f"The client '{token.client_id}' has "
                             "no role assignment in this tenant.")
        return _read(world, base, split.path, key, query, app, segments)
    if len(segments) < 3 or segments[1] != "subscriptions":
        return arm_error(404, "NotFound", f"No HTTP resource was found for '{split.path}'.")
    sub = world.subscriptions.get(segments[2])
    if (sub is None or app is None or sub.tenant != token.tenant or not app.actions()
            or sub.id in {b.lower() for b in app.blocked}):
        return arm_error(404, "SubscriptionNotFound",
                         f"The subscription '{segments[2]}' could not be found.")
    if len(segments) == 3:
        return ok(subscription_record(sub))
    if key == f"/subscriptions/{sub.id}/locations":
        return ok({"value": [_location(sub.id, name) for name in sub.locations]})
    if key == f"/subscriptions/{sub.id}/providers/microsoft.authorization/permissions":
        return ok({"value": [{"actions": app.actions(), "notActions": [], "dataActions": [],
                              "notDataActions": []}]})
    return _read(world, base, split.path, key, query, app, segments)


def _authorize(app: App, path: str) -> Answer | None:
    action = required_action(path)
    if action is None or _allowed(app, action):
        return None
    return arm_error(403, "AuthorizationFailed",
                     f"The client '{app.client_id}' with object id '{app.client_id}' does "
                     f"not have authorization to perform action '{action}' over scope "
                     f"'{path}' or the scope is invalid. If access was recently "
                     "granted, please refresh your credentials.")


def _read(world: World, base: str, path: str, key: str, query: dict[str, str], app: App,
          segments: list[str]) -> Answer:
    denied = _authorize(app, path)
    if denied is not None:
        return denied
    if key in world.records:
        return ok(world.records[key])
    if segments[-1] in _SINGLETONS or _names_a_record(segments):
        return arm_error(404, "ResourceNotFound", f"The Resource '{path}' was not found.")
    return _page(world, base, path, key, query)


def _names_a_record(segments: list[str]) -> bool:
    """``.../providers/<ns>/<type>/<name>``: an odd count of segments after the namespace."""
    if "providers" not in segments:
        return len(segments) == 5  # /subscriptions/{s}/resourcegroups/{rg}
    last = len(segments) - 1 - segments[::-1].index("providers")
    return len(segments[last + 2:]) % 2 == 0


def _location(sub: str, name: str) -> dict[str, object]:
    return {"id": f"/subscriptions/{sub}/locations/{name}", "name": name, "type": "Region",
            "displayName": name, "regionalDisplayName": name,
            "metadata": {"regionType": "Physical", "regionCategory": "Recommended"}}


def _page(world: World, base: str, path: str, key: str, query: dict[str, str]) -> Answer:
    ids = world.collections.get(key, [])
    start = int(query.get("$skiptoken") or 0)
    end = start + world.page_size
    body: dict[str, object] = {"value": [world.records[i] for i in ids[start:end]]}
    if end < len(ids):
        next_query = {"api-version": query["api-version"], "$skiptoken": str(end)}
        body["nextLink"] = f"{base}{path.split('?', 1)[0]}?{urlencode(next_query)}"
    return ok(body)
