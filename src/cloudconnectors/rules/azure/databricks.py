"""CIS Azure 2.1: Azure Databricks workspaces (network isolation, encryption, logging)."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    approved_private_endpoint,
    by_id,
    dig,
    label,
    lower,
    on,
    props,
    resource_rule,
)
from cloudconnectors.rules.azure.keyvault import audit_logged
from cloudconnectors.rules.azure.network import VNET
from cloudconnectors.rules.model import (
    PASS,
    AccountVerdict,
    Context,
    Data,
    Rule,
    Severity,
    Status,
    Verdict,
    failed,
)
from cloudconnectors.rules.snapshot import SnapshotView

WORKSPACE = "Microsoft.Databricks/workspaces"


def _parameter(data: Data, name: str) -> object:
    return dig(props(data), "parameters", name, "value")


def _vnet_id(data: Data) -> str:
    return lower(_parameter(data, "customVirtualNetworkId"))


@resource_rule(
    id="azure.databricks.vnet_injection", title="Databricks workspaces run in a "
    "customer-managed virtual network", severity=Severity.MEDIUM, resource_type=WORKSPACE,
    needs=("properties",),
    rationale="VNet injection puts the clusters in the organization's own network, where its "
    "NSGs, routes, firewalls and private connectivity apply.",
    remediation="Databricks cannot move into a VNet in place: create a workspace with "
    "Networking > Deploy in your own Virtual Network, and migrate to it.")
def vnet_injection(data: Data, ctx: Context) -> Verdict:
    return PASS if _vnet_id(data) else failed("the workspace uses the managed virtual network")


@account_rule(
    id="azure.databricks.subnets_have_nsg", title="Databricks workspace subnets have network "
    "security groups", severity=Severity.MEDIUM, resource_types=(WORKSPACE, VNET),
    rationale="The host and container subnets of an injected workspace carry all cluster "
    "traffic; an NSG on each is what restricts it.",
    remediation="Associate an NSG with both Databricks subnets (Virtual network > Subnets > "
    "Network security group).")
def subnets_have_nsg(view: SnapshotView) -> Iterator[AccountVerdict]:
    workspaces = view.of(WORKSPACE)
    if not workspaces:
        yield account(Status.NOT_APPLICABLE, "no Databricks workspaces")
        return
    vnets = by_id(view.of(VNET))
    for item in workspaces:
        vnet = vnets.get(_vnet_id(item.data))
        if not _vnet_id(item.data):
            yield on(item, Status.FAIL, f"{label(item)}: not in a customer-managed virtual "
                     "network, so its subnets cannot carry NSGs")
            continue
        if vnet is None:
            yield on(item, Status.MANUAL, f"{label(item)}: its virtual network is not in the "
                     "inventory")
            continue
        names = {lower(_parameter(item.data, k)) for k in ("customPublicSubnetName",
                                                           "customPrivateSubnetName")}
        subnets = {lower(s.get("name")): s for s in props(vnet.data).get("subnets") or []}
        bare = sorted(n for n in names - {""}
                      if not dig(subnets.get(n), "properties", "networkSecurityGroup", "id"))
        if bare:
            yield on(item, Status.FAIL, f"{label(item)}: subnets without an NSG: "
                     + ", ".join(bare))
        else:
            yield on(item, Status.PASS)


@resource_rule(
    id="azure.databricks.diagnostic_logs", title="Databricks workspaces deliver diagnostic "
    "logs", severity=Severity.MEDIUM, resource_type=WORKSPACE, needs=("diagnosticSettings",),
    rationale="Workspace audit logs record logins, cluster, job, notebook and secret access; "
    "without them misuse of the workspace leaves no trail.",
    remediation="Databricks workspace > Monitoring > Diagnostic settings > Add: the audit log "
    "categories to a Log Analytics workspace or storage account (Premium tier).")
def diagnostic_logs(data: Data, ctx: Context) -> Verdict:
    settings = data.get("diagnosticSettings")
    if audit_logged(settings, frozenset({"accounts", "clusters", "jobs", "notebook",
                                         "secrets", "workspace"})):
        return PASS
    return failed("no diagnostic setting delivers workspace logs")


@resource_rule(
    id="azure.databricks.customer_managed_keys", title="Databricks workspaces encrypt with "
    "customer-managed keys", severity=Severity.LOW, resource_type=WORKSPACE,
    needs=("properties",),
    rationale="Customer-managed keys for managed services and disks keep notebooks, secrets "
    "and cluster disks under the organization's own key.",
    remediation="Databricks workspace > Encryption: enable customer-managed keys for managed "
    "services (and managed disks) with a Key Vault key (Premium tier).")
def customer_managed_keys(data: Data, ctx: Context) -> Verdict:
    entities = dig(props(data), "encryption", "entities") or {}
    if any(lower(dig(entities, name, "keySource")) == "microsoft.keyvault"
           for name in ("managedServices", "managedDisk")):
        return PASS
    return failed("no customer-managed key for managed services or disks")


@resource_rule(
    id="azure.databricks.no_public_ip", title="Databricks clusters have no public IP "
    "addresses", severity=Severity.MEDIUM, resource_type=WORKSPACE, needs=("properties",),
    rationale="With secure cluster connectivity the cluster nodes get no public IPs and open "
    "no inbound ports.",
    remediation="Databricks workspace > Networking: Deploy with Secure Cluster Connectivity "
    "(No Public IP) = Yes.")
def no_public_ip(data: Data, ctx: Context) -> Verdict:
    if _parameter(data, "enableNoPublicIp") is True:
        return PASS
    return failed("enableNoPublicIp is not true")


@resource_rule(
    id="azure.databricks.public_network_access_disabled", title="Public network access is "
    "disabled for Databricks workspaces", severity=Severity.MEDIUM, resource_type=WORKSPACE,
    needs=("properties",),
    rationale="With public access off, the workspace UI and APIs answer only over Private "
    "Link.",
    remediation="Databricks workspace > Networking: Allow Public Network Access = Disabled "
    "(needs Private Link front-end endpoints).")
def public_network_access(data: Data, ctx: Context) -> Verdict:
    value = props(data).get("publicNetworkAccess")
    return PASS if value == "Disabled" else failed(f"publicNetworkAccess is {value or 'not set'}")


@resource_rule(
    id="azure.databricks.private_endpoint_used", title="Databricks workspaces are reached "
    "through private endpoints", severity=Severity.MEDIUM, resource_type=WORKSPACE,
    needs=("properties",),
    rationale="Private endpoints keep browser, API and cluster-to-control-plane traffic on "
    "private addresses.",
    remediation="Databricks workspace > Networking > Private endpoint connections > + Private "
    "endpoint (databricks_ui_api).")
def private_endpoint(data: Data, ctx: Context) -> Verdict:
    return approved_private_endpoint(props(data))


RULES: tuple[Rule, ...] = (
    vnet_injection, subnets_have_nsg, diagnostic_logs, customer_managed_keys, no_public_ip,
    public_network_access, private_endpoint,
)
