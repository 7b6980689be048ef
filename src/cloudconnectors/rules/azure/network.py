"""CIS Azure 7.1-7.4, 7.6, 7.11, 8.4.1 and 8.5: network security groups, subnets, Network
Watcher, Bastion and DDoS protection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    dig,
    lower,
    on,
    props,
    resource_rule,
)
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

NSG = "Microsoft.Network/networkSecurityGroups"
VNET = "Microsoft.Network/virtualNetworks"
WATCHER = "Microsoft.Network/networkWatchers"
BASTION = "Microsoft.Network/bastionHosts"
INTERNET = frozenset({"*", "0.0.0.0",  # noqa: S104 (a source prefix, not a bind)
                       "0.0.0.0/0", "internet", "any", "::/0", "<nw>/0"})
#: Platform subnets that must not (or need not) carry an NSG.
NSG_EXEMPT_SUBNETS = frozenset({"gatewaysubnet", "azurefirewallsubnet",
                                "azurefirewallmanagementsubnet", "routeserversubnet"})


_ALLOW = frozenset({"Allow", "allow"})
_INBOUND = frozenset({"Inbound", "inbound"})


def _from_internet(p: dict[str, Any]) -> bool:
    source = p.get("sourceAddressPrefix")
    if isinstance(source, str) and source.lower() in INTERNET:
        return True
    return any(isinstance(s, str) and s.lower() in INTERNET
               for s in p.get("sourceAddressPrefixes") or ())


def _covers(spec: object, port: int) -> bool:
    if spec == "*":
        return True
    low, _, high = str(spec).partition("-")
    try:
        return int(low) <= port <= int(high or low)
    except ValueError:
        return False


_Exposure = tuple[tuple[str, str, tuple[object, ...]], ...]
#: The last NSG record scanned and its exposure: the four NSG rules run one after another on
#: the same record, so the scan happens once per NSG. A tuple swap is atomic, and the record
#: is compared by identity, so concurrent evaluations cannot read each other's answer.
_last: tuple[object, _Exposure] = (None, ())


def _exposure(data: Data) -> _Exposure:
    """(name, protocol, port specs) of the inbound Allow rules whose source is the internet."""
    global _last
    seen, found = _last
    if seen is data:
        return found
    hits = []
    for rule in props(data).get("securityRules") or ():
        p = rule.get("properties") if isinstance(rule, dict) else None
        if not isinstance(p, dict) or p.get("access") not in _ALLOW \
                or p.get("direction") not in _INBOUND or not _from_internet(p):
            continue
        specs = (p.get("destinationPortRange"), *(p.get("destinationPortRanges") or ()))
        hits.append((str(rule.get("name")), lower(p.get("protocol")),
                     tuple(s for s in specs if s not in (None, ""))))
    exposure = tuple(hits)
    _last = (data, exposure)
    return exposure


def open_to_internet(data: Data, protocols: frozenset[str],
                     ports: tuple[int, ...] | None) -> list[str]:
    """Names of inbound Allow rules from the internet for ``protocols`` (lower-case) and, when
    given, any of ``ports``."""
    return [name for name, protocol, specs in _exposure(data)
            if (protocol == "*" or protocol in protocols)
            and (ports is None or any(_covers(spec, port) for spec in specs for port in ports))]


def _verdict(hits: list[str], what: str) -> Verdict:
    if hits:
        return failed(f"{what} from the internet allowed by: " + ", ".join(sorted(hits)))
    return PASS


_NSG_FIX = ("Delete the rule or narrow its source to known address ranges; reach machines "
            "through Azure Bastion, a VPN or just-in-time access instead.")


@resource_rule(
    id="azure.network.nsg_no_internet_rdp", title="Network security groups do not allow RDP "
    "from the internet", severity=Severity.HIGH, resource_type=NSG, needs=("properties",),
    rationale="RDP exposed to the internet is scanned and brute-forced within minutes and is "
    "a frequent ransomware entry point.", remediation=_NSG_FIX)
def nsg_rdp(data: Data, ctx: Context) -> Verdict:
    return _verdict(open_to_internet(data, frozenset({"tcp"}), (3389,)), "RDP (TCP 3389)")


@resource_rule(
    id="azure.network.nsg_no_internet_ssh", title="Network security groups do not allow SSH "
    "from the internet", severity=Severity.HIGH, resource_type=NSG, needs=("properties",),
    rationale="SSH exposed to the internet invites brute force and exploitation of the SSH "
    "daemon.", remediation=_NSG_FIX)
def nsg_ssh(data: Data, ctx: Context) -> Verdict:
    return _verdict(open_to_internet(data, frozenset({"tcp"}), (22,)), "SSH (TCP 22)")


@resource_rule(
    id="azure.network.nsg_no_internet_udp", title="Network security groups do not allow UDP "
    "from the internet", severity=Severity.MEDIUM, resource_type=NSG, needs=("properties",),
    rationale="Open UDP services (DNS, NTP, SNMP, SSDP, LDAP) are used for reflection and "
    "amplification attacks and rarely need to face the internet.",
    remediation="Remove inbound UDP rules from the internet, or limit them to known source "
    "ranges; put public UDP services behind Azure DDoS Protection.")
def nsg_udp(data: Data, ctx: Context) -> Verdict:
    return _verdict(open_to_internet(data, frozenset({"udp"}), None), "UDP")


@resource_rule(
    id="azure.network.nsg_no_internet_http", title="Network security groups do not allow "
    "HTTP(S) from the internet", severity=Severity.MEDIUM, resource_type=NSG,
    needs=("properties",),
    rationale="Web ports opened straight to virtual machines bypass a web application "
    "firewall; publish web apps through Application Gateway with WAF or Front Door instead.",
    remediation="Remove the inbound 80/443 rule from the internet and publish the service "
    "through an Application Gateway (WAF) or Azure Front Door.")
def nsg_http(data: Data, ctx: Context) -> Verdict:
    return _verdict(open_to_internet(data, frozenset({"tcp"}), (80, 443)), "HTTP(S) (TCP 80/443)")


@resource_rule(
    id="azure.network.subnet_has_nsg", title="Subnets are associated with a network security "
    "group", severity=Severity.MEDIUM, resource_type=VNET, needs=("properties",),
    rationale="A subnet without an NSG passes all traffic the virtual network routes to it; "
    "an NSG is the first place to deny what is not needed.",
    remediation="Virtual network > Subnets > subnet > Network security group: pick one (az "
    "network vnet subnet update --network-security-group). GatewaySubnet and the firewall "
    "and route server subnets are exempt.")
def subnet_has_nsg(data: Data, ctx: Context) -> Verdict:
    bare = [str(s.get("name")) for s in props(data).get("subnets") or []
            if lower(s.get("name")) not in NSG_EXEMPT_SUBNETS
            and not dig(s, "properties", "networkSecurityGroup", "id")]
    return failed("subnets without an NSG: " + ", ".join(sorted(bare))) if bare else PASS


@resource_rule(
    id="azure.network.vnet_ddos_protection", title="DDoS Network Protection is on for "
    "virtual networks", severity=Severity.LOW, resource_type=VNET, needs=("properties",),
    rationale="DDoS Network Protection adds adaptive mitigation, telemetry and cost protection "
    "for the public endpoints in the virtual network beyond the basic platform defence.",
    remediation="Create a DDoS protection plan and enable it on the virtual network (az "
    "network vnet update --ddos-protection true --ddos-protection-plan <plan>).")
def vnet_ddos(data: Data, ctx: Context) -> Verdict:
    p = props(data)
    if p.get("enableDdosProtection") is True and dig(p, "ddosProtectionPlan", "id"):
        return PASS
    return failed("DDoS Network Protection is off")


@account_rule(
    id="azure.network.watcher_in_used_regions", title="Network Watcher is enabled in every "
    "region with a virtual network", severity=Severity.LOW, resource_types=(VNET, WATCHER),
    rationale="Flow logs, connection troubleshooting and topology need a Network Watcher in "
    "the region; without it an incident cannot be investigated at the network level.",
    remediation="Network Watcher > Overview > enable for each region in use (az network "
    "watcher configure --locations <region> --enabled true).")
def watcher_in_used_regions(view: SnapshotView) -> Iterator[AccountVerdict]:
    used = view.by_region(VNET)
    if not used:
        yield account(Status.NOT_APPLICABLE, "no virtual networks")
        return
    ready = {w.region: w for w in view.of(WATCHER)
             if props(w.data).get("provisioningState", "Succeeded") == "Succeeded"}
    for region, vnets in sorted(used.items()):
        watcher = ready.get(region)
        if watcher is not None:
            yield on(watcher, Status.PASS)
        else:
            yield on(vnets[0], Status.FAIL, f"no Network Watcher in {region}, where "
                     f"{len(vnets)} virtual network(s) are")


@account_rule(
    id="azure.network.bastion_host_exists", title="An Azure Bastion host exists",
    severity=Severity.LOW, resource_types=(BASTION,),
    rationale="Bastion gives browser RDP/SSH over TLS without public IPs on the machines, so "
    "management ports need not face the internet.",
    remediation="Create a Bastion host in the hub virtual network (az network bastion create) "
    "and remove public management access from the machines.")
def bastion_exists(view: SnapshotView) -> Iterator[AccountVerdict]:
    hosts = view.of(BASTION)
    if hosts:
        yield from (on(h, Status.PASS) for h in hosts)
    else:
        yield account(Status.FAIL, "no Azure Bastion host in the subscription")


RULES: tuple[Rule, ...] = (
    nsg_rdp, nsg_ssh, nsg_udp, nsg_http, subnet_has_nsg, vnet_ddos, watcher_in_used_regions,
    bastion_exists,
)
