"""A realistic small Azure estate in the stand-in: one subscription, every collected type.

``seed_subscription`` makes ``vms`` virtual machines (each with an OS disk, a NIC and an
extension) spread over ``locations``, and one or two of every other type with settings a
CIS review cares about (some compliant, some not), plus the tenant's Graph objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cloudconnectors.demo.azure_sandbox.directory import seed_directory
from cloudconnectors.demo.azure_sandbox.world import World

__all__ = ["Seeded", "seed_subscription"]

Record = dict[str, Any]
READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
EXPIRES_2030 = 1893456000


@dataclass
class Seeded:
    subscription_id: str
    vm_ids: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def assets(self) -> int:
        return sum(self.counts.values())


class _Builder:
    def __init__(self, world: World, sub: str, seeded: Seeded) -> None:
        self.world = world
        self.sub = sub
        self.seeded = seeded

    def rg(self, name: str) -> str:
        return f"/subscriptions/{self.sub}/resourceGroups/{name}"

    def top(self, rg: str, type_: str, name: str, location: str, **body: Any) -> Record:
        """A top-level resource, listed under its group and subscription-wide."""
        namespace, kind = type_.split("/", 1)
        record = {"id": f"{self.rg(rg)}/providers/{type_}/{name}", "name": name,
                  "type": type_, "location": location, "tags": {"env": "demo"}, **body}
        self.world.add(record, f"/subscriptions/{self.sub}/providers/{namespace}/{kind}")
        self.seeded.counts[type_] = self.seeded.counts.get(type_, 0) + 1
        return record

    def child(self, parent: Record | str, segment: str, name: str, type_: str,
              **body: Any) -> Record:
        parent_id = parent if isinstance(parent, str) else parent["id"]
        record = {"id": f"{parent_id}/{segment}/{name}", "name": name, "type": type_, **body}
        self.world.add(record)
        return record

    def subscription_level(self, type_: str, name: str, counted: bool = True,
                           **body: Any) -> Record:
        record = {"id": f"/subscriptions/{self.sub}/providers/{type_}/{name}", "name": name,
                  "type": type_, **body}
        self.world.add(record)
        if counted:
            self.seeded.counts[type_] = self.seeded.counts.get(type_, 0) + 1
        return record


def seed_subscription(world: World, tenant: str, subscription_id: str, *,
                      name: str = "acme-corporate", locations: tuple[str, ...] = (
                          "eastus", "westeurope"), vms: int = 4, graph: bool = True) -> Seeded:
    sub = subscription_id.lower()
    world.add_subscription(tenant, sub, name, [*list(locations), "northeurope", "uksouth"])
    seeded = Seeded(sub)
    b = _Builder(world, sub, seeded)
    groups = ["rg-app", "rg-data", "NetworkWatcherRG"]
    for group in groups:
        world.add({"id": b.rg(group), "name": group, "type": "Microsoft.Resources/resourceGroups",
                   "location": locations[0], "properties": {"provisioningState": "Succeeded"}})
    seeded.counts["Microsoft.Resources/resourceGroups"] = len(groups)
    _network(b, locations)
    for index in range(vms):
        _vm(b, index, locations[index % len(locations)])
    _data(b, tenant, locations[0])
    _platform(b, locations[-1])
    _edge(b, locations[0])
    _subscription_settings(b)
    if graph:
        seed_directory(world, tenant)
    return seeded


def _network(b: _Builder, locations: tuple[str, ...]) -> None:
    for location in locations:
        nsg = b.top("rg-app", "Microsoft.Network/networkSecurityGroups", f"nsg-{location}",
                    location, properties={"securityRules": [
                        _rule("allow-https", "443", "*", 100),
                        _rule("allow-ssh-anywhere", "22", "*", 110),
                        _rule("allow-rdp-office", "3389", "203.0.113.0/24", 120)],
                        "defaultSecurityRules": [_rule("DenyAllInBound", "*", "*", 65500,
                                                       access="Deny")]})
        b.top("rg-app", "Microsoft.Network/virtualNetworks", f"vnet-{location}", location,
              properties={"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{
                  "id": f"{b.rg('rg-app')}/providers/Microsoft.Network/virtualNetworks/"
                        f"vnet-{location}/subnets/default", "name": "default",
                  "properties": {"addressPrefix": "10.0.0.0/24",
                                 "networkSecurityGroup": {"id": nsg["id"]}}}]})
        watcher = b.top("NetworkWatcherRG", "Microsoft.Network/networkWatchers",
                        f"NetworkWatcher_{location}", location,
                        properties={"provisioningState": "Succeeded"})
        b.child(watcher, "flowLogs", f"flowlog-{location}",
                "Microsoft.Network/networkWatchers/flowLogs", location=location,
                properties={"targetResourceId": nsg["id"], "enabled": True,
                            "retentionPolicy": {"days": 90, "enabled": True}})
        b.seeded.counts["Microsoft.Network/networkWatchers/flowLogs"] = (
            b.seeded.counts.get("Microsoft.Network/networkWatchers/flowLogs", 0) + 1)


def _rule(name: str, port: str, source: str, priority: int, access: str = "Allow") -> Record:
    return {"name": name, "properties": {
        "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": port,
        "sourceAddressPrefix": source, "destinationAddressPrefix": "*", "access": access,
        "priority": priority, "direction": "Inbound"}}


def _vm(b: _Builder, index: int, location: str) -> None:
    name = f"vm-{index:05d}"
    ip = b.top("rg-app", "Microsoft.Network/publicIPAddresses", f"{name}-ip", location,
               properties={"ipAddress": f"198.51.{index // 250 % 250}.{index % 250 + 1}",
                           "publicIPAllocationMethod": "Static"},
               sku={"name": "Standard"}) if index < 2 else None
    nic_config: Record = {"privateIPAddress": f"10.0.{index // 250 % 250}.{index % 250 + 4}"}
    if ip is not None:
        nic_config["publicIPAddress"] = {"id": ip["id"]}
    vm_id = f"{b.rg('rg-app')}/providers/Microsoft.Compute/virtualMachines/{name}"
    nic = b.top("rg-app", "Microsoft.Network/networkInterfaces", f"{name}-nic", location,
                properties={"ipConfigurations": [{"name": "ipconfig1",
                                                  "properties": nic_config}],
                            "virtualMachine": {"id": vm_id}})
    disk = b.top("rg-app", "Microsoft.Compute/disks", f"{name}-osdisk", location,
                 properties={"diskSizeGB": 30, "diskState": "Attached",
                             "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
                             "networkAccessPolicy": "AllowAll"},
                 managedBy=vm_id)
    vm = b.top("rg-app", "Microsoft.Compute/virtualMachines", name, location, properties={
        "vmId": f"{index:08d}-0000-4000-8000-000000000000",
        "hardwareProfile": {"vmSize": "Standard_B2s"},
        "storageProfile": {"osDisk": {"osType": "Linux", "name": disk["name"],
                                      "managedDisk": {"id": disk["id"]}}, "dataDisks": []},
        "osProfile": {"computerName": name, "adminUsername": "azureuser",
                      "linuxConfiguration": {"disablePasswordAuthentication": True}},
        "networkProfile": {"networkInterfaces": [{"id": nic["id"]}]},
        "provisioningState": "Succeeded"})
    b.child(vm, "extensions", "AzureMonitorLinuxAgent",
            "Microsoft.Compute/virtualMachines/extensions", location=location,
            properties={"publisher": "Microsoft.Azure.Monitor", "type": "AzureMonitorLinuxAgent",
                        "typeHandlerVersion": "1.0", "provisioningState": "Succeeded"})
    b.seeded.vm_ids.append(vm["id"])


def _data(b: _Builder, tenant: str, location: str) -> None:
    for name, secure in (("acmelogs", True), ("acmepublic", False)):
        account = b.top("rg-data", "Microsoft.Storage/storageAccounts", name, location,
                        kind="StorageV2", sku={"name": "Standard_LRS"}, properties={
                            "supportsHttpsTrafficOnly": secure, "minimumTlsVersion":
                            "TLS1_2" if secure else "TLS1_0", "allowBlobPublicAccess": not secure,
                            "networkAcls": {"defaultAction": "Deny" if secure else "Allow",
                                            "bypass": "AzureServices"},
                            "encryption": {"keySource": "Microsoft.Storage"}})
        b.child(account, "blobServices", "default", "Microsoft.Storage/storageAccounts/"
                "blobServices", properties={
                    "deleteRetentionPolicy": {"enabled": secure, "days": 7},
                    "containerDeleteRetentionPolicy": {"enabled": secure, "days": 7},
                    "isVersioningEnabled": secure})
        b.child(account, "fileServices", "default", "Microsoft.Storage/storageAccounts/"
                "fileServices", properties={
                    "shareDeleteRetentionPolicy": {"enabled": secure, "days": 7},
                    "protocolSettings": {"smb": {"versions": "SMB3.1.1;" if secure else
                                                 "SMB2.1;SMB3.0;SMB3.1.1;"}}})
    vault = b.top("rg-data", "Microsoft.KeyVault/vaults", "acme-vault", location, properties={
        "tenantId": tenant, "sku": {"family": "A", "name": "standard"},
        "enableSoftDelete": True, "enablePurgeProtection": True,
        "enableRbacAuthorization": True, "publicNetworkAccess": "Disabled"})
    for key, expires in (("signing", EXPIRES_2030), ("legacy", None)):
        attributes: Record = {"enabled": True, "created": 1700000000, "updated": 1700000000}
        properties: Record = {"attributes": attributes, "kty": "RSA",
                              "keyUri": f"https://acme-vault.vault.azure.net/keys/{key}"}
        if expires:
            attributes["exp"] = expires
            properties["rotationPolicy"] = {"attributes": {"expiryTime": "P2Y"},
                                            "lifetimeActions": [{"trigger": {
                                                "timeBeforeExpiry": "P30D"},
                                                "action": {"type": "rotate"}}]}
        b.child(vault, "keys", key, "Microsoft.KeyVault/vaults/keys", location=location,
                properties=properties)
    b.child(vault, "secrets", "db-password", "Microsoft.KeyVault/vaults/secrets",
            location=location, properties={"attributes": {"enabled": True},
                                           "contentType": "text/plain"})
    b.child(vault, "providers/Microsoft.Insights/diagnosticSettings", "to-logs",
            "Microsoft.Insights/diagnosticSettings", properties={
                "logs": [{"category": "AuditEvent", "enabled": True}],
                "storageAccountId": f"{b.rg('rg-data')}/providers/Microsoft.Storage/"
                                    "storageAccounts/acmelogs"})
    _sql(b, tenant, location)
    for type_, version, secure_setting in (
            ("Microsoft.DBforPostgreSQL/flexibleServers", "16", ("require_secure_transport",
                                                                 "on")),
            ("Microsoft.DBforMySQL/flexibleServers", "8.0.21", ("require_secure_transport",
                                                                "ON"))):
        short = "pg" if "PostgreSQL" in type_ else "mysql"
        server = b.top("rg-data", type_, f"acme-{short}", location, properties={
            "version": version, "state": "Ready",
            "network": {"publicNetworkAccess": "Enabled"}})
        settings = [secure_setting, ("log_checkpoints", "on"), ("log_connections", "off"),
                    ("tls_version", "TLSv1.2")]
        for setting, value in settings:
            b.child(server, "configurations", setting, f"{type_}/configurations",
                    properties={"value": value, "source": "system-default"})
        b.child(server, "firewallRules", "office", f"{type_}/firewallRules",
                properties={"startIpAddress": "203.0.113.1", "endIpAddress": "203.0.113.254"})


def _sql(b: _Builder, tenant: str, location: str) -> None:
    server = b.top("rg-data", "Microsoft.Sql/servers", "acme-sql", location, kind="v12.0",
                   properties={"administratorLogin": "sqladmin", "version": "12.0",
                               "publicNetworkAccess": "Enabled", "minimalTlsVersion": "1.2"})
    database = b.child(server, "databases", "orders", "Microsoft.Sql/servers/databases",
                       location=location, properties={"status": "Online"})
    b.child(database, "transparentDataEncryption", "current",
            "Microsoft.Sql/servers/databases/transparentDataEncryption",
            properties={"state": "Enabled"})
    b.child(server, "auditingSettings", "default", "Microsoft.Sql/servers/auditingSettings",
            properties={"state": "Enabled", "retentionDays": 90})
    b.child(server, "firewallRules", "AllowAllWindowsAzureIps",
            "Microsoft.Sql/servers/firewallRules",
            properties={"startIpAddress": "0.0.0.0",  # noqa: S104 - data
                        "endIpAddress": "0.0.0.0"})  # noqa: S104 - data, not a bind
    b.child(server, "administrators", "ActiveDirectory", "Microsoft.Sql/servers/administrators",
            properties={"administratorType": "ActiveDirectory", "login": "dba-group",
                        "sid": "11111111-2222-4333-8444-555555555555", "tenantId": tenant})
    b.child(server, "encryptionProtector", "current", "Microsoft.Sql/servers/"
            "encryptionProtector", kind="servicemanaged",
            properties={"serverKeyType": "ServiceManaged", "serverKeyName": "ServiceManaged"})


def _platform(b: _Builder, location: str) -> None:
    display = {"westeurope": "West Europe", "eastus": "East US"}.get(location, location)
    site = b.top("rg-app", "Microsoft.Web/sites", "acme-portal", display, kind="app",
                 properties={"httpsOnly": True, "state": "Running", "clientCertEnabled": False})
    b.child(site, "config", "web", "Microsoft.Web/sites/config", location=display,
            properties={"minTlsVersion": "1.2", "ftpsState": "AllAllowed",
                        "http20Enabled": True, "remoteDebuggingEnabled": False})
    b.child(site, "providers/Microsoft.Insights/diagnosticSettings", "site-logs",
            "Microsoft.Insights/diagnosticSettings", properties={
                "logs": [{"category": "AppServiceHTTPLogs", "enabled": True}]})
    b.top("rg-app", "Microsoft.ContainerService/managedClusters", "acme-aks", location,
          properties={"kubernetesVersion": "1.30.3", "enableRBAC": True,
                      "networkProfile": {"networkPolicy": "azure"},
                      "aadProfile": {"managed": True}})
    b.top("rg-app", "Microsoft.Insights/activityLogAlerts", "nsg-write", "Global", properties={
        "enabled": True, "scopes": [f"/subscriptions/{b.sub}"], "condition": {"allOf": [
            {"field": "category", "equals": "Administrative"},
            {"field": "operationName",
             "equals": "Microsoft.Network/networkSecurityGroups/write"}]},
        "actions": {"actionGroups": []}})


def _edge(b: _Builder, location: str) -> None:
    policy = b.top("rg-app", "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
                   "waf-default", location, properties={
                       "policySettings": {"state": "Enabled", "mode": "Prevention",
                                          "requestBodyCheck": True},
                       "managedRules": {"managedRuleSets": [{"ruleSetType": "OWASP",
                                                             "ruleSetVersion": "3.2"}]}})
    b.top("rg-app", "Microsoft.Network/applicationGateways", "agw-portal", location, properties={
        "sku": {"name": "WAF_v2", "tier": "WAF_v2"}, "firewallPolicy": {"id": policy["id"]},
        "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"}})
    b.top("rg-app", "Microsoft.Network/bastionHosts", "bastion", location,
          properties={"ipConfigurations": []}, sku={"name": "Standard"})
    b.top("rg-app", "Microsoft.Network/virtualNetworkGateways", "vpn-gw", location, properties={
        "gatewayType": "Vpn", "vpnType": "RouteBased", "sku": {"name": "VpnGw1"}})
    b.top("rg-app", "Microsoft.Insights/components", "portal-insights", location, kind="web",
          properties={"Application_Type": "web", "publicNetworkAccessForIngestion": "Enabled",
                      "DisableLocalAuth": False})
    workspace = b.top("rg-data", "Microsoft.Databricks/workspaces", "acme-lake", location,
                      properties={"parameters": {"enableNoPublicIp": {"value": True}},
                                  "publicNetworkAccess": "Disabled"}, sku={"name": "premium"})
    b.child(workspace, "providers/Microsoft.Insights/diagnosticSettings", "lake-logs",
            "Microsoft.Insights/diagnosticSettings",
            properties={"logs": [{"category": "accounts", "enabled": True}]})


def _subscription_settings(b: _Builder) -> None:
    b.subscription_level("Microsoft.Insights/diagnosticSettings", "activity-to-storage",
                         properties={"logs": [{"category": c, "enabled": True} for c in (
                             "Administrative", "Security", "Alert", "Policy")]})
    for plan, tier in (("VirtualMachines", "Standard"), ("SqlServers", "Standard"),
                       ("AppServices", "Free"), ("StorageAccounts", "Standard"),
                       ("KeyVaults", "Free"), ("Arm", "Free"), ("Containers", "Standard")):
        properties: Record = {"pricingTier": tier}
        if plan == "VirtualMachines":
            properties["subPlan"] = "P2"
            properties["extensions"] = [{"name": "AgentlessVmScanning", "isEnabled": "True"},
                                        {"name": "FileIntegrityMonitoring", "isEnabled": "False"}]
        b.subscription_level("Microsoft.Security/pricings", plan, properties=properties)
    b.subscription_level("Microsoft.Security/securityContacts", "default", properties={
        "emails": "security@acme.example", "phone": "", "isEnabled": True,
        "notificationsByRole": {"state": "On", "roles": ["Owner"]},
        "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "High"},
                                 {"sourceType": "AttackPath", "minimalRiskLevel": "Critical"}]})
    for setting, enabled in (("WDATP", True), ("MCAS", False)):
        b.subscription_level("Microsoft.Security/settings", setting, kind="DataExportSettings",
                             properties={"enabled": enabled})
    b.subscription_level("Microsoft.Security/serverVulnerabilityAssessmentsSettings",
                         "AzureServersSetting", kind="AzureServersSetting",
                         properties={"selectedProvider": "MdeTvm"})
    b.subscription_level("Microsoft.Authorization/policyAssignments", "SecurityCenterBuiltIn",
                         properties={"displayName": "ASC Default", "enforcementMode": "Default",
                                     "policyDefinitionId": "/providers/Microsoft.Authorization/"
                                     "policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
                                     "parameters": {}})
    lock = {"id": f"{b.rg('rg-data')}/providers/Microsoft.Authorization/locks/no-delete",
            "name": "no-delete", "type": "Microsoft.Authorization/locks",
            "properties": {"level": "CanNotDelete", "notes": "production data"}}
    b.world.add(lock, f"/subscriptions/{b.sub}/providers/Microsoft.Authorization/locks")
    b.seeded.counts["Microsoft.Authorization/locks"] = 1
    _tenant_settings(b)


def _tenant_settings(b: _Builder) -> None:
    """Tenant-level ARM records (shared by every subscription of the stand-in)."""
    b.world.add({"id": "/providers/Microsoft.Subscription/policies/default", "name": "default",
                 "type": "Microsoft.Subscription/policies", "properties": {
                     "blockSubscriptionsLeavingTenant": False,
                     "blockSubscriptionsIntoTenant": False, "exemptedPrincipals": []}})
    b.world.add({"id": "/providers/microsoft.aadiam/diagnosticSettings/entra-logs",
                 "name": "entra-logs", "type": "microsoft.aadiam/diagnosticSettings",
                 "properties": {"logs": [{"category": c, "enabled": True} for c in (
                     "AuditLogs", "SignInLogs")]}})
    b.seeded.counts["Microsoft.Subscription/policies"] = 1
    b.seeded.counts["microsoft.aadiam/diagnosticSettings"] = 1
    b.subscription_level("Microsoft.Security/autoProvisioningSettings", "default",
                         properties={"autoProvision": "Off"})
    b.subscription_level("Microsoft.Authorization/roleDefinitions", READER_ROLE, properties={
        "roleName": "Reader", "type": "BuiltInRole",
        "permissions": [{"actions": ["*/read"], "notActions": []}],
        "assignableScopes": ["/"]})
    b.subscription_level("Microsoft.Authorization/roleDefinitions",
                         "9f3e4c1a-0000-4000-8000-00000000c0de", properties={
                             "roleName": "Everything", "type": "CustomRole",
                             "permissions": [{"actions": ["*"], "notActions": []}],
                             "assignableScopes": [f"/subscriptions/{b.sub}"]})
    b.subscription_level("Microsoft.Authorization/roleAssignments",
                         "5d1c0b8e-0000-4000-8000-0000000a551e", properties={
                             "roleDefinitionId": f"/subscriptions/{b.sub}/providers/Microsoft."
                                                 f"Authorization/roleDefinitions/{READER_ROLE}",
                             "principalId": "22222222-0000-4000-8000-000000000001",
                             "principalType": "ServicePrincipal",
                             "scope": f"/subscriptions/{b.sub}"})
