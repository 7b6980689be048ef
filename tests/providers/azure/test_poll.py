"""End-to-end polls: real azure-identity and azure-core -> the HTTPS stand-in."""

from __future__ import annotations

import pytest

from cloudconnectors.domain.errors import AuthenticationFailed
from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.azure.engine import ERRORS_KEY
from cloudconnectors.providers.azure.provider import AzureProvider
from cloudconnectors.providers.azure.resources import RESOURCES
from cloudconnectors.providers.base import Access, PollContext
from tests.providers.azure.polling import run_poll
from tests.support.azure import (
    EMPTY_SUBSCRIPTION,
    EXPIRED_APP,
    INVENTORY_APP,
    NO_GRAPH_APP,
    NO_ROLE_APP,
    SECRET,
    SUBSCRIPTION,
    TENANT,
    UNKNOWN_APP,
    UNKNOWN_TENANT,
    VMS,
    AzureWorld,
    credentials,
)

VM = "Microsoft.Compute/virtualMachines"


def test_success_reads_every_type_with_its_sub_records(azure: AzureWorld,
                                                       context: PollContext) -> None:
    poll = run_poll(context, credentials())
    sink = poll.sink

    assert sink.regions == ["eastus", "northeurope", "uksouth", "westeurope"]
    assert [r for r in sink.results if r.is_problem] == []
    vms = sink.of_type(VM)
    assert len(vms) == VMS  # five VMs over pages of two: nextLink was followed
    assert {a.region for a in vms} == {"eastus", "westeurope"}
    vm = vms[0]
    assert vm.native_id == vm.data["id"] and vm.name == vm.data["name"]
    assert {a.account for a in sink.assets} == {SUBSCRIPTION}
    assert {r.account for r in sink.results} == {SUBSCRIPTION}
    assert vm.data["extensions"][0]["properties"]["type"] == "AzureMonitorLinuxAgent"
    collected = {a.type for a in sink.assets}
    assert {r.type for r in RESOURCES} <= collected
    for type_, count in azure.seeded.counts.items():
        assert len(sink.of_type(type_)) == count, type_
    [account] = [a for a in sink.of_type("Microsoft.Storage/storageAccounts")
                 if a.name == "acmelogs"]
    assert account.data["blobServiceProperties"]["properties"]["deleteRetentionPolicy"] == {
        "enabled": True, "days": 7}
    [vault] = sink.of_type("Microsoft.KeyVault/vaults")
    assert {k["name"] for k in vault.data["keys"]} == {"signing", "legacy"}
    assert vault.data["secrets"][0]["properties"]["attributes"] == {"enabled": True}
    assert "value" not in vault.data["secrets"][0]["properties"]
    assert vault.data["diagnosticSettings"][0]["properties"]["logs"][0]["category"] == \
        "AuditEvent"
    [sql] = sink.of_type("Microsoft.Sql/servers")
    assert sql.data["databases"][0]["transparentDataEncryption"]["properties"]["state"] == \
        "Enabled"
    assert sql.data["auditingSettings"]["properties"]["state"] == "Enabled"
    assert sql.data["administrators"][0]["properties"]["administratorType"] == \
        "ActiveDirectory"
    [pg] = sink.of_type("Microsoft.DBforPostgreSQL/flexibleServers")
    assert pg.data["configurations"]["require_secure_transport"] == "on"
    [site] = sink.of_type("Microsoft.Web/sites")
    assert site.region == "westeurope"  # "West Europe" normalised
    assert site.data["config"]["properties"]["ftpsState"] == "AllAllowed"
    [alert] = sink.of_type("Microsoft.Insights/activityLogAlerts")
    assert alert.region == "global"
    assert {u.data["userType"] for u in sink.of_type("Microsoft.Graph/users")} == {
        "Guest", "Member"}
    [role] = sink.of_type("Microsoft.Graph/directoryRoles")
    assert len(role.data["members"]) == 2
    [locks] = sink.of_type("Microsoft.Authorization/locks")
    assert locks.data["properties"]["level"] == "CanNotDelete"
    [gateway] = sink.of_type("Microsoft.Network/virtualNetworkGateways")  # per resource group
    assert gateway.region == "eastus"
    [tenant_policy] = sink.of_type("Microsoft.Subscription/policies")
    assert tenant_policy.data["properties"]["blockSubscriptionsLeavingTenant"] is False
    assert account.data["fileServiceProperties"]["name"] == "default"
    [policy] = sink.of_type("Microsoft.Graph/authorizationPolicy")
    assert policy.native_id == "authorizationPolicy" and "@odata.context" not in policy.data
    [check] = sink.of_type("Microsoft.Authorization/permissions")
    assert check.data["mode"] == "full"
    # + the subscription check and the locations list, which precede the collectors
    assert poll.session.meter.total_calls == sum(r.calls for r in sink.results) + 2


def test_success_diagnostics_are_all_granted(azure: AzureWorld, context: PollContext) -> None:
    sink = run_poll(context, credentials()).sink
    items = AzureProvider().diagnose(sink.results, context, credentials().public_view())
    assert {i.key: i.access for i in items} == {
        "azure.sign_in": Access.GRANTED, "azure.role": Access.GRANTED,
        "azure.inventory": Access.GRANTED, "azure.graph": Access.GRANTED}


def test_empty_subscription_lists_locations_and_no_vm(azure: AzureWorld,
                                                      context: PollContext) -> None:
    sink = run_poll(context, credentials(subscription=EMPTY_SUBSCRIPTION)).sink
    assert sink.regions == ["eastus"]
    assert sink.of_type(VM) == []
    vm_result = sink.result(VM, "global")
    assert vm_result.outcome is Outcome.OK and vm_result.count == 0


