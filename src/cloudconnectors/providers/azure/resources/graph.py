"""Microsoft Graph v1.0 (tenant-wide, ``global``): needs optional application permissions
with admin consent. Without one, each type needing it is reported DENIED naming the
permission, and the identity controls answer MANUAL."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import Api, Detail, ResourceType, Scope

DIRECTORY = "Directory.Read.All"
POLICY = "Policy.Read.All"
AUDIT_LOG = "AuditLog.Read.All"
ROLES = "RoleManagement.Read.Directory"
DEVICES = "Policy.Read.DeviceConfiguration"
GRAPH_PERMISSIONS = (DIRECTORY, POLICY, AUDIT_LOG, ROLES, DEVICES)


def _graph(type_: str, path: str, permission: str, *, single: bool = False,
           params: dict[str, str] | None = None,
           details: tuple[Detail, ...] = ()) -> ResourceType:
    return ResourceType(type_, "graph", path, permission, api=Api.GRAPH, scope=Scope.GLOBAL,
                        single=single, name_key="displayName", params=params or {},
                        details=details)


RESOURCES = (
    _graph("Microsoft.Graph/organization", "/v1.0/organization", DIRECTORY),
    _graph("Microsoft.Graph/users", "/v1.0/users", DIRECTORY, params={
        "$select": "id,displayName,userPrincipalName,userType,accountEnabled,createdDateTime"}),
    _graph("Microsoft.Graph/userRegistrationDetails",
           "/v1.0/reports/authenticationMethods/userRegistrationDetails", AUDIT_LOG),
    _graph("Microsoft.Graph/groupSettings", "/v1.0/groupSettings", DIRECTORY),
    _graph("Microsoft.Graph/directoryRoles", "/v1.0/directoryRoles", ROLES, details=(
        Detail("members", "/v1.0/directoryRoles/{id}/members", None, ROLES, api=Api.GRAPH),)),
    _graph("Microsoft.Graph/authorizationPolicy", "/v1.0/policies/authorizationPolicy", POLICY,
           single=True),
    _graph("Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy",
           "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", POLICY, single=True),
    _graph("Microsoft.Graph/deviceRegistrationPolicy", "/v1.0/policies/deviceRegistrationPolicy",
           DEVICES, single=True),
    _graph("Microsoft.Graph/conditionalAccessPolicies", "/v1.0/identity/conditionalAccess/policies",
           POLICY),
    _graph("Microsoft.Graph/namedLocations", "/v1.0/identity/conditionalAccess/namedLocations",
           POLICY),
)
