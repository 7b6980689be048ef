"""Per built-in Azure rule, one mutation of the good subscription that must make it fail."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from cloudconnectors.rules.model import InventoryItem
from tests.rules.azure.fixtures import SUB_ID, ago
from tests.rules.fixtures import Mutator, drop

Change = Callable[[dict[str, Any]], object]


def edit(type_: str, change: Change, name: str | None = None) -> Mutator:
    """Apply ``change`` to the data of the first asset of a type (or the one named)."""
    def mutate(items: list[InventoryItem]) -> list[InventoryItem]:
        out, done = [], False
        for it in items:
            if not done and it.type == type_ and name in (None, it.name):
                data = copy.deepcopy(it.data)
                change(data)
                it = it._replace(data=data)
                done = True
            out.append(it)
        assert done, f"no {type_} {name or ''} to edit"
        return out
    return mutate


def at(path: str, value: object) -> Change:
    """Set ``data[a][b]...`` for the dotted ``path`` (creating nothing)."""
    keys = path.split(".")

    def change(data: dict[str, Any]) -> None:
        target = data
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[keys[-1]] = value
    return change


def chain(*mutators: Mutator) -> Mutator:
    def mutate(items: list[InventoryItem]) -> list[InventoryItem]:
        for m in mutators:
            items = m(items)
        return items
    return mutate


ST = "Microsoft.Storage/storageAccounts"
KV = "Microsoft.KeyVault/vaults"
NSG = "Microsoft.Network/networkSecurityGroups"
VNET = "Microsoft.Network/virtualNetworks"
FLOW = "Microsoft.Network/networkWatchers/flowLogs"
DBX = "Microsoft.Databricks/workspaces"
AUTH = "Microsoft.Graph/authorizationPolicy"
CA = "Microsoft.Graph/conditionalAccessPolicies"
SETTINGS = "Microsoft.Graph/groupSettings"
ALERT = "Microsoft.Insights/activityLogAlerts"
PRICING = "Microsoft.Security/pricings"
CONTACT = "Microsoft.Security/securityContacts"
AGW = "Microsoft.Network/applicationGateways"
WAF = "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"
ASSIGN = "Microsoft.Authorization/roleAssignments"
DEF = "Microsoft.Authorization/roleDefinitions"


def _rule(name: str, protocol: str, port: str) -> Change:
    return lambda d: d["properties"]["securityRules"].insert(0, {"name": name, "properties": {
        "protocol": protocol, "sourceAddressPrefix": "Internet", "destinationPortRange": port,
        "access": "Allow", "direction": "Inbound", "priority": 90}})


def _user_perm(key: str, value: object) -> Mutator:
    return edit(AUTH, at(f"defaultUserRolePermissions.{key}", value))


def _setting(name: str, value: str) -> Change:
    def change(d: dict[str, Any]) -> None:
        for v in d["values"]:
            if v["name"] == name:
                v["value"] = value
    return change


def _alert_off(index: int) -> Mutator:
    return edit(ALERT, at("properties.enabled", False), name=f"alert-{index}")


def _plan_off(plan: str) -> Mutator:
    return edit(PRICING, at("properties.pricingTier", "Free"), name=plan)


def _extension_off(extension: str) -> Change:
    def change(d: dict[str, Any]) -> None:
        for e in d["properties"]["extensions"]:
            if e["name"] == extension:
                e["isEnabled"] = "False"
    return change


def _no_exp(key: str) -> Change:
    return lambda d: d[key][0]["properties"]["attributes"].pop("exp")


def _to_access_policies(then: Change) -> Change:
    def change(d: dict[str, Any]) -> None:
        d["properties"]["enableRbacAuthorization"] = False
        then(d)
    return change


def _ca_off(name: str) -> Mutator:
    return edit(CA, at("state", "enabledForReportingButNotEnforced"), name=name)


_ALERT_RULES = ("policy_assignment_write", "policy_assignment_delete", "nsg_write",
                "nsg_delete", "security_solution_write", "security_solution_delete",
                "sql_firewall_write", "sql_firewall_delete", "public_ip_write",
                "public_ip_delete")
_PLAN_RULES = {"cspm_on": "CloudPosture", "apis_on": "Api", "servers_on": "VirtualMachines",
               "containers_on": "Containers", "storage_on": "StorageAccounts",
               "app_services_on": "AppServices", "cosmosdb_on": "CosmosDbs",
               "open_source_databases_on": "OpenSourceRelationalDatabases",
               "sql_databases_on": "SqlServers", "sql_on_machines_on": "SqlServerVirtualMachines",
               "key_vault_on": "KeyVaults", "resource_manager_on": "Arm"}

BREAKERS: dict[str, Mutator] = {
    # Databricks
    "azure.databricks.vnet_injection": edit(DBX, lambda d: d["properties"]["parameters"].pop(
        "customVirtualNetworkId")),
    "azure.databricks.subnets_have_nsg": edit(VNET, lambda d: d["properties"]["subnets"][1][
        "properties"].pop("networkSecurityGroup"), name="vnet-eastus"),
    "azure.databricks.diagnostic_logs": edit(DBX, at("diagnosticSettings", [])),
    "azure.databricks.customer_managed_keys": edit(DBX, lambda d: d["properties"].pop(
        "encryption")),
    "azure.databricks.no_public_ip": edit(DBX, at(
        "properties.parameters.enableNoPublicIp.value", False)),
    "azure.databricks.public_network_access_disabled": edit(DBX, at(
        "properties.publicNetworkAccess", "Enabled")),
    "azure.databricks.private_endpoint_used": edit(DBX, at(
        "properties.privateEndpointConnections", [])),
    # Entra ID
    "azure.entra.security_defaults_enabled": chain(
        edit("Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy", at("isEnabled", False)),
        drop(CA)),
    "azure.entra.user_mfa_registered": edit("Microsoft.Graph/userRegistrationDetails",
                                            at("isMfaRegistered", False)),
    "azure.entra.trusted_locations_defined": edit("Microsoft.Graph/namedLocations",
                                                  at("isTrusted", False)),
    "azure.entra.ca_block_device_code_flow": _ca_off("block-device-code"),
    "azure.entra.ca_mfa_all_users": edit(CA, at("conditions.users.includeUsers", ["u-alice"]),
                                         name="mfa-all"),
    "azure.entra.ca_mfa_risky_sign_ins": _ca_off("mfa-risky"),
    "azure.entra.ca_mfa_azure_management": chain(_ca_off("mfa-management"), _ca_off("mfa-all"),
                                                 _ca_off("mfa-risky")),
    "azure.entra.ca_mfa_admin_portals": chain(_ca_off("mfa-admin-portals"), _ca_off("mfa-all"),
                                              _ca_off("mfa-risky")),
    "azure.entra.users_cannot_create_tenants": _user_perm("allowedToCreateTenants", True),
    "azure.entra.lockout_threshold_10": edit(SETTINGS, _setting("LockoutThreshold", "50")),
    "azure.entra.lockout_duration_60s": edit(SETTINGS, _setting("LockoutDurationInSeconds",
                                                                "30")),
    "azure.entra.custom_banned_passwords": edit(SETTINGS, _setting("EnableBannedPasswordCheck",
                                                                   "False")),
    "azure.entra.user_consent_disallowed": _user_perm("permissionGrantPoliciesAssigned", [
        "ManagePermissionGrantsForSelf.microsoft-user-default-low"]),
    "azure.entra.user_consent_verified_low_risk": _user_perm(
        "permissionGrantPoliciesAssigned",
        ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"]),
    "azure.entra.users_cannot_register_apps": _user_perm("allowedToCreateApps", True),
    "azure.entra.guest_access_restricted": edit(AUTH, at(
        "guestUserRoleId", "10dae51f-b6af-4016-8d66-8c2a99b929b3")),
    "azure.entra.guest_invites_restricted": edit(AUTH, at("allowInvitesFrom", "everyone")),
    "azure.entra.users_cannot_create_security_groups": _user_perm(
        "allowedToCreateSecurityGroups", True),
    "azure.entra.users_cannot_create_m365_groups": drop(
        SETTINGS, lambda i: i.data["displayName"] == "Group.Unified"),
    "azure.entra.device_join_requires_mfa": edit("Microsoft.Graph/deviceRegistrationPolicy",
                                                 at("multiFactorAuthConfiguration",
                                                    "notRequired")),
    "azure.entra.global_admins_fewer_than_5": edit(
        "Microsoft.Graph/directoryRoles", lambda d: d["members"].extend(
            {"id": f"u-{n}", "userPrincipalName": f"{n}@example.com"}
            for n in ("c", "d", "e"))),
    # RBAC
    "azure.iam.user_access_administrator_restricted": edit(ASSIGN, lambda d: d[
        "properties"].update(scope=SUB_ID, roleDefinitionId=f"{SUB_ID}/providers/Microsoft."
                             "Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"),
        name="ra-reader-guest"),
    "azure.iam.disabled_users_without_roles": edit(ASSIGN, at("properties.principalId",
                                                              "u-carol"),
                                                   name="ra-reader-guest"),
    "azure.iam.no_custom_owner_roles": edit(DEF, at("properties.permissions", [
        {"actions": ["*"], "notActions": []}]), name="c0ffee00-0000-0000-0000-000000000001"),
    "azure.iam.resource_lock_role_exists": edit(DEF, at("properties.permissions", [
        {"actions": ["*"], "notActions": []}]), name="c0ffee00-0000-0000-0000-000000000001"),
    "azure.iam.subscription_transfer_blocked": edit(
        "Microsoft.Subscription/policies", at("properties.blockSubscriptionsIntoTenant", False)),
    "azure.iam.subscription_owners_2_to_3": drop(ASSIGN, lambda i: i.name == "ra-owner-bob"),
    # Monitoring
    "azure.monitor.subscription_diagnostic_setting": drop("Microsoft.Insights/diagnosticSettings"),
    "azure.monitor.diagnostic_setting_categories": edit(
        "Microsoft.Insights/diagnosticSettings", lambda d: d["properties"]["logs"].pop(3)),
    "azure.monitor.activity_log_storage_cmk": edit(ST, at("properties.encryption.keySource",
                                                          "Microsoft.Storage"),
                                                   name="activitylogs"),
    "azure.monitor.entra_graph_activity_logs": edit(
        "microsoft.aadiam/diagnosticSettings", lambda d: d["properties"]["logs"].pop(2)),
    "azure.monitor.entra_activity_logs": edit(
        "microsoft.aadiam/diagnosticSettings", lambda d: d["properties"]["logs"].pop(1)),
    **{f"azure.monitor.alert_{name}": _alert_off(i) for i, name in enumerate(_ALERT_RULES)},
    "azure.monitor.alert_service_health": edit(ALERT, at("properties.scopes", [
        f"{SUB_ID}/resourceGroups/prod"]), name="service-health"),
    "azure.monitor.application_insights_configured": drop("Microsoft.Insights/components"),
    "azure.appservice.http_logs_enabled": edit("Microsoft.Web/sites", at(
        "diagnosticSettings.0.properties.logs.0.enabled", False), name="web"),
    # Networking
    "azure.network.nsg_no_internet_rdp": edit(NSG, _rule("rdp", "Tcp", "3389")),
    "azure.network.nsg_no_internet_ssh": edit(NSG, _rule("ssh", "*", "20-30")),
    "azure.network.nsg_no_internet_udp": edit(NSG, _rule("dns", "Udp", "53")),
    "azure.network.nsg_no_internet_http": edit(NSG, _rule("web", "Tcp", "443")),
    "azure.network.subnet_has_nsg": edit(VNET, lambda d: d["properties"]["subnets"][0][
        "properties"].pop("networkSecurityGroup")),
    "azure.network.vnet_ddos_protection": edit(VNET, at("properties.enableDdosProtection",
                                                        False)),
    "azure.network.watcher_in_used_regions": drop("Microsoft.Network/networkWatchers",
                                                  lambda i: i.region == "westeurope"),
    "azure.network.bastion_host_exists": drop("Microsoft.Network/bastionHosts"),
    "azure.network.nsg_flow_logs_to_log_analytics": edit(FLOW, at(
        "properties.flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration."
        "enabled", False), name="fl-nsg-eastus"),
    "azure.network.vnet_flow_logs_to_log_analytics": drop(
        FLOW, lambda i: i.name == "fl-vnet-westeurope"),
    "azure.network.nsg_flow_log_retention_90d": edit(FLOW, at("properties.retentionPolicy.days",
                                                              30), name="fl-nsg-eastus"),
    "azure.network.vnet_flow_log_retention_90d": edit(FLOW, at("properties.retentionPolicy.days",
                                                               7), name="fl-vnet-eastus"),
    "azure.network.app_gateway_waf_enabled": edit(AGW, lambda d: d["properties"].pop(
        "firewallPolicy")),
    "azure.network.app_gateway_min_tls_1_2": edit(AGW, at("properties.sslPolicy.policyName",
                                                          "AppGwSslPolicy20150501")),
    "azure.network.app_gateway_http2": edit(AGW, at("properties.enableHttp2", False)),
    "azure.network.waf_request_body_inspection": edit(WAF, at(
        "properties.policySettings.requestBodyCheck", False)),
    "azure.network.waf_bot_protection": edit(WAF, lambda d: d["properties"]["managedRules"][
        "managedRuleSets"].pop(1)),
    "azure.network.vpn_p2s_entra_only": edit("Microsoft.Network/virtualNetworkGateways", at(
        "properties.vpnClientConfiguration.vpnAuthenticationTypes", ["Certificate", "AAD"])),
    # Defender
    **{f"azure.defender.{rule}": _plan_off(plan) for rule, plan in _PLAN_RULES.items()},
    "azure.defender.agentless_scanning_on": edit(PRICING, _extension_off("AgentlessVmScanning"),
                                                 name="VirtualMachines"),
    "azure.defender.file_integrity_monitoring_on": edit(
        PRICING, _extension_off("FileIntegrityMonitoring"), name="VirtualMachines"),
    "azure.defender.vulnerability_assessment_on": edit(
        "Microsoft.Security/serverVulnerabilityAssessmentsSettings",
        at("properties.selectedProvider", "None")),
    "azure.defender.endpoint_protection_on": edit("Microsoft.Security/settings",
                                                  at("properties.enabled", False)),
    "azure.defender.notify_owners": edit(CONTACT, at("properties.notificationsByRole.roles",
                                                     ["AccountAdmin"])),
    "azure.defender.additional_email": edit(CONTACT, at("properties.emails", "")),
    "azure.defender.alert_notifications": edit(CONTACT, lambda d: d["properties"][
        "notificationsSources"].pop(0)),
    "azure.defender.attack_path_notifications": edit(CONTACT, lambda d: d["properties"].update(
        notificationsSources=[s for s in d["properties"]["notificationsSources"]
                              if s["sourceType"] != "AttackPath"])),
    "azure.defender.mcsb_policies_enabled": edit("Microsoft.Authorization/policyAssignments",
                                                 at("properties.enforcementMode",
                                                    "DoNotEnforce")),
    "azure.defender.system_updates_checked": edit(
        "Microsoft.Authorization/policyAssignments",
        at("properties.parameters.systemUpdatesV2MonitoringEffect.value", "Disabled")),
    # Key Vault
    "azure.keyvault.rbac_key_expiry": edit(KV, _no_exp("keys"), name="kv-rbac"),
    "azure.keyvault.access_policy_key_expiry": edit(KV, _to_access_policies(_no_exp("keys")),
                                                    name="kv-second"),
    "azure.keyvault.rbac_secret_expiry": edit(KV, _no_exp("secrets"), name="kv-rbac"),
    "azure.keyvault.access_policy_secret_expiry": edit(
        KV, _to_access_policies(_no_exp("secrets")), name="kv-second"),
    "azure.keyvault.purge_protection": edit(KV, at("properties.enablePurgeProtection", None)),
    "azure.keyvault.rbac_enabled": edit(KV, at("properties.enableRbacAuthorization", False),
                                        name="kv-second"),
    "azure.keyvault.public_network_access_disabled": edit(KV, at(
        "properties.publicNetworkAccess", "Enabled")),
    "azure.keyvault.private_endpoint_used": edit(KV, at("properties.privateEndpointConnections",
                                                        [])),
    "azure.keyvault.key_auto_rotation": edit(KV, lambda d: d["keys"][0]["properties"].pop(
        "rotationPolicy")),
    "azure.keyvault.certificate_validity_12_months": edit(KV, at(
        "certificates.0.policy.x509_props.validity_months", 24)),
    "azure.keyvault.logging_enabled": edit(KV, at("diagnosticSettings", [])),
    # Storage
    "azure.storage.secure_transfer_required": edit(ST, at("properties.supportsHttpsTrafficOnly",
                                                          False)),
    "azure.storage.minimum_tls_1_2": edit(ST, at("properties.minimumTlsVersion", "TLS1_0")),
    "azure.storage.blob_anonymous_access_disabled": edit(ST, lambda d: d["properties"].pop(
        "allowBlobPublicAccess")),
    "azure.storage.shared_key_access_disabled": edit(ST, at("properties.allowSharedKeyAccess",
                                                            None)),
    "azure.storage.public_network_access_disabled": edit(ST, at(
        "properties.publicNetworkAccess", "Enabled")),
    "azure.storage.default_network_action_deny": edit(ST, at(
        "properties.networkAcls.defaultAction", "Allow")),
    "azure.storage.trusted_services_bypass": edit(ST, at("properties.networkAcls.bypass",
                                                         "None")),
    "azure.storage.private_endpoint_used": edit(ST, at("properties.privateEndpointConnections",
                                                       [])),
    "azure.storage.default_to_entra_authorization": edit(ST, at(
        "properties.defaultToOAuthAuthentication", False)),
    "azure.storage.cross_tenant_replication_disabled": edit(ST, at(
        "properties.allowCrossTenantReplication", True)),
    "azure.storage.key_rotation_reminder": edit(ST, lambda d: d["properties"].pop("keyPolicy")),
    "azure.storage.access_keys_regenerated_90d": edit(ST, lambda d: d["properties"].update(
        allowSharedKeyAccess=True, keyCreationTime={"key1": ago(200), "key2": ago(5)})),
    "azure.storage.geo_redundant": edit(ST, at("sku.name", "Standard_LRS")),
    "azure.storage.file_share_soft_delete": edit(ST, at(
        "fileServiceProperties.properties.shareDeleteRetentionPolicy.enabled", False)),
    "azure.storage.smb_protocol_3_1_1": edit(ST, at(
        "fileServiceProperties.properties.protocolSettings.smb.versions", "SMB3.0;SMB3.1.1")),
    "azure.storage.smb_channel_encryption_aes256": edit(ST, lambda d: d[
        "fileServiceProperties"]["properties"]["protocolSettings"]["smb"].pop(
        "channelEncryption")),
    "azure.storage.blob_soft_delete": edit(ST, at(
        "blobServiceProperties.properties.deleteRetentionPolicy.enabled", False)),
    "azure.storage.container_soft_delete": edit(ST, at(
        "blobServiceProperties.properties.containerDeleteRetentionPolicy.enabled", False)),
    "azure.storage.blob_versioning": edit(ST, at(
        "blobServiceProperties.properties.isVersioningEnabled", False)),
    "azure.storage.delete_lock": drop("Microsoft.Authorization/locks"),
}


def bad_subscription() -> list[InventoryItem]:
    """The good subscription with every breaker applied (one after another; a breaker whose
    target an earlier one removed is skipped, its rule fails already)."""
    from tests.rules.azure.fixtures import good_subscription

    items = good_subscription()
    for mutate in BREAKERS.values():
        try:
            items = mutate(items)
        except (AssertionError, KeyError, IndexError):
            continue
    return items
