"""Network edge and workloads CIS reviews: application gateways and their WAF policies,
Bastion hosts, virtual network gateways (listed per resource group), Application Insights
and Databricks workspaces."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import Detail, ResourceType

PROVIDERS = "/subscriptions/{subscription}/providers"
NET = "2024-05-01"
DIAGNOSTICS = Detail("diagnosticSettings", "providers/Microsoft.Insights/diagnosticSettings",
                     "2021-05-01-preview", "Microsoft.Insights/diagnosticSettings/read")

RESOURCES = (
    ResourceType("Microsoft.Network/applicationGateways", "network",
                 f"{PROVIDERS}/Microsoft.Network/applicationGateways",
                 "Microsoft.Network/applicationGateways/read", NET),
    ResourceType("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "network",
                 f"{PROVIDERS}/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
                 "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/read", NET),
    ResourceType("Microsoft.Network/bastionHosts", "network",
                 f"{PROVIDERS}/Microsoft.Network/bastionHosts",
                 "Microsoft.Network/bastionHosts/read", NET),
    ResourceType("Microsoft.Network/virtualNetworkGateways", "network",
                 "providers/Microsoft.Network/virtualNetworkGateways",
                 "Microsoft.Network/virtualNetworkGateways/read", NET,
                 parent="/subscriptions/{subscription}/resourcegroups",
                 parent_permission="Microsoft.Resources/subscriptions/resourceGroups/read",
                 parent_api_version="2022-09-01"),
    ResourceType("Microsoft.Insights/components", "monitor",
                 f"{PROVIDERS}/Microsoft.Insights/components",
                 "Microsoft.Insights/components/read", "2020-02-02"),
    ResourceType("Microsoft.Databricks/workspaces", "databricks",
                 f"{PROVIDERS}/Microsoft.Databricks/workspaces",
                 "Microsoft.Databricks/workspaces/read", "2024-05-01", details=(DIAGNOSTICS,)),
)
