"""What a person runs on the Azure side: steps, az commands, a custom role, a Bicep snippet.

Shared by ``GET /platform``, the portal's Azure form and the connector's diagnostics, and
generated from the declarations, so what we ask for is what the collectors read.
"""

from __future__ import annotations

import json
from typing import Any

from cloudconnectors.providers.azure.permissions import INVENTORY_ACTIONS
from cloudconnectors.providers.azure.resources.graph import GRAPH_PERMISSIONS

__all__ = [
    "GRAPH_APP_ID", "GRAPH_ROLE_IDS", "READER_ROLE_ID", "bicep_role_assignment",
    "custom_role_definition", "graph_commands", "guide", "inventory_role_commands",
    "reader_command", "steps",
]

READER_ROLE_ID = "acdd72a7-3385-48ef-bd42-f606fba81ae7"  # built-in Reader
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"  # Microsoft Graph
# Application-permission (app role) IDs of Microsoft Graph; the others are looked up by
# name in the command itself (``az ad sp show`` on Graph's service principal).
GRAPH_ROLE_IDS = {
    "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
    "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
}
APP = "<application-id>"
SUBSCRIPTION = "<subscription-id>"


def reader_command(application_id: str = APP, subscription_id: str = SUBSCRIPTION) -> str:
    return (f"az role assignment create --assignee {application_id} --role Reader "
            f"--scope /subscriptions/{subscription_id}")


def custom_role_definition(subscription_id: str = SUBSCRIPTION) -> dict[str, Any]:
    return {
        "Name": "Cloud Connectors inventory reader",
        "IsCustom": True,
        "Description": "Reads virtual machines and their network for the inventory only.",
        "Actions": list(INVENTORY_ACTIONS),
        "NotActions": [],
        "AssignableScopes": [f"/subscriptions/{subscription_id}"],
    }


def inventory_role_commands(application_id: str = APP,
                            subscription_id: str = SUBSCRIPTION) -> list[str]:
    definition = json.dumps(custom_role_definition(subscription_id))
    return [
        f"az role definition create --role-definition '{definition}'",
        f"az role assignment create --assignee {application_id} --role "
        f"\"Cloud Connectors inventory reader\" --scope /subscriptions/{subscription_id}",
    ]


def _role_id(permission: str) -> str:
    known = GRAPH_ROLE_IDS.get(permission)
    if known:
        return known
    return (f"$(az ad sp show --id {GRAPH_APP_ID} --query \"appRoles[?value=='{permission}']"
            ".id\" -o tsv)")


def graph_commands(application_id: str = APP,
                   permissions: tuple[str, ...] = GRAPH_PERMISSIONS) -> list[str]:
    grants = " ".join(f"{_role_id(p)}=Role" for p in permissions)
    return [
        f"az ad app permission add --id {application_id} --api {GRAPH_APP_ID} "
        f"--api-permissions {grants}",
        f"az ad app permission admin-consent --id {application_id}",
    ]


def bicep_role_assignment() -> str:
    return f"""targetScope = 'subscription'

// The object ID of the app's service principal (Enterprise applications > the app).
@description('Service principal object ID of the Cloud Connectors app registration')
param principalId string

var readerRoleId = '{READER_ROLE_ID}'

resource cloudConnectorsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{
  name: guid(subscription().id, principalId, readerRoleId)
  properties: {{
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions', readerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }}
}}
"""


def steps() -> list[str]:
    return [
        "In Microsoft Entra ID, open App registrations > New registration; name it (e.g. "
        "cloud-connectors), single tenant, no redirect URI. Copy the Application (client) ID "
        "and the Directory (tenant) ID from its Overview page.",
        "Under Certificates & secrets > Client secrets > New client secret, create a secret "
        "and copy its Value at once (not the Secret ID): it is the Authentication Key.",
        "Under API permissions, the default delegated Azure Service Management "
        "user_impersonation permission may stay; the connector signs in with client "
        "credentials and needs no other ARM permission there.",
        "On the subscription, assign the app the Reader role (Access control (IAM) > Add role "
        "assignment, or the az command or Bicep below). Reader gives full posture; a custom "
        "role with only the six inventory actions gives the inventory alone.",
        "Optional, for the identity controls: add the Microsoft Graph application permissions "
        + ", ".join(GRAPH_PERMISSIONS) + " and grant admin consent.",
        "Create the connector with the application, directory and subscription IDs and the "
        "secret value as authentication_key.",
    ]


GRAPH_USES = {
    "Directory.Read.All": "organization, users, group settings",
    "Policy.Read.All": "authorization policy, security defaults, conditional access, named "
                       "locations",
    "AuditLog.Read.All": "MFA registration details",
    "RoleManagement.Read.Directory": "directory roles and their members",
    "Policy.Read.DeviceConfiguration": "device registration policy",
}


def guide(application_id: str = APP, subscription_id: str = SUBSCRIPTION) -> dict[str, Any]:
    """Everything the portal form and ``GET /platform`` show for Azure, in one place."""
    return {
        "role": "Reader",
        "reader_role_id": READER_ROLE_ID,
        "minimal_permissions": list(INVENTORY_ACTIONS),
        "graph_permissions": [{"permission": p, "reads": GRAPH_USES[p], "optional": True}
                              for p in GRAPH_PERMISSIONS],
        "steps": steps(),
        "commands": {
            "reader": reader_command(application_id, subscription_id),
            "inventory_only": inventory_role_commands(application_id, subscription_id),
            "graph": graph_commands(application_id),
        },
        "custom_role": custom_role_definition(subscription_id),
        "bicep": bicep_role_assignment(),
    }
