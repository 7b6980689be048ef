"""Synthetic Azure inventory for ``evaluate.py --provider azure``: ARM and Graph records of
realistic shape (NSGs with rule lists, VNets with subnets, storage accounts with their blob and
file service records, key vaults with keys and secrets, web apps, flow logs, role assignments,
Entra users and MFA registration details), mixed roughly as a large subscription holds them.
Each record varies (half-compliant at random) so predicates take both branches."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime(2026, 11, 1, tzinfo=UTC)
REGIONS = ["eastus", "eastus2", "westus2", "westeurope", "northeurope", "southeastasia"]
SUB = "/subscriptions/5b0c2c1e-1f1a-4c59-9d0e-00000000b000"

# (type, share of assets): compute and networking dominate a large estate, as on AWS; the
# types CIS Azure v5.0.0 reads most (storage accounts: 19 rules each) are a smaller share.
MIX: list[tuple[str, float]] = [
    ("Microsoft.Compute/virtualMachines", 0.18), ("Microsoft.Compute/disks", 0.16),
    ("Microsoft.Network/networkInterfaces", 0.16), ("Microsoft.Network/publicIPAddresses", 0.04),
    ("Microsoft.Network/networkSecurityGroups", 0.08), ("Microsoft.Network/virtualNetworks", 0.02),
    ("Microsoft.Storage/storageAccounts", 0.05), ("Microsoft.KeyVault/vaults", 0.02),
    ("Microsoft.Web/sites", 0.04), ("Microsoft.Network/networkWatchers/flowLogs", 0.02),
    ("Microsoft.Authorization/roleAssignments", 0.08), ("Microsoft.Graph/users", 0.07),
    ("Microsoft.Graph/userRegistrationDetails", 0.07),
    ("Microsoft.Network/applicationGateways", 0.005), ("Microsoft.Databricks/workspaces", 0.005),
    ("Microsoft.Network/networkWatchers", 0.0005),
    ("Microsoft.Insights/activityLogAlerts", 0.0005),
    ("Microsoft.Graph/conditionalAccessPolicies", 0.0005),
    ("Microsoft.Security/pricings", 0.0005),
]
#: ``--heavy``: the same types without compute, so most assets are ones CIS rules read.
HEAVY_MIX: list[tuple[str, float]] = [(t, w) for t, w in MIX
                                      if not t.startswith("Microsoft.Compute/")
                                      and t not in ("Microsoft.Network/networkInterfaces",
                                                    "Microsoft.Network/publicIPAddresses")]


def _iso(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def _rid(kind: str, i: int) -> str:
    return f"{SUB}/resourceGroups/rg{i % 40}/providers/{kind}/r{i}"


def _nsg(r: random.Random, i: int) -> dict[str, Any]:
    rules = [{"name": f"rule{n}", "properties": {
        "protocol": r.choice(["Tcp", "Tcp", "Udp", "*"]),
        "sourceAddressPrefix": r.choice(["*", "Internet", "10.0.0.0/8", "203.0.113.0/24"]),
        "destinationPortRange": r.choice(["22", "3389", "443", "80", "8000-9000", "*"]),
        "access": r.choice(["Allow", "Allow", "Deny"]), "direction": "Inbound",
        "priority": 100 + n}} for n in range(r.randint(0, 8))]
    return {"id": _rid("Microsoft.Network/networkSecurityGroups", i), "name": f"nsg{i}",
            "location": r.choice(REGIONS), "properties": {"securityRules": rules}}


def _vnet(r: random.Random, i: int) -> dict[str, Any]:
    nsg = {"id": _rid("Microsoft.Network/networkSecurityGroups", i)}
    subnets = [{"name": f"s{n}", "properties": {"networkSecurityGroup": nsg}
                if r.random() < .8 else {}} for n in range(r.randint(1, 6))]
    return {"id": _rid("Microsoft.Network/virtualNetworks", i), "name": f"vnet{i}",
            "properties": {"subnets": subnets, "enableDdosProtection": r.random() < .2}}


def _storage(r: random.Random, i: int) -> dict[str, Any]:
    return {"id": _rid("Microsoft.Storage/storageAccounts", i), "name": f"st{i}",
            "kind": "StorageV2", "sku": {"name": r.choice(["Standard_LRS", "Standard_GRS"])},
            "properties": {
                "supportsHttpsTrafficOnly": r.random() < .9,
                "minimumTlsVersion": r.choice(["TLS1_0", "TLS1_2", "TLS1_2"]),
                "allowBlobPublicAccess": r.random() < .3, "allowSharedKeyAccess": r.random() < .5,
                "publicNetworkAccess": r.choice(["Enabled", "Disabled"]),
                "networkAcls": {"defaultAction": r.choice(["Allow", "Deny"]),
                                "bypass": "AzureServices"},
                "keyCreationTime": {"key1": _iso(r.randint(0, 400)), "key2": _iso(400)},
                "encryption": {"keySource": "Microsoft.Storage"}},
            "blobServiceProperties": {"properties": {
                "deleteRetentionPolicy": {"enabled": r.random() < .6},
                "containerDeleteRetentionPolicy": {"enabled": r.random() < .6},
                "isVersioningEnabled": r.random() < .4}},
            "fileServiceProperties": {"properties": {
                "shareDeleteRetentionPolicy": {"enabled": r.random() < .7},
                "protocolSettings": {"smb": {"versions": r.choice(["SMB3.1.1",
                                                                   "SMB3.0;SMB3.1.1"])}}}}}


def _vault(r: random.Random, i: int) -> dict[str, Any]:
    exp = int((NOW + timedelta(days=90)).timestamp())
    attrs = [{"enabled": True, "exp": exp} if r.random() < .7 else {"enabled": True}
             for _ in range(r.randint(0, 6))]
    return {"id": _rid("Microsoft.KeyVault/vaults", i), "name": f"kv{i}", "properties": {
        "enableRbacAuthorization": r.random() < .5, "enablePurgeProtection": r.random() < .5,
        "publicNetworkAccess": r.choice(["Enabled", "Disabled"])},
        "keys": [{"name": f"k{n}", "properties": {"attributes": a}} for n, a in enumerate(attrs)],
        "secrets": [{"name": f"s{n}", "properties": {"attributes": a}}
                    for n, a in enumerate(attrs)],
        "diagnosticSettings": [] if r.random() < .4 else [{"properties": {
            "workspaceId": "w", "logs": [{"categoryGroup": "audit", "enabled": True}]}}]}


def _site(r: random.Random, i: int) -> dict[str, Any]:
    return {"id": _rid("Microsoft.Web/sites", i), "name": f"app{i}",
            "kind": r.choice(["app", "app,linux", "functionapp"]), "properties": {},
            "diagnosticSettings": [{"properties": {"workspaceId": "w", "logs": [
                {"category": "AppServiceHTTPLogs", "enabled": r.random() < .6}]}}]}


def _flow_log(r: random.Random, i: int) -> dict[str, Any]:
    kind = r.choice(["networkSecurityGroups", "virtualNetworks"])
    return {"id": _rid("Microsoft.Network/networkWatchers/flowLogs", i), "properties": {
        "targetResourceId": _rid(f"Microsoft.Network/{kind}", i), "enabled": True,
        "retentionPolicy": {"days": r.choice([0, 7, 30, 90, 365]), "enabled": True},
        "flowAnalyticsConfiguration": {"networkWatcherFlowAnalyticsConfiguration": {
            "enabled": r.random() < .5, "workspaceResourceId": "w"}}}}


def _assignment(r: random.Random, i: int) -> dict[str, Any]:
    role = r.choice(["acdd72a7-3385-48ef-bd42-f606fba81ae7", "b24988ac-6180-42a0-ab88-20f7382dd24c",
                     "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"])
    return {"id": f"{SUB}/providers/Microsoft.Authorization/roleAssignments/a{i}", "properties": {
        "roleDefinitionId": f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/{role}",
        "principalId": f"u{r.randint(0, 5000)}",
        "scope": r.choice([SUB, f"{SUB}/resourceGroups/rg{i % 40}"])}}


def _user(r: random.Random, i: int) -> dict[str, Any]:
    return {"id": f"u{i}", "userPrincipalName": f"user{i}@example.com",
            "accountEnabled": r.random() < .95, "userType": r.choice(["Member"] * 9 + ["Guest"])}


def _registration(r: random.Random, i: int) -> dict[str, Any]:
    return {"id": f"u{i}", "userPrincipalName": f"user{i}@example.com",
            "isMfaRegistered": r.random() < .85, "isMfaCapable": True}


def _plain(r: random.Random, i: int) -> dict[str, Any]:
    return {"id": f"{SUB}/x/{i}", "name": f"x{i}", "properties": {
        "enabled": r.random() < .5, "pricingTier": r.choice(["Free", "Standard"]),
        "enableHttp2": r.random() < .5}}


MAKERS: dict[str, Any] = {
    "Microsoft.Network/networkSecurityGroups": _nsg, "Microsoft.Network/virtualNetworks": _vnet,
    "Microsoft.Storage/storageAccounts": _storage, "Microsoft.KeyVault/vaults": _vault,
    "Microsoft.Web/sites": _site, "Microsoft.Network/networkWatchers/flowLogs": _flow_log,
    "Microsoft.Authorization/roleAssignments": _assignment, "Microsoft.Graph/users": _user,
    "Microsoft.Graph/userRegistrationDetails": _registration,
}


def maker(type_: str) -> Any:
    return MAKERS.get(type_, _plain)
