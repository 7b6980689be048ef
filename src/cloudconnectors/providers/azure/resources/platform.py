"""App Service web apps (with the site's ``config/web``) and AKS managed clusters."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import Detail, ResourceType

PROVIDERS = "/subscriptions/{subscription}/providers"

RESOURCES = (
    ResourceType("Microsoft.Web/sites", "web", f"{PROVIDERS}/Microsoft.Web/sites",
                 "Microsoft.Web/sites/read", "2023-12-01",
                 details=(Detail("config", "config/web", "2023-12-01",
                                 "Microsoft.Web/sites/config/read", many=False),
                          Detail("diagnosticSettings",
                                 "providers/Microsoft.Insights/diagnosticSettings",
                                 "2021-05-01-preview",
                                 "Microsoft.Insights/diagnosticSettings/read"))),
    ResourceType("Microsoft.ContainerService/managedClusters", "containers",
                 f"{PROVIDERS}/Microsoft.ContainerService/managedClusters",
                 "Microsoft.ContainerService/managedClusters/read", "2024-05-01"),
)
