"""The stand-in directory's Microsoft Graph objects: what the identity controls read."""

from __future__ import annotations

from cloudconnectors.demo.azure_sandbox.world import World

__all__ = ["seed_directory"]


def seed_directory(world: World, tenant: str) -> None:
    """Organization, users (members and guests), policies and roles in Graph."""
    world.add_graph(tenant, "/v1.0/organization", {
        "id": tenant, "displayName": "Acme Corporation",
        "verifiedDomains": [{"name": "acme.example", "isDefault": True}],
        "securityComplianceNotificationMails": ["security@acme.example"]})
    users = [{"id": f"00000000-0000-4000-8000-{i:012d}", "displayName": f"User {i}",
              "userPrincipalName": f"user{i}@acme.example", "userType": "Member",
              "accountEnabled": True} for i in range(3)]
    users += [{"id": f"00000000-0000-4000-9000-{i:012d}", "displayName": f"Guest {i}",
               "userPrincipalName": f"guest{i}_partner.example#EXT#@acme.example",
               "userType": "Guest", "accountEnabled": True} for i in range(2)]
    world.add_graph(tenant, "/v1.0/users", *users)
    world.add_graph(tenant, "/v1.0/policies/authorizationpolicy", {
        "id": "authorizationPolicy", "allowInvitesFrom": "everyone",
        "guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
        "allowedToSignUpEmailBasedSubscriptions": True, "allowedToUseSSPR": True,
        "defaultUserRolePermissions": {"allowedToCreateApps": True,
                                       "allowedToCreateSecurityGroups": True,
                                       "allowedToReadOtherUsers": True}})
    world.add_graph(tenant, "/v1.0/policies/identitysecuritydefaultsenforcementpolicy", {
        "id": "00000000-0000-0000-0000-000000000005", "displayName": "Security Defaults",
        "isEnabled": False})
    world.add_graph(tenant, "/v1.0/reports/authenticationmethods/userregistrationdetails", *(
        {"id": u["id"], "userPrincipalName": u["userPrincipalName"], "userType": "member",
         "isAdmin": i == 0, "isMfaRegistered": i != 2, "isMfaCapable": i != 2}
        for i, u in enumerate(users[:3])))
    world.add_graph(tenant, "/v1.0/groupsettings", {
        "id": "2f5c2a4e-0000-4000-8000-00000000057e", "displayName": "Group.Unified",
        "templateId": "62375ab9-6b52-47ed-826b-58e47e0e304b",
        "values": [{"name": "EnableGroupCreation", "value": "true"}]})
    admin_role = "62e90394-0000-4000-8000-0000000000ad"
    world.add_graph(tenant, "/v1.0/directoryroles", {
        "id": admin_role, "displayName": "Global Administrator",
        "roleTemplateId": "62e90394-69f5-4237-9190-012177145e10"})
    world.add_graph(tenant, f"/v1.0/directoryroles/{admin_role}/members", *(
        {"id": u["id"], "userPrincipalName": u["userPrincipalName"]} for u in users[:2]))
    world.add_graph(tenant, "/v1.0/policies/deviceregistrationpolicy", {
        "id": "deviceRegistrationPolicy", "displayName": "Device Registration Policy",
        "userDeviceQuota": 50, "multiFactorAuthConfiguration": "notRequired",
        "azureADJoin": {"isAdminConfigurable": True, "allowedToJoin": {
            "@odata.type": "#microsoft.graph.allDeviceRegistrationMembership"}}})
    world.add_graph(tenant, "/v1.0/identity/conditionalaccess/namedlocations", {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        "id": "9d2e0000-0000-4000-8000-0000000010c0",
        "displayName": "Office", "isTrusted": True,
        "ipRanges": [{"cidrAddress": "203.0.113.0/24"}]})
    world.add_graph(tenant, "/v1.0/identity/conditionalaccess/policies", {
        "id": "7b5c7a2e-0000-4000-8000-0000000000ca", "displayName": "Require MFA for admins",
        "state": "enabled", "conditions": {"users": {"includeRoles": [
            "62e90394-69f5-4237-9190-012177145e10"]}, "applications": {
            "includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})
