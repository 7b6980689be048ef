"""Microsoft Graph v1.0 (tenant-wide, ``global``): needs the optional application
permissions Directory.Read.All and Policy.Read.All with admin consent. Without them each
type is reported DENIED naming the permission, and the identity controls answer MANUAL."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import Api, ResourceType, Scope

DIRECTORY = "Directory.Read.All"
POLICY = "Policy.Read.All"
GRAPH_PERMISSIONS = (DIRECTORY, POLICY)


def _graph(type_: str, path: str, permission: str, *, single: bool = False,
           params: dict[str, str] | None = None) -> ResourceType:
    return ResourceType(type_, "graph", path, permission, api=Api.GRAPH, scope=Scope.GLOBAL,
                        single=single, name_key="displayName", params=params or {})


RESOURCES = (
    _graph("Microsoft.Graph/organization", "/v1.0/organization", DIRECTORY),
    _graph("Microsoft.Graph/users", "/v1.0/users", DIRECTORY, params={
        "$filter": "userType eq 'Guest'",
        "$select": "id,displayName,userPrincipalName,userType,accountEnabled,createdDateTime"}),
    _graph("Microsoft.Graph/authorizationPolicy", "/v1.0/policies/authorizationPolicy", POLICY,
           single=True),
    _graph("Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy",
           "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", POLICY, single=True),
    _graph("Microsoft.Graph/conditionalAccessPolicies", "/v1.0/identity/conditionalAccess/policies",
           POLICY),
)
