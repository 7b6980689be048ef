"""CIS GCP 3.x: the default and legacy networks, Cloud DNS DNSSEC, firewall rules open to
the internet, subnet flow logs, SSL policies and Google-only proxy ranges."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, partial

from cloudconnectors.rules.gcp.base import (
    Projects,
    account_rule,
    on,
    per_project,
    project_of,
    resource_rule,
    short,
)
from cloudconnectors.rules.gcp.shapes import (
    DNS_ZONE,
    FIREWALL,
    HTTPS_PROXY,
    NETWORK,
    PROJECT,
    SSL_POLICY,
    SSL_PROXY,
    SUBNETWORK,
)
from cloudconnectors.rules.model import (
    PASS,
    AccountVerdict,
    Context,
    Data,
    InventoryItem,
    ResourceRule,
    Rule,
    Severity,
    Status,
    Verdict,
    failed,
    not_applicable,
)
from cloudconnectors.rules.snapshot import SnapshotView

ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})
#: Google's health-check and Identity-Aware Proxy TCP forwarding ranges.
GOOGLE_PROXY_RANGES = tuple(ipaddress.ip_network(r) for r in
                            ("35.191.0.0/16", "130.211.0.0/22", "35.235.240.0/20"))
WEAK_CIPHERS = frozenset({
    "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA"})


# --- 3.1 / 3.2 networks -------------------------------------------------------------------------

def _no_default(project: InventoryItem, projects: Projects) -> Verdict:
    found = [n for n in projects.of(NETWORK, project_of(project))
             if n.data.get("name") == "default"]
    return failed("the network named default exists") if found else PASS


@account_rule(
    id="gcp.compute.no_default_network", title="The default network does not exist in the "
    "project", severity=Severity.MEDIUM, resource_types=(PROJECT, NETWORK),
    rationale="The default network comes with firewall rules that allow SSH, RDP and ICMP "
    "from anywhere and all internal traffic; nobody designed it for the workloads in it.",
    remediation="Create a custom-mode network with the rules you need, move workloads, and "
    "delete the default network; set the compute.skipDefaultNetworkCreation policy.")
def no_default_network(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _no_default)


@resource_rule(
    id="gcp.compute.no_legacy_network", title="No legacy network exists",
    severity=Severity.MEDIUM, resource_type=NETWORK,
    rationale="A legacy network has one IP range for every region and no subnets, so it "
    "cannot be segmented or given flow logs.",
    remediation="Create a VPC network with subnets, migrate the workloads and delete the "
    "legacy network.")
def no_legacy_network(data: Data, ctx: Context) -> Verdict:
    if data.get("IPv4Range"):
        return failed(f"legacy network with range {data['IPv4Range']}")
    return PASS


# --- 3.3 - 3.5 DNSSEC ----------------------------------------------------------------------------

def _public_zone(data: Data) -> bool:
    return str(data.get("visibility") or "public").lower() == "public"


@resource_rule(
    id="gcp.dns.dnssec_enabled", title="DNSSEC is enabled for public Cloud DNS zones",
    severity=Severity.MEDIUM, resource_type=DNS_ZONE, needs=("dnsName",),
    rationale="Without DNSSEC a resolver cannot tell a forged answer from a real one, so "
    "the domain can be hijacked by cache poisoning.",
    remediation="Turn on DNSSEC for the zone (gcloud dns managed-zones update ZONE "
    "--dnssec-state on) and publish the DS record at the registrar.")
def dnssec_enabled(data: Data, ctx: Context) -> Verdict:
    if not _public_zone(data):
        return not_applicable("private zone")
    state = (data.get("dnssecConfig") or {}).get("state", "off")
    return PASS if state == "on" else failed(f"DNSSEC state is {state}")


def _rsasha1(key_type: str, data: Data, ctx: Context) -> Verdict:
    config = data.get("dnssecConfig") or {}
    if not _public_zone(data) or config.get("state", "off") != "on":
        return not_applicable("DNSSEC is not on")
    weak = [k for k in config.get("defaultKeySpecs") or []
            if k.get("keyType") == key_type and str(k.get("algorithm", "")).lower() == "rsasha1"]
    return failed(f"{key_type} uses RSASHA1") if weak else PASS


def _rsasha1_rule(key_type: str, what: str) -> ResourceRule:
    return resource_rule(
        id=f"gcp.dns.no_rsasha1_{key_type.lower()}", title=f"RSASHA1 is not used for the "
        f"{what} in Cloud DNS DNSSEC", severity=Severity.MEDIUM, resource_type=DNS_ZONE,
        needs=("dnsName",),
        rationale="SHA-1 is broken for signatures; a zone signed with it gives weaker "
        "assurance than DNSSEC promises.",
        remediation=f"Turn DNSSEC off, change the {what} algorithm to RSASHA256 or "
        "ECDSAP256SHA256, and turn it back on (the algorithm cannot change while on).",
    )(partial(_rsasha1, key_type))


# --- 3.6 / 3.7 firewall rules ---------------------------------------------------------------------

def _port_open(allowed: list[dict[str, object]], port: int) -> bool:
    for rule in allowed:
        protocol = str(rule.get("IPProtocol", "")).lower()
        if protocol not in ("tcp", "all", "6"):
            continue
        ports = rule.get("ports") or []
        if not isinstance(ports, list) or not ports:
            return True
        for spec in ports:
            low, _, high = str(spec).partition("-")
            if int(low) <= port <= int(high or low):
                return True
    return False


def _ingress_from_anywhere(data: Data) -> bool:
    return (str(data.get("direction") or "INGRESS") == "INGRESS" and not data.get("disabled")
            and bool(ANYWHERE & set(data.get("sourceRanges") or [])))


def _open_port(port: int, data: Data, ctx: Context) -> Verdict:
    if not _ingress_from_anywhere(data) or not data.get("allowed"):
        return PASS
    if _port_open(data["allowed"], port):
        return failed(f"allows port {port} from the internet")
    return PASS


@dataclass(frozen=True)
class PortControl:
    slug: str
    port: int
    service: str


def _port_rule(control: PortControl) -> ResourceRule:
    return resource_rule(
        id=f"gcp.compute.firewall_no_{control.slug}_from_internet",
        title=f"Firewall rules do not allow {control.service} (port {control.port}) from the "
        "internet", severity=Severity.HIGH, resource_type=FIREWALL,
        rationale=f"{control.service} open to 0.0.0.0/0 invites password guessing and "
        "exploits against every VM the rule targets.",
        remediation="Narrow the rule's source ranges to known addresses, or reach VMs "
        "through Identity-Aware Proxy TCP forwarding (35.235.240.0/20) instead.",
    )(partial(_open_port, control.port))


def _inside_google(source: object) -> bool:
    # Firewall rules repeat a few source ranges and parsing one is costly: remember strings.
    return _inside_google_cached(source) if isinstance(source, str) else _in_google(source)


@lru_cache(maxsize=4096)
def _inside_google_cached(source: str) -> bool:
    return _in_google(source)


def _in_google(source: object) -> bool:
    try:
        net = ipaddress.ip_network(source, strict=False)  # type: ignore[arg-type]
    except ValueError:
        return False
    return any(net.version == g.version and net.subnet_of(g)  # type: ignore[arg-type]
               for g in GOOGLE_PROXY_RANGES)


@resource_rule(
    id="gcp.compute.firewall_web_only_from_google", title="Firewall rules for web ports "
    "allow only Google's proxy and health-check ranges", severity=Severity.MEDIUM,
    resource_type=FIREWALL,
    rationale="Behind a Google load balancer or Identity-Aware Proxy, traffic to the "
    "backends comes from Google's ranges only; anything wider lets clients bypass the proxy "
    "and its access checks.",
    remediation="Limit the source ranges of rules for ports 80 and 443 to 35.191.0.0/16, "
    "130.211.0.0/22 and 35.235.240.0/20, and put IAP in front of the service.")
def web_only_from_google(data: Data, ctx: Context) -> Verdict:
    if (str(data.get("direction") or "INGRESS") != "INGRESS" or data.get("disabled")
            or not data.get("allowed")
            or not (_port_open(data["allowed"], 80) or _port_open(data["allowed"], 443))):
        return not_applicable("does not allow web traffic in")
    outside = [s for s in data.get("sourceRanges") or [] if not _inside_google(s)]
    if outside or not data.get("sourceRanges"):
        return failed("web ports open to " + ", ".join(outside or ["tagged sources"]))
    return PASS


# --- 3.8 flow logs --------------------------------------------------------------------------------

@resource_rule(
    id="gcp.compute.subnet_flow_logs", title="VPC flow logs are on for every subnet with "
    "full sampling and metadata", severity=Severity.MEDIUM, resource_type=SUBNETWORK,
    rationale="Flow logs are the record of which VM talked to which address; sampled or "
    "stripped logs miss exactly the connection an investigation needs.",
    remediation="gcloud compute networks subnets update SUBNET --enable-flow-logs "
    "--logging-aggregation-interval=interval-5-sec --logging-flow-sampling=1 "
    "--logging-metadata=include-all")
def subnet_flow_logs(data: Data, ctx: Context) -> Verdict:
    if str(data.get("purpose") or "PRIVATE") not in ("PRIVATE", "PRIVATE_RFC_1918"):
        return not_applicable(f"{data['purpose']} subnet has no flow logs")
    config = data.get("logConfig") or {}
    if not (config.get("enable") or data.get("enableFlowLogs")):
        return failed("flow logs are off")
    problems = []
    if config.get("aggregationInterval", "INTERVAL_5_SEC") != "INTERVAL_5_SEC":
        problems.append(f"aggregation {config['aggregationInterval']}")
    if float(config.get("flowSampling", 1.0)) < 1.0:
        problems.append(f"sampling {config['flowSampling']}")
    if config.get("metadata", "INCLUDE_ALL_METADATA") != "INCLUDE_ALL_METADATA":
        problems.append(f"metadata {config['metadata']}")
    if str(config.get("filterExpr") or "true").strip() != "true":
        problems.append("a filter drops flows")
    return failed("flow logs on but " + ", ".join(problems)) if problems else PASS


# --- 3.9 SSL policies ----------------------------------------------------------------------------

def ssl_policy_weakness(policy: Data | None) -> str | None:
    """Why an SSL policy (None: Google's default) allows weak TLS, or None."""
    if policy is None:
        return "uses the default SSL policy (COMPATIBLE, TLS 1.0)"
    profile = policy.get("profile", "COMPATIBLE")
    min_tls = policy.get("minTlsVersion", "TLS_1_0")
    if profile == "RESTRICTED":
        return None
    if profile == "MODERN":
        return None if min_tls == "TLS_1_2" else f"MODERN with minimum {min_tls}"
    if profile == "CUSTOM":
        weak = sorted(WEAK_CIPHERS & set(policy.get("enabledFeatures") or []))
        return f"CUSTOM enables {', '.join(weak)}" if weak else None
    return f"profile {profile}"


@account_rule(
    id="gcp.compute.ssl_policy_no_weak_ciphers", title="HTTPS and SSL proxy load balancers "
    "use SSL policies without weak cipher suites", severity=Severity.MEDIUM,
    resource_types=(HTTPS_PROXY, SSL_PROXY, SSL_POLICY),
    rationale="The default policy still accepts TLS 1.0 and RSA key exchange without "
    "forward secrecy; a captured session can later be decrypted.",
    remediation="Attach an SSL policy with profile MODERN and minimum TLS 1.2, or "
    "RESTRICTED, to each target HTTPS and SSL proxy.")
def ssl_policies(view: SnapshotView) -> Iterator[AccountVerdict]:
    policies = {(project_of(p), str(p.data.get("name", p.native_id))): p.data
                for p in view.of(SSL_POLICY)}
    for proxy in (*view.of(HTTPS_PROXY), *view.of(SSL_PROXY)):
        ref = proxy.data.get("sslPolicy")
        policy = policies.get((project_of(proxy), short(ref))) if ref else None
        if ref and policy is None:
            yield on(proxy, Status.MANUAL, f"SSL policy {short(ref)} not in the inventory")
            continue
        weakness = ssl_policy_weakness(policy)
        if weakness:
            yield on(proxy, Status.FAIL, weakness)
        else:
            yield on(proxy, Status.PASS, f"SSL policy {short(ref)}")


RULES: tuple[Rule, ...] = (no_default_network, no_legacy_network, dnssec_enabled,
         _rsasha1_rule("keySigning", "key-signing key"),
         _rsasha1_rule("zoneSigning", "zone-signing key"),
         _port_rule(PortControl("ssh", 22, "SSH")), _port_rule(PortControl("rdp", 3389, "RDP")),
         subnet_flow_logs, ssl_policies, web_only_from_google)

