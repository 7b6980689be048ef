"""The contract between the Azure collector and these rules (``/work/notes/azure-assets.md``).

Type names are ARM types (``Microsoft.Storage/storageAccounts``); Microsoft Graph records use
``Microsoft.Graph/<collection>``. ``data`` is the ARM or Graph record as the API returns it,
with sub-records merged under the keys in ``DETAIL_PERMISSIONS``. A refused sub-record call
leaves its key out and records ``data["_cc_errors"] = {"<key>": "<error code>"}``; a type the
connector could not list arrives as a DENIED outcome naming the permission, so the rules answer
MANUAL naming the ARM action or Graph permission rather than pass or fail.
"""

from __future__ import annotations

from typing import Final

#: Every Azure type a rule may read, with the ARM action or Graph permission that lists it.
LIST_PERMISSIONS: Final[dict[str, str]] = {
    "Microsoft.Resources/resourceGroups": "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Network/networkSecurityGroups": "Microsoft.Network/networkSecurityGroups/read",
    "Microsoft.Network/virtualNetworks": "Microsoft.Network/virtualNetworks/read",
    "Microsoft.Network/networkWatchers": "Microsoft.Network/networkWatchers/read",
    "Microsoft.Network/networkWatchers/flowLogs":
        "Microsoft.Network/networkWatchers/flowLogs/read",
    "Microsoft.Network/applicationGateways": "Microsoft.Network/applicationGateways/read",
    "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies":
        "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/read",
    "Microsoft.Network/bastionHosts": "Microsoft.Network/bastionHosts/read",
    "Microsoft.Network/virtualNetworkGateways": "Microsoft.Network/virtualNetworkGateways/read",
    "Microsoft.Storage/storageAccounts": "Microsoft.Storage/storageAccounts/read",
    "Microsoft.KeyVault/vaults": "Microsoft.KeyVault/vaults/read",
    "Microsoft.Web/sites": "Microsoft.Web/sites/read",
    "Microsoft.Databricks/workspaces": "Microsoft.Databricks/workspaces/read",
    "Microsoft.Insights/activityLogAlerts": "Microsoft.Insights/activityLogAlerts/read",
    "Microsoft.Insights/diagnosticSettings": "Microsoft.Insights/diagnosticSettings/read",
    "Microsoft.Insights/components": "Microsoft.Insights/components/read",
    "microsoft.aadiam/diagnosticSettings": "microsoft.aadiam/diagnosticSettings/read",
    "Microsoft.Security/pricings": "Microsoft.Security/pricings/read",
    "Microsoft.Security/securityContacts": "Microsoft.Security/securityContacts/read",
    "Microsoft.Security/settings": "Microsoft.Security/settings/read",
    "Microsoft.Security/serverVulnerabilityAssessmentsSettings":
        "Microsoft.Security/serverVulnerabilityAssessmentsSettings/read",
    "Microsoft.Authorization/roleAssignments": "Microsoft.Authorization/roleAssignments/read",
    "Microsoft.Authorization/roleDefinitions": "Microsoft.Authorization/roleDefinitions/read",
    "Microsoft.Authorization/policyAssignments": "Microsoft.Authorization/policyAssignments/read",
    "Microsoft.Authorization/locks": "Microsoft.Authorization/locks/read",
    "Microsoft.Subscription/policies": "Microsoft.Subscription/policies/read",
    "Microsoft.Graph/authorizationPolicy": "Policy.Read.All",
    "Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy": "Policy.Read.All",
    "Microsoft.Graph/conditionalAccessPolicies": "Policy.Read.All",
    "Microsoft.Graph/namedLocations": "Policy.Read.All",
    "Microsoft.Graph/deviceRegistrationPolicy": "Policy.Read.DeviceConfiguration",
    "Microsoft.Graph/users": "Directory.Read.All",
    "Microsoft.Graph/groupSettings": "Directory.Read.All",
    "Microsoft.Graph/directoryRoles": "RoleManagement.Read.Directory",
    "Microsoft.Graph/userRegistrationDetails": "AuditLog.Read.All",
}

#: The Azure types the collector stores and rules may rely on.
COLLECTED_AZURE_TYPES: Final[frozenset[str]] = frozenset(LIST_PERMISSIONS)

#: (type, sub-record key) -> the ARM action or Graph permission of the call that fills it.
DETAIL_PERMISSIONS: Final[dict[tuple[str, str], str]] = {
    ("Microsoft.Storage/storageAccounts", "blobServiceProperties"):
        "Microsoft.Storage/storageAccounts/blobServices/read",
    ("Microsoft.Storage/storageAccounts", "fileServiceProperties"):
        "Microsoft.Storage/storageAccounts/fileServices/read",
    ("Microsoft.KeyVault/vaults", "keys"): "Microsoft.KeyVault/vaults/keys/read",
    ("Microsoft.KeyVault/vaults", "secrets"):
        "Microsoft.KeyVault/vaults/secrets/read",
    ("Microsoft.KeyVault/vaults", "diagnosticSettings"):
        "Microsoft.Insights/diagnosticSettings/read",
    ("Microsoft.KeyVault/vaults", "certificates"): "Microsoft.KeyVault/vaults/certificates/read",
    ("Microsoft.Web/sites", "diagnosticSettings"): "Microsoft.Insights/diagnosticSettings/read",
    ("Microsoft.Databricks/workspaces", "diagnosticSettings"):
        "Microsoft.Insights/diagnosticSettings/read",
    ("Microsoft.Graph/directoryRoles", "members"): "RoleManagement.Read.Directory",
}

#: Keys documented per type, for people and for the collector's meta test.
SHAPES: Final[dict[str, str]] = {
    "Microsoft.Network/networkSecurityGroups": "ARM record; properties.securityRules inline",
    "Microsoft.Network/virtualNetworks": "ARM record; properties.subnets inline, "
    "properties.enableDdosProtection",
    "Microsoft.Network/networkWatchers/flowLogs": "ARM flow log record: targetResourceId, "
    "enabled, retentionPolicy, flowAnalyticsConfiguration",
    "Microsoft.Storage/storageAccounts": "ARM record + blobServiceProperties (blobServices/"
    "default) + fileServiceProperties (fileServices/default)",
    "Microsoft.KeyVault/vaults": "ARM record + keys (ARM key records, properties.attributes, "
    "properties.rotationPolicy) + secrets (attributes only) + diagnosticSettings (list) + "
    "certificates (optional data-plane list of {name, policy})",
    "Microsoft.Web/sites": "ARM record + diagnosticSettings (list)",
    "Microsoft.Databricks/workspaces": "ARM record + diagnosticSettings (list)",
    "Microsoft.Security/pricings": "ARM record per plan (name = plan), api 2024-01-01 with "
    "properties.extensions",
    "Microsoft.Security/securityContacts": "ARM record, api 2023-12-01-preview "
    "(notificationsSources, notificationsByRole, emails); older alertNotifications also read",
    "Microsoft.Graph/authorizationPolicy": "the Graph authorizationPolicy object",
    "Microsoft.Graph/conditionalAccessPolicies": "Graph conditionalAccessPolicy objects",
    "Microsoft.Graph/directoryRoles": "Graph directoryRole + members (list of {id, "
    "userPrincipalName})",
    "Microsoft.Graph/groupSettings": "Graph groupSetting objects (templateId, values)",
}
