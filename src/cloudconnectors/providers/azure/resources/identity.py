"""Role assignments and definitions, policy assignments and resource locks on the
subscription, and the tenant's subscription policies (``default``)."""

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
    ResourceType("Microsoft.Authorization/policyAssignments", "authorization",
                 f"{AUTH}/policyAssignments", "Microsoft.Authorization/policyAssignments/read",
                 "2022-06-01", scope=Scope.GLOBAL),
    ResourceType("Microsoft.Authorization/locks", "authorization", f"{AUTH}/locks",
                 "Microsoft.Authorization/locks/read", "2020-05-01", scope=Scope.GLOBAL),
    ResourceType("Microsoft.Subscription/policies", "subscription",
                 "/providers/Microsoft.Subscription/policies/default",
                 "Microsoft.Subscription/policies/read", "2021-10-01", scope=Scope.GLOBAL,
                 single=True),
)
