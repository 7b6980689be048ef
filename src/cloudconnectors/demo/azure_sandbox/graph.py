"""Microsoft Graph v1.0: the directory objects and policies the identity controls read.

Each path needs one of the application permissions below (granted with admin consent); a
missing one answers 403 ``Authorization_RequestDenied`` as Graph does. Collections page with
an absolute ``@odata.nextLink``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from cloudconnectors.demo.azure_sandbox.answers import Answer, graph_error, ok
from cloudconnectors.demo.azure_sandbox.world import World

__all__ = ["handle_graph"]

# path -> application permissions any of which allows the read; singletons are objects.
PERMISSIONS = {
    "/v1.0/organization": ("Organization.Read.All", "Directory.Read.All"),
    "/v1.0/users": ("User.Read.All", "Directory.Read.All"),
    "/v1.0/policies/authorizationpolicy": ("Policy.Read.All",),
    "/v1.0/policies/identitysecuritydefaultsenforcementpolicy": ("Policy.Read.All",),
    "/v1.0/identity/conditionalaccess/policies": ("Policy.Read.All",),
    "/v1.0/identity/conditionalaccess/namedlocations": ("Policy.Read.All",),
    "/v1.0/reports/authenticationmethods/userregistrationdetails": ("AuditLog.Read.All",),
    "/v1.0/groupsettings": ("Directory.Read.All",),
    "/v1.0/directoryroles": ("RoleManagement.Read.Directory", "Directory.Read.All"),
    "/v1.0/directoryroles/*/members": ("RoleManagement.Read.Directory", "Directory.Read.All"),
    "/v1.0/policies/deviceregistrationpolicy": ("Policy.Read.DeviceConfiguration",),
}
SINGLETONS = frozenset({"/v1.0/policies/authorizationpolicy",
                        "/v1.0/policies/identitysecuritydefaultsenforcementpolicy",
                        "/v1.0/policies/deviceregistrationpolicy"})


def _pattern_of(key: str) -> str:
    """``/v1.0/directoryroles/<id>/members`` -> ``/v1.0/directoryroles/*/members``."""
    parts = key.split("/")
    if len(parts) == 5 and parts[2] == "directoryroles" and parts[4] == "members":
        return "/v1.0/directoryroles/*/members"
    return key


def handle_graph(world: World, base: str, path: str, authorization: str | None) -> Answer:
    split = urlsplit(path)
    key = split.path.rstrip("/").lower()
    query = {k: v[0] for k, v in parse_qs(split.query).items()}
    token = world.token(authorization, base)
    if token is None:
        return graph_error(401, "InvalidAuthenticationToken", "Access token validation failure.")
    app = world.app_of(token)
    needs = PERMISSIONS.get(_pattern_of(key))
    if needs is None:
        return graph_error(400, "BadRequest", f"Resource not found for the segment "
                           f"'{split.path.rsplit('/', 1)[-1]}'.")
    if app is None or not set(needs) & app.graph:
        return graph_error(403, "Authorization_RequestDenied",
                           "Insufficient privileges to complete the operation.")
    records = world.graph.get(token.tenant, {}).get(key, [])
    if key in SINGLETONS:
        return ok(records[0]) if records else graph_error(404, "Request_ResourceNotFound",
                                                          "Resource does not exist.")
    wanted = query.get("$filter", "")
    if "userType eq 'Guest'" in wanted:
        records = [r for r in records if r.get("userType") == "Guest"]
    start = int(query.get("$skiptoken") or 0)
    end = start + world.page_size
    body: dict[str, object] = {"@odata.context": f"{base}/v1.0/$metadata#{key}",
                               "value": records[start:end]}
    if end < len(records):
        next_query = {k: v for k, v in query.items() if k != "$skiptoken"}
        next_query["$skiptoken"] = str(end)
        body["@odata.nextLink"] = f"{base}{split.path}?{urlencode(next_query)}"
    return ok(body)
