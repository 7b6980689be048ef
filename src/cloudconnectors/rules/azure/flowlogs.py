"""CIS Azure 6.1.1.5, 6.1.1.7, 7.5 and 7.8: flow logs of network security groups and virtual
networks, their traffic analytics and their retention."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    dig,
    label,
    lower,
    on,
    props,
    resource_rule,
)
from cloudconnectors.rules.azure.network import NSG, VNET
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
    not_applicable,
)
from cloudconnectors.rules.snapshot import SnapshotView

FLOW_LOG = "Microsoft.Network/networkWatchers/flowLogs"
MIN_RETENTION_DAYS = 90


def _target_kind(data: Data) -> str:
    target = lower(props(data).get("targetResourceId"))
    if "/microsoft.network/networksecuritygroups/" in target:
        return NSG
    if "/microsoft.network/virtualnetworks/" in target:
        return VNET
    return ""


def _analysed(data: Data) -> bool:
    p = props(data)
    config = dig(p, "flowAnalyticsConfiguration", "networkWatcherFlowAnalyticsConfiguration")
    return (p.get("enabled") is not False and dig(config, "enabled") is True
            and bool(dig(config, "workspaceResourceId") or dig(config, "workspaceId")))


def _to_log_analytics(view: SnapshotView, type_: str) -> Iterator[AccountVerdict]:
    targets = view.of(type_)
    if not targets:
        yield account(Status.NOT_APPLICABLE, f"no {type_.rsplit('/', 1)[1]}")
        return
    analysed = {lower(props(f.data).get("targetResourceId")) for f in view.of(FLOW_LOG)
                if _analysed(f.data)}
    for item in targets:
        if lower(item.data.get("id") or item.native_id) in analysed:
            yield on(item, Status.PASS)
        else:
            yield on(item, Status.FAIL, f"{label(item)}: no enabled flow log with traffic "
                     "analytics to a Log Analytics workspace")


_ANALYTICS_FIX = ("Network Watcher > Flow logs > flow log > Traffic analytics: enable, with a "
                  "Log Analytics workspace (az network watcher flow-log update "
                  "--traffic-analytics true --workspace <id>).")


@account_rule(
    id="azure.network.nsg_flow_logs_to_log_analytics", title="NSG flow logs are sent to Log "
    "Analytics", severity=Severity.LOW, resource_types=(NSG, FLOW_LOG),
    rationale="Flow logs in a workspace can be queried and alerted on; left only in a storage "
    "account, suspicious traffic goes unnoticed.", remediation=_ANALYTICS_FIX)
def nsg_flow_logs_analytics(view: SnapshotView) -> Iterator[AccountVerdict]:
    yield from _to_log_analytics(view, NSG)


@account_rule(
    id="azure.network.vnet_flow_logs_to_log_analytics", title="Virtual network flow logs are "
    "sent to Log Analytics", severity=Severity.LOW, resource_types=(VNET, FLOW_LOG),
    rationale="Virtual network flow logs record every flow in the network; in a workspace "
    "they can be queried and alerted on during an investigation.",
    remediation="Create a virtual network flow log with traffic analytics to a Log Analytics "
    "workspace (az network watcher flow-log create --vnet <id> --traffic-analytics true).")
def vnet_flow_logs_analytics(view: SnapshotView) -> Iterator[AccountVerdict]:
    yield from _to_log_analytics(view, VNET)


def _retention(data: Data, kind: str) -> Verdict:
    if _target_kind(data) != kind:
        return not_applicable("flow log of another kind of resource")
    policy = props(data).get("retentionPolicy") or {}
    days = policy.get("days") if isinstance(policy, dict) else None
    if isinstance(policy, dict) and policy.get("enabled") is False:
        return PASS  # no deletion: kept indefinitely
    if days == 0 or (isinstance(days, int) and days >= MIN_RETENTION_DAYS):
        return PASS  # 0 days means kept indefinitely
    return failed(f"retention is {days if days is not None else 'not set'} days")


_RETENTION_WHY = ("Attacks are often found months later; flow logs kept for at least 90 days "
                  "show which hosts talked to which during that time.")
_RETENTION_FIX = ("Network Watcher > Flow logs > flow log > Retention days = 90 or more (0 "
                  "keeps them indefinitely) (az network watcher flow-log update --retention 90).")


@resource_rule(
    id="azure.network.nsg_flow_log_retention_90d", title="NSG flow logs are kept for 90 days "
    "or more", severity=Severity.LOW, resource_type=FLOW_LOG, needs=("properties",),
    rationale=_RETENTION_WHY, remediation=_RETENTION_FIX)
def nsg_flow_log_retention(data: Data, ctx: Context) -> Verdict:
    return _retention(data, NSG)


@resource_rule(
    id="azure.network.vnet_flow_log_retention_90d", title="Virtual network flow logs are kept "
    "for 90 days or more", severity=Severity.LOW, resource_type=FLOW_LOG,
    needs=("properties",), rationale=_RETENTION_WHY, remediation=_RETENTION_FIX)
def vnet_flow_log_retention(data: Data, ctx: Context) -> Verdict:
    return _retention(data, VNET)


RULES: tuple[Rule, ...] = (
    nsg_flow_logs_analytics, vnet_flow_logs_analytics, nsg_flow_log_retention,
    vnet_flow_log_retention,
)
