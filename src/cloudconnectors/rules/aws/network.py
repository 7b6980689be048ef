"""CIS 5.x networking rules and the EC2 instance rules: admin ports from the internet,
default security groups, IMDSv2, instance profiles, VPC flow logs."""

from __future__ import annotations

from cloudconnectors.rules.aws.base import resource_rule
from cloudconnectors.rules.model import (
    NOT_APPLICABLE,
    PASS,
    Context,
    Data,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
)

INSTANCE = "AWS::EC2::Instance"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
ADMIN_PORTS = (22, 3389)
ALL_PROTOCOLS = frozenset({"-1", "all", -1})
TCP = frozenset({"tcp", "6", 6})
ANY_IPV4 = "0.0.0.0/0"
ANY_IPV6 = "::/0"


def _covers(port: int, low: object, high: object) -> bool:
    if low is None or high is None:
        return True  # no range: every port
    low_i, high_i = int(str(low)), int(str(high))
    return (low_i == -1 and high_i == -1) or low_i <= port <= high_i


def _open_admin_ports(permissions: list[Data], range_key: str, cidr_key: str,
                      world: str) -> list[int]:
    opened: set[int] = set()
    for perm in permissions:
        protocol = perm.get("IpProtocol")
        if protocol not in ALL_PROTOCOLS and protocol not in TCP:
            continue
        if not any(r.get(cidr_key) == world for r in perm.get(range_key) or ()):
            continue
        for port in ADMIN_PORTS:
            if protocol in ALL_PROTOCOLS or _covers(port, perm.get("FromPort"),
                                                    perm.get("ToPort")):
                opened.add(port)
    return sorted(opened)


def _sg_verdict(data: Data, range_key: str, cidr_key: str, world: str) -> Verdict:
    ports = _open_admin_ports(data.get("IpPermissions") or [], range_key, cidr_key, world)
    if ports:
        return failed(f"ingress from {world} to port(s) {', '.join(map(str, ports))}")
    return PASS


@resource_rule(
    id="aws.ec2.sg_no_admin_ingress_ipv4", title="No security group allows ingress from "
    "0.0.0.0/0 to remote administration ports", severity=Severity.HIGH,
    resource_type=SECURITY_GROUP, needs=("IpPermissions",),
    rationale="SSH (22) and RDP (3389) open to the whole internet invite brute force and "
    "exploitation.",
    remediation="Remove the 0.0.0.0/0 rule for ports 22/3389; allow known address ranges or "
    "use Session Manager instead.")
def sg_admin_ipv4(data: Data, ctx: Context) -> Verdict:
    return _sg_verdict(data, "IpRanges", "CidrIp", ANY_IPV4)


@resource_rule(
    id="aws.ec2.sg_no_admin_ingress_ipv6", title="No security group allows ingress from ::/0 "
    "to remote administration ports", severity=Severity.HIGH, resource_type=SECURITY_GROUP,
    needs=("IpPermissions",),
    rationale="SSH (22) and RDP (3389) open to the whole IPv6 internet invite brute force.",
    remediation="Remove the ::/0 rule for ports 22/3389; allow known address ranges.")
def sg_admin_ipv6(data: Data, ctx: Context) -> Verdict:
    return _sg_verdict(data, "Ipv6Ranges", "CidrIpv6", ANY_IPV6)


@resource_rule(
    id="aws.ec2.default_sg_restricts_all", title="The default security group of every VPC "
    "restricts all traffic", severity=Severity.MEDIUM, resource_type=SECURITY_GROUP,
    needs=("GroupName", "IpPermissions", "IpPermissionsEgress"),
    rationale="Resources launched without a chosen group land in the default one; with no "
    "rules it grants nothing by accident.",
    remediation="Delete every inbound and outbound rule of each VPC's default security group.")
def default_sg_restricts_all(data: Data, ctx: Context) -> Verdict:
    if data.get("GroupName") != "default":
        return NOT_APPLICABLE
    inbound = len(data.get("IpPermissions") or [])
    outbound = len(data.get("IpPermissionsEgress") or [])
    if inbound or outbound:
        return failed(f"default group has {inbound} inbound and {outbound} outbound rules")
    return PASS