def test_inventory_only_collects_vms_and_names_every_refused_action(
        azure: AzureWorld, context: PollContext) -> None:
    sink = run_poll(context, credentials(INVENTORY_APP)).sink

    assert len(sink.of_type(VM)) == VMS
    vm = sink.of_type(VM)[0]
    assert "extensions" not in vm.data
    assert vm.data[ERRORS_KEY] == {"extensions": "AuthorizationFailed"}
    assert "Microsoft.Compute/virtualMachines/extensions/read refused" in (
        sink.result(VM, "eastus").reason or "")
    assert sink.result(VM, "eastus").outcome is Outcome.PARTIAL
    disks = sink.result("Microsoft.Compute/disks", "global")
    assert disks.outcome is Outcome.DENIED
    assert disks.permission == "Microsoft.Compute/disks/read"
    assert disks.error_code == "AuthorizationFailed"
    graph = sink.result("Microsoft.Graph/conditionalAccessPolicies", "global")
    assert (graph.outcome, graph.permission) == (Outcome.DENIED, "Policy.Read.All")
    for type_ in ("Microsoft.Network/networkSecurityGroups",
                  "Microsoft.Resources/resourceGroups"):
        assert not [r for r in sink.results if r.resource_type == type_ and r.is_problem]
    [check] = [r for r in sink.results if r.resource_type ==
               "Microsoft.Authorization/permissions"]
    assert check.error_code == "InventoryOnly"
    assert "Microsoft.Compute/disks/read" in (check.reason or "")

    items = {i.key: i for i in AzureProvider().diagnose(
        sink.results, context, credentials(INVENTORY_APP).public_view())}
    role = items["azure.role"]
    assert role.access is Access.MISSING
    assert role.fix is not None and (
        f"az role assignment create --assignee {INVENTORY_APP} --role Reader "
        f"--scope /subscriptions/{SUBSCRIPTION}") in role.fix
    assert "Microsoft.Compute/disks/read" in role.denied
    assert items["azure.inventory"].access is Access.GRANTED
    assert items["azure.graph"].access is Access.MISSING
    assert set(items["azure.graph"].denied) == {
        "Directory.Read.All", "Policy.Read.All", "AuditLog.Read.All",
        "RoleManagement.Read.Directory", "Policy.Read.DeviceConfiguration"}


def test_graph_denied_is_reported_with_the_permission(azure: AzureWorld,
                                                      context: PollContext) -> None:
    sink = run_poll(context, credentials(NO_GRAPH_APP)).sink
    graph = {r.resource_type: r for r in sink.results if r.service == "graph"}
    assert {t: (r.outcome, r.permission) for t, r in graph.items()} == {
        "Microsoft.Graph/organization": (Outcome.DENIED, "Directory.Read.All"),
        "Microsoft.Graph/users": (Outcome.DENIED, "Directory.Read.All"),
        "Microsoft.Graph/authorizationPolicy": (Outcome.DENIED, "Policy.Read.All"),
        "Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy": (Outcome.DENIED,
                                                                      "Policy.Read.All"),
        "Microsoft.Graph/conditionalAccessPolicies": (Outcome.DENIED, "Policy.Read.All"),
        "Microsoft.Graph/namedLocations": (Outcome.DENIED, "Policy.Read.All"),
        "Microsoft.Graph/groupSettings": (Outcome.DENIED, "Directory.Read.All"),
        "Microsoft.Graph/userRegistrationDetails": (Outcome.DENIED, "AuditLog.Read.All"),
        "Microsoft.Graph/directoryRoles": (Outcome.DENIED, "RoleManagement.Read.Directory"),
        "Microsoft.Graph/deviceRegistrationPolicy": (Outcome.DENIED,
                                                     "Policy.Read.DeviceConfiguration"),
    }
    assert len(sink.of_type(VM)) == VMS
    assert not [r for r in sink.results if r.is_problem and r.service != "graph"]


@pytest.mark.parametrize(("app", "tenant", "secret", "expected"), [
    (INVENTORY_APP, TENANT, "the-secret-id-not-the-value", "AADSTS7000215"),
    (EXPIRED_APP, TENANT, SECRET, "AADSTS7000222"),
    (UNKNOWN_APP, TENANT, SECRET, "AADSTS700016"),
    (INVENTORY_APP, UNKNOWN_TENANT, SECRET, f"does not know the directory {UNKNOWN_TENANT}"),
], ids=["wrong-secret", "expired-secret", "unknown-app", "unknown-directory"])
def test_sign_in_errors_say_what_to_fix(azure: AzureWorld, context: PollContext, app: str,
                                        tenant: str, secret: str, expected: str) -> None:
    with pytest.raises(AuthenticationFailed) as failed:
        AzureProvider().authenticate(credentials(app, tenant=tenant, secret=secret), context)
    message = str(failed.value)
    assert expected in message
    assert secret not in message and "Traceback" not in message
    assert "press Refresh" in message
    if expected == "AADSTS7000215":
        assert "Value, not its Secret ID" in message
    if expected == "AADSTS7000222":
        assert "Certificates & secrets" in message


def test_no_role_on_the_subscription_gives_the_az_command(azure: AzureWorld,
                                                          context: PollContext) -> None:
    with pytest.raises(AuthenticationFailed) as failed:
        AzureProvider().authenticate(credentials(NO_ROLE_APP), context)
    assert (f"az role assignment create --assignee {NO_ROLE_APP} --role Reader --scope "
            f"/subscriptions/{SUBSCRIPTION}") in str(failed.value)
