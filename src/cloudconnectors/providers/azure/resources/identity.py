"""Role assignments and role definitions on the subscription."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import ResourceType, Scope

AUTH = "/subscriptions/{subscription}/providers/Microsoft.Authorization"

RESOURCES = (
    ResourceType("Microsoft.Authorization/roleAssignments", "authorization",
                 f"{AUTH}/roleAssignments", "Microsoft.Authorization/roleAssignments/read",
                 "2022-04-01", scope=Scope.GLOBAL),
    ResourceType("Microsoft.Authorization/roleDefinitions", "authorization",
                 f"{AUTH}/roleDefinitions", "Microsoft.Authorization/roleDefinitions/read",
                 "2022-04-01", scope=Scope.GLOBAL),
)
