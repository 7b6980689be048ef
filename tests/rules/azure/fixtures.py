"""A small, fully compliant Azure subscription (and its tenant) as stored inventory.

Every built-in Azure rule passes (or is not applicable) on ``good_subscription()``;
``breakers.BREAKERS`` holds, per rule, a mutation that makes it fail. Records follow the ARM and
Microsoft Graph REST shapes named in ``cloudconnectors.rules.azure.shapes``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cloudconnectors.rules.model import InventoryItem

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SUB = "5b0c2c1e-1f1a-4c59-9d0e-0000000c1500"
SUB_ID = f"/subscriptions/{SUB}"
RG = f"{SUB_ID}/resourceGroups/prod"
REGIONS = ("eastus", "westeurope")
LAW = f"{RG}/providers/Microsoft.OperationalInsights/workspaces/security"
ACCESS_POLICY_RULES = frozenset({"azure.keyvault.access_policy_key_expiry",
                                 "azure.keyvault.access_policy_secret_expiry"})
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def arm_id(provider_type: str, name: str) -> str:
    return f"{RG}/providers/{provider_type}/{name}"


def item(type_: str, name: str, data: dict[str, Any], region: str = "eastus",
         native_id: str | None = None) -> InventoryItem:
    rid = native_id or data.get("id") or arm_id(type_, name)
    data.setdefault("id", rid)
    if region != "global":
        data.setdefault("location", region)
    data.setdefault("name", name)
    data.setdefault("type", type_)
    return InventoryItem(f"{type_}|{region}|{rid}", type_, region, rid, name, data)


def graph(type_: str, native_id: str, data: dict[str, Any]) -> InventoryItem:
    data.setdefault("id", native_id)
    name = data.get("displayName") or data.get("userPrincipalName") or native_id
    return InventoryItem(f"{type_}|global|{native_id}", type_, "global", native_id, name, data)


def diagnostic(categories: list[str], *, group: bool = False) -> dict[str, Any]:
    key = "categoryGroup" if group else "category"
    return {"name": "to-law", "properties": {"workspaceId": LAW, "logs": [
        {key: c, "enabled": True} for c in categories]}}


def endpoint() -> list[dict[str, Any]]:
    return [{"properties": {"privateLinkServiceConnectionState": {"status": "Approved"}}}]


def _storage(name: str, region: str) -> InventoryItem:
    return item("Microsoft.Storage/storageAccounts", name, {
        "location": region, "kind": "StorageV2", "sku": {"name": "Standard_GRS"},
        "properties": {
            "supportsHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
            "allowBlobPublicAccess": False, "allowSharedKeyAccess": False,
            "publicNetworkAccess": "Disabled", "defaultToOAuthAuthentication": True,
            "allowCrossTenantReplication": False,
            "networkAcls": {"defaultAction": "Deny", "bypass": "Logging, AzureServices"},
            "privateEndpointConnections": endpoint(),
            "keyPolicy": {"keyExpirationPeriodInDays": 90},
            "keyCreationTime": {"key1": ago(10), "key2": ago(20)},
            "encryption": {"keySource": "Microsoft.Keyvault"}},
        "blobServiceProperties": {"properties": {
            "deleteRetentionPolicy": {"enabled": True, "days": 7},
            "containerDeleteRetentionPolicy": {"enabled": True, "days": 7},
            "isVersioningEnabled": True}},
        "fileServiceProperties": {"properties": {
            "shareDeleteRetentionPolicy": {"enabled": True, "days": 7},
            "protocolSettings": {"smb": {"versions": "SMB3.1.1",
                                         "channelEncryption": "AES-256-GCM"}}}},
    }, region=region)


def _key(name: str) -> dict[str, Any]:
    return {"name": name, "properties": {
        "attributes": {"enabled": True, "exp": int((NOW + timedelta(days=300)).timestamp())},
        "rotationPolicy": {"lifetimeActions": [{"action": {"type": "Rotate"},
                                                "trigger": {"timeAfterCreate": "P90D"}}]}}}


def _vault(name: str, rbac: bool) -> InventoryItem:
    return item("Microsoft.KeyVault/vaults", name, {
        "location": "eastus", "properties": {
            "enableRbacAuthorization": rbac, "enableSoftDelete": True,
            "enablePurgeProtection": True, "publicNetworkAccess": "Disabled",
            "privateEndpointConnections": endpoint()},
        "keys": [_key("signing")],
        "secrets": [{"name": "db-password", "properties": {"attributes": {
            "enabled": True, "exp": int((NOW + timedelta(days=60)).timestamp())}}}],
        "certificates": [{"name": "web", "policy": {"x509_props": {"validity_months": 12}}}],
        "diagnosticSettings": [diagnostic(["audit"], group=True)],
    })


def _nsg(name: str, region: str) -> InventoryItem:
    return item("Microsoft.Network/networkSecurityGroups", name, {
        "location": region, "properties": {"securityRules": [
            {"name": "ssh-from-office", "properties": {
                "protocol": "Tcp", "sourceAddressPrefix": "203.0.113.0/24",
                "destinationPortRange": "22", "access": "Allow", "direction": "Inbound",
                "priority": 100}},
            {"name": "deny-all", "properties": {
                "protocol": "*", "sourceAddressPrefix": "*", "destinationPortRange": "*",
                "access": "Deny", "direction": "Inbound", "priority": 4096}}]}}, region=region)


def _vnet(name: str, region: str) -> InventoryItem:
    nsg = arm_id("Microsoft.Network/networkSecurityGroups", f"nsg-{region}")
    subnets = [{"name": n, "properties": {"networkSecurityGroup": {"id": nsg}}}
               for n in ("app", "dbx-host", "dbx-container")]
    subnets.append({"name": "GatewaySubnet", "properties": {}})
    return item("Microsoft.Network/virtualNetworks", name, {
        "location": region, "properties": {
            "subnets": subnets, "enableDdosProtection": True,
            "ddosProtectionPlan": {"id": arm_id("Microsoft.Network/ddosProtectionPlans",
                                                "ddos")}}}, region=region)


def watcher_id(region: str) -> str:
    return (f"{SUB_ID}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/"
            f"networkWatchers/NetworkWatcher_{region}")


def _flow_log(target_type: str, target: str, region: str) -> InventoryItem:
    name = f"fl-{target.rsplit('/', 1)[-1]}"
    rid = f"{watcher_id(region)}/flowLogs/{name}"
    return item("Microsoft.Network/networkWatchers/flowLogs", name, {
        "location": region, "properties": {
            "targetResourceId": target, "enabled": True,
            "retentionPolicy": {"days": 90, "enabled": True},
            "flowAnalyticsConfiguration": {"networkWatcherFlowAnalyticsConfiguration": {
                "enabled": True, "workspaceResourceId": LAW}}}}, region=region, native_id=rid)


def _alert(name: str, field: str, value: str) -> InventoryItem:
    return item("Microsoft.Insights/activityLogAlerts", name, {
        "location": "global", "properties": {
            "enabled": True, "scopes": [SUB_ID],
            "condition": {"allOf": [{"field": "category", "equals": "Administrative"},
                                    {"field": field, "equals": value}]
                          if field == "operationName" else [{"field": field, "equals": value}]},
            "actions": {"actionGroups": [{"actionGroupId": arm_id(
                "microsoft.insights/actionGroups", "secops")}]}}}, region="global")


OPERATIONS = (
    "Microsoft.Authorization/policyAssignments/write",
    "Microsoft.Authorization/policyAssignments/delete",
    "Microsoft.Network/networkSecurityGroups/write",
    "Microsoft.Network/networkSecurityGroups/delete",
    "Microsoft.Security/securitySolutions/write",
    "Microsoft.Security/securitySolutions/delete",
    "Microsoft.Sql/servers/firewallRules/write",
    "Microsoft.Sql/servers/firewallRules/delete",
    "Microsoft.Network/publicIPAddresses/write",
    "Microsoft.Network/publicIPAddresses/delete",
)
PLANS = ("CloudPosture", "Api", "VirtualMachines", "Containers", "StorageAccounts",
         "AppServices", "CosmosDbs", "OpenSourceRelationalDatabases", "SqlServers",
         "SqlServerVirtualMachines", "KeyVaults", "Arm")


def _pricing(plan: str) -> InventoryItem:
    data: dict[str, Any] = {"properties": {"pricingTier": "Standard"}}
    if plan == "VirtualMachines":
        data["properties"]["subPlan"] = "P2"
        data["properties"]["extensions"] = [
            {"name": "AgentlessVmScanning", "isEnabled": "True"},
            {"name": "FileIntegrityMonitoring", "isEnabled": "True"},
            {"name": "MdeDesignatedSubscription", "isEnabled": "False"}]
    return item("Microsoft.Security/pricings", plan, data, region="global",
                native_id=f"{SUB_ID}/providers/Microsoft.Security/pricings/{plan}")


def _assignment(name: str, role: str, principal: str, scope: str = SUB_ID) -> InventoryItem:
    return item("Microsoft.Authorization/roleAssignments", name, {"properties": {
        "roleDefinitionId": f"{SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/{role}",
        "principalId": principal, "principalType": "User", "scope": scope}}, region="global",
        native_id=f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}")


def _role_definition(name: str, role_name: str, actions: list[str], custom: bool,
                     scopes: list[str]) -> InventoryItem:
    return item("Microsoft.Authorization/roleDefinitions", name, {"properties": {
        "roleName": role_name, "type": "CustomRole" if custom else "BuiltInRole",
        "permissions": [{"actions": actions, "notActions": []}],
        "assignableScopes": scopes}}, region="global",
        native_id=f"{SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/{name}")


def _ca(name: str, **fields: Any) -> InventoryItem:
    conditions = {"users": {"includeUsers": ["All"], "excludeUsers": ["breakglass-1"]},
                  "applications": {"includeApplications": ["All"]},
                  "clientAppTypes": ["all"]}
    conditions.update(fields.pop("conditions", {}))
    data = {"displayName": name, "state": "enabled", "conditions": conditions,
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    data.update(fields)
    return graph("Microsoft.Graph/conditionalAccessPolicies", f"ca-{name}", data)


def _tenant() -> list[InventoryItem]:
    return [
        graph("Microsoft.Graph/authorizationPolicy", "authorizationPolicy", {
            "allowInvitesFrom": "adminsAndGuestInviters",
            "guestUserRoleId": "2af84b1e-32c8-42b7-82bc-daa82404023b",
            "defaultUserRolePermissions": {
                "allowedToCreateApps": False, "allowedToCreateSecurityGroups": False,
                "allowedToCreateTenants": False, "allowedToReadOtherUsers": True,
                "permissionGrantPoliciesAssigned": [
                    "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed"]}}),
        graph("Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy",
              "00000000-0000-0000-0000-000000000005", {"isEnabled": True}),
        _ca("mfa-all"),
        _ca("mfa-risky", conditions={"signInRiskLevels": ["high", "medium"]}),
        _ca("mfa-management", conditions={"applications": {"includeApplications": [
            "797f4846-ba00-4fd7-ba43-dac1f8f63013"]}}),
        _ca("mfa-admin-portals", conditions={"applications": {"includeApplications": [
            "MicrosoftAdminPortals"]}}),
        _ca("block-device-code", conditions={"authenticationFlows": {
            "transferMethods": "deviceCodeFlow"}},
            grantControls={"operator": "OR", "builtInControls": ["block"]}),
        graph("Microsoft.Graph/namedLocations", "loc-office", {
            "@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "office",
            "isTrusted": True, "ipRanges": [{"cidrAddress": "203.0.113.0/24"}]}),
        graph("Microsoft.Graph/deviceRegistrationPolicy", "deviceRegistrationPolicy",
              {"multiFactorAuthConfiguration": "required"}),
        graph("Microsoft.Graph/groupSettings", "gs-password", {
            "displayName": "Password Rule Settings",
            "templateId": "5cf42378-d67d-4f36-ba46-e8b86229381d", "values": [
                {"name": "LockoutThreshold", "value": "5"},
                {"name": "LockoutDurationInSeconds", "value": "120"},
                {"name": "EnableBannedPasswordCheck", "value": "True"},
                {"name": "BannedPasswordList", "value": "contoso\tfabrikam"}]}),
        graph("Microsoft.Graph/groupSettings", "gs-unified", {
            "displayName": "Group.Unified",
            "templateId": "62375ab9-6b52-47ed-826b-58e47e0e304b",
            "values": [{"name": "EnableGroupCreation", "value": "false"}]}),
        graph("Microsoft.Graph/directoryRoles", "role-ga", {
            "displayName": "Global Administrator",
            "roleTemplateId": "62e90394-69f5-4237-9190-012177145e10",
            "members": [{"id": "u-alice", "userPrincipalName": "alice@example.com"},
                        {"id": "u-bob", "userPrincipalName": "bob@example.com"}]}),
        *[graph("Microsoft.Graph/users", uid, {"userPrincipalName": upn, "accountEnabled": on,
                                               "userType": kind})
          for uid, upn, on, kind in (("u-alice", "alice@example.com", True, "Member"),
                                     ("u-bob", "bob@example.com", True, "Member"),
                                     ("u-carol", "carol@example.com", False, "Member"),
                                     ("u-guest", "guest_x#EXT#@example.com", True, "Guest"))],
        *[graph("Microsoft.Graph/userRegistrationDetails", uid, {
            "userPrincipalName": upn, "isMfaRegistered": True, "isMfaCapable": True})
          for uid, upn in (("u-alice", "alice@example.com"), ("u-bob", "bob@example.com"))],
        InventoryItem("microsoft.aadiam/diagnosticSettings|global|entra-to-law",
                      "microsoft.aadiam/diagnosticSettings", "global", "entra-to-law",
                      "entra-to-law", {
                          "id": "/providers/microsoft.aadiam/diagnosticSettings/entra-to-law",
                          "name": "entra-to-law", **diagnostic(
                              ["AuditLogs", "SignInLogs", "MicrosoftGraphActivityLogs"])}),
    ]


def good_subscription() -> list[InventoryItem]:
    """Every rule passes (or is not applicable) on this. Its vaults all use RBAC, so the
    access-policy vault rules are not applicable here (``ACCESS_POLICY_RULES``)."""
    activity_store = arm_id("Microsoft.Storage/storageAccounts", "activitylogs")
    items: list[InventoryItem] = [
        _storage("activitylogs", "eastus"), _storage("appdata", "westeurope"),
        _vault("kv-rbac", rbac=True), _vault("kv-second", rbac=True),
        item("Microsoft.Web/sites", "web", {"kind": "app", "properties": {"httpsOnly": True},
                                            "diagnosticSettings": [diagnostic(
                                                ["AppServiceHTTPLogs"])]}),
        item("Microsoft.Web/sites", "func", {"kind": "functionapp", "properties": {},
                                             "diagnosticSettings": []}),
        item("Microsoft.Databricks/workspaces", "dbx", {"sku": {"name": "premium"},
                                                        "properties": {
            "publicNetworkAccess": "Disabled", "privateEndpointConnections": endpoint(),
            "parameters": {
                "customVirtualNetworkId": {"value": arm_id(
                    "Microsoft.Network/virtualNetworks", "vnet-eastus")},
                "customPublicSubnetName": {"value": "dbx-host"},
                "customPrivateSubnetName": {"value": "dbx-container"},
                "enableNoPublicIp": {"value": True}},
            "encryption": {"entities": {"managedServices": {
                "keySource": "Microsoft.Keyvault"}}}},
            "diagnosticSettings": [diagnostic(["accounts", "clusters", "jobs"])]}),
        item("Microsoft.Insights/diagnosticSettings", "activity-export", {
            "properties": {"storageAccountId": activity_store, "workspaceId": LAW,
                           "logs": [{"category": c, "enabled": True} for c in (
                               "Administrative", "Security", "ServiceHealth", "Alert",
                               "Recommendation", "Policy", "Autoscale", "ResourceHealth")]}},
            region="global",
            native_id=f"{SUB_ID}/providers/microsoft.insights/diagnosticSettings/export"),
        *[_alert(f"alert-{i}", "operationName", op) for i, op in enumerate(OPERATIONS)],
        _alert("service-health", "category", "ServiceHealth"),
        item("Microsoft.Insights/components", "appinsights", {"kind": "web",
                                                              "properties": {}}),
        item("Microsoft.Network/applicationGateways", "agw", {"properties": {
            "sku": {"name": "WAF_v2", "tier": "WAF_v2"}, "enableHttp2": True,
            "firewallPolicy": {"id": arm_id(
                "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "waf")},
            "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"}}}),
        item("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "waf", {
            "properties": {"policySettings": {"state": "Enabled", "mode": "Prevention",
                                              "requestBodyCheck": True},
                           "managedRules": {"managedRuleSets": [
                               {"ruleSetType": "OWASP", "ruleSetVersion": "3.2"},
                               {"ruleSetType": "Microsoft_BotManagerRuleSet",
                                "ruleSetVersion": "1.0"}]}}}),
        item("Microsoft.Network/bastionHosts", "bastion", {"properties": {}}),
        item("Microsoft.Network/virtualNetworkGateways", "vpn", {"properties": {
            "gatewayType": "Vpn", "vpnClientConfiguration": {
                "vpnAuthenticationTypes": ["AAD"], "aadTenant": "https://login/x"}}}),
        *[_pricing(p) for p in PLANS],
        item("Microsoft.Security/securityContacts", "default", {"properties": {
            "emails": "secops@example.com", "isEnabled": True,
            "notificationsByRole": {"state": "On", "roles": ["Owner"]},
            "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "High"},
                                     {"sourceType": "AttackPath",
                                      "minimalRiskLevel": "Critical"}]}}, region="global",
            native_id=f"{SUB_ID}/providers/Microsoft.Security/securityContacts/default"),
        item("Microsoft.Security/settings", "WDATP", {"kind": "DataExportSettings",
                                                      "properties": {"enabled": True}},
             region="global", native_id=f"{SUB_ID}/providers/Microsoft.Security/settings/WDATP"),
        item("Microsoft.Security/serverVulnerabilityAssessmentsSettings", "AzureServersSetting",
             {"kind": "AzureServersSetting", "properties": {"selectedProvider": "MdeTvm"}},
             region="global", native_id=f"{SUB_ID}/providers/Microsoft.Security/"
             "serverVulnerabilityAssessmentsSettings/AzureServersSetting"),
        item("Microsoft.Authorization/policyAssignments", "SecurityCenterBuiltIn", {
            "properties": {"displayName": "ASC Default", "enforcementMode": "Default",
                           "parameters": {"systemUpdatesV2MonitoringEffect": {
                               "value": "AuditIfNotExists"}}}}, region="global",
             native_id=f"{SUB_ID}/providers/Microsoft.Authorization/policyAssignments/"
             "SecurityCenterBuiltIn"),
        item("Microsoft.Authorization/locks", "no-delete", {"properties": {
            "level": "CanNotDelete", "notes": "production"}}, region="global",
             native_id=f"{RG}/providers/Microsoft.Authorization/locks/no-delete"),
        item("Microsoft.Subscription/policies", "default", {"properties": {
            "blockSubscriptionsLeavingTenant": True, "blockSubscriptionsIntoTenant": True}},
             region="global", native_id="/providers/Microsoft.Subscription/policies/default"),
        _assignment("ra-owner-alice", OWNER, "u-alice"),
        _assignment("ra-owner-bob", OWNER, "u-bob"),
        _assignment("ra-reader-guest", READER, "u-guest", scope=RG),
        _role_definition(OWNER, "Owner", ["*"], custom=False, scopes=["/"]),
        _role_definition("c0ffee00-0000-0000-0000-000000000001", "Lock administrator",
                         ["Microsoft.Authorization/locks/*"], custom=True, scopes=[SUB_ID]),
        *_tenant(),
    ]
    for region in REGIONS:
        nsg = _nsg(f"nsg-{region}", region)
        vnet = _vnet(f"vnet-{region}", region)
        items += [nsg, vnet,
                  item("Microsoft.Network/networkWatchers", f"NetworkWatcher_{region}",
                       {"location": region, "properties": {"provisioningState": "Succeeded"}},
                       region=region, native_id=watcher_id(region)),
                  _flow_log("nsg", nsg.native_id, region),
                  _flow_log("vnet", vnet.native_id, region)]
    return items
