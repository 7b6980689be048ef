"""Activity log alerts, the subscription's diagnostic settings, Entra ID's log export
(``microsoft.aadiam``, tenant level), and Microsoft Defender for Cloud: plans (pricings),
security contacts, settings (WDATP...), vulnerability assessment, auto-provisioning."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import ResourceType, Scope

PROVIDERS = "/subscriptions/{subscription}/providers"

RESOURCES = (
    ResourceType("Microsoft.Insights/activityLogAlerts", "monitor",
                 f"{PROVIDERS}/Microsoft.Insights/activityLogAlerts",
                 "Microsoft.Insights/activityLogAlerts/read", "2020-10-01", scope=Scope.GLOBAL),
    ResourceType("Microsoft.Insights/diagnosticSettings", "monitor",
                 f"{PROVIDERS}/Microsoft.Insights/diagnosticSettings",
                 "Microsoft.Insights/diagnosticSettings/read", "2021-05-01-preview",
                 scope=Scope.GLOBAL),
    ResourceType("Microsoft.Security/pricings", "security",
                 f"{PROVIDERS}/Microsoft.Security/pricings",
                 "Microsoft.Security/pricings/read", "2024-01-01", scope=Scope.GLOBAL),
    ResourceType("Microsoft.Security/securityContacts", "security",
                 f"{PROVIDERS}/Microsoft.Security/securityContacts",
                 "Microsoft.Security/securityContacts/read", "2023-12-01-preview",
                 scope=Scope.GLOBAL),
    ResourceType("Microsoft.Security/settings", "security",
                 f"{PROVIDERS}/Microsoft.Security/settings",
                 "Microsoft.Security/settings/read", "2022-05-01", scope=Scope.GLOBAL),
    ResourceType("Microsoft.Security/serverVulnerabilityAssessmentsSettings", "security",
                 f"{PROVIDERS}/Microsoft.Security/serverVulnerabilityAssessmentsSettings",
                 "Microsoft.Security/serverVulnerabilityAssessmentsSettings/read", "2023-05-01",
                 scope=Scope.GLOBAL),
    ResourceType("microsoft.aadiam/diagnosticSettings", "monitor",
                 "/providers/microsoft.aadiam/diagnosticSettings",
                 "microsoft.aadiam/diagnosticSettings/read", "2017-04-01-preview",
                 scope=Scope.GLOBAL),
    ResourceType("Microsoft.Security/autoProvisioningSettings", "security",
                 f"{PROVIDERS}/Microsoft.Security/autoProvisioningSettings",
                 "Microsoft.Security/autoProvisioningSettings/read", "2017-08-01-preview",
                 scope=Scope.GLOBAL),
)