def _nacl_open_ports(entries: list[Data]) -> list[int]:
    """Ports whose first matching world-sourced ingress entry (by rule number) allows."""
    ingress = sorted((e for e in entries if not e.get("Egress")),
                     key=lambda e: int(e.get("RuleNumber", 32767)))
    opened: list[int] = []
    for port in ADMIN_PORTS:
        for entry in ingress:
            if entry.get("CidrBlock") != ANY_IPV4 and entry.get("Ipv6CidrBlock") != ANY_IPV6:
                continue
            protocol = entry.get("Protocol")
            if protocol not in ALL_PROTOCOLS and protocol not in TCP:
                continue
            ports = entry.get("PortRange") or {}
            if protocol in TCP and not _covers(port, ports.get("From"), ports.get("To")):
                continue
            if entry.get("RuleAction") == "allow":
                opened.append(port)
            break
    return opened


@resource_rule(
    id="aws.ec2.nacl_no_admin_ingress", title="No network ACL allows ingress from the "
    "internet to remote administration ports", severity=Severity.MEDIUM,
    resource_type="AWS::EC2::NetworkAcl", needs=("Entries",),
    rationale="Network ACLs are the subnet-wide line of defence; they should not admit SSH or "
    "RDP from anywhere.",
    remediation="Add a deny entry (lower rule number) for 0.0.0.0/0 and ::/0 on ports 22 and "
    "3389, or narrow the allowing entry's source.")
def nacl_no_admin_ingress(data: Data, ctx: Context) -> Verdict:
    ports = _nacl_open_ports(data.get("Entries") or [])
    if ports:
        return failed(f"ingress from the internet allowed to port(s) {', '.join(map(str, ports))}")
    return PASS


@resource_rule(
    id="aws.ec2.instance_imdsv2_required", title="EC2 instances require IMDSv2",
    severity=Severity.HIGH, resource_type=INSTANCE,
    rationale="IMDSv1 answers any GET, so an SSRF bug leaks the instance role's credentials; "
    "IMDSv2 needs a session token.",
    remediation="aws ec2 modify-instance-metadata-options --instance-id ID --http-tokens "
    "required --http-endpoint enabled")
def instance_imdsv2(data: Data, ctx: Context) -> Verdict:
    state = (data.get("State") or {}).get("Name")
    if state in ("terminated", "shutting-down"):
        return not_applicable(f"instance is {state}")
    options = data.get("MetadataOptions") or {}
    if options.get("HttpEndpoint") == "disabled":
        return passed("metadata service disabled")
    if options.get("HttpTokens") == "required":
        return PASS
    return failed(f"HttpTokens is {options.get('HttpTokens', 'unset')}")


@resource_rule(
    id="aws.ec2.instance_profile_attached", title="EC2 instances use an IAM instance role",
    severity=Severity.LOW, resource_type=INSTANCE,
    rationale="Instance roles hand out short-lived credentials; the alternative is long-lived "
    "keys stored on the machine.",
    remediation="Attach an instance profile with a role scoped to what the workload needs.")
def instance_profile_attached(data: Data, ctx: Context) -> Verdict:
    state = (data.get("State") or {}).get("Name")
    if state in ("terminated", "shutting-down"):
        return not_applicable(f"instance is {state}")
    if data.get("IamInstanceProfile"):
        return PASS
    return failed("no instance profile attached")


@resource_rule(
    id="aws.ec2.vpc_flow_logs_enabled", title="VPC flow logging is enabled in every VPC",
    severity=Severity.MEDIUM, resource_type="AWS::EC2::VPC", needs=("FlowLogs",),
    rationale="Flow logs record rejected and accepted traffic, the evidence for spotting "
    "scanning and exfiltration.",
    remediation="Create a flow log for the VPC capturing REJECT (or ALL) traffic to CloudWatch "
    "Logs or S3.")
def vpc_flow_logs(data: Data, ctx: Context) -> Verdict:
    active = [f for f in data["FlowLogs"] or []
              if f.get("FlowLogStatus", "ACTIVE") == "ACTIVE"
              and f.get("TrafficType") in ("ALL", "REJECT")]
    if active:
        return PASS
    return failed("no active flow log capturing rejected traffic")


RULES = (sg_admin_ipv4, sg_admin_ipv6, default_sg_restricts_all, nacl_no_admin_ingress,
         instance_imdsv2, instance_profile_attached, vpc_flow_logs)
