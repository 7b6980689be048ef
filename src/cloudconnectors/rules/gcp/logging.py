"""CIS GCP 2.x: audit logging, sinks and their locked buckets, log-based metrics with alert
policies, DNS logging, Cloud Asset Inventory, Access Approval and load balancer logging.

The metric controls are data: the terms a metric's filter must contain. Filters are compared
with quotes and brackets dropped, spaces around operators removed and ``:`` read as ``=``, so
``resource.type="gce_route"`` and ``resource.type = gce_route`` are the same term; a term must
start and end at a word boundary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from cloudconnectors.rules.gcp.base import (
    Projects,
    account_rule,
    names,
    on,
    per_project,
    project_of,
    project_policy,
    resource_rule,
)
from cloudconnectors.rules.gcp.shapes import (
    ACCESS_APPROVAL,
    ALERT_POLICY,
    BACKEND_SERVICE,
    BUCKET,
    DNS_POLICY,
    LOG_METRIC,
    LOG_SINK,
    NETWORK,
    PROJECT,
    SERVICE,
)
from cloudconnectors.rules.model import (
    PASS,
    AccountRule,
    AccountVerdict,
    Context,
    Data,
    InventoryItem,
    Rule,
    Severity,
    Status,
    Verdict,
    failed,
    manual,
    not_applicable,
    passed,
)
from cloudconnectors.rules.snapshot import SnapshotView

AUDIT_LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
_NOISE = re.compile(r"[\"'()]")
_OPERATOR = re.compile(r"\s*[=:]\s*")
_SPACE = re.compile(r"\s+")
HTTP_PROTOCOLS = frozenset({"HTTP", "HTTPS", "HTTP2"})
EXTERNAL_SCHEMES = frozenset({"EXTERNAL", "EXTERNAL_MANAGED"})


# --- 2.1 audit logging ---------------------------------------------------------------------------

def _audit(project: InventoryItem, projects: Projects) -> Verdict:
    policy, why = project_policy(project)
    if why:
        return manual(why)
    configs = (policy or {}).get("auditConfigs") or []
    every = next((c for c in configs if c.get("service") == "allServices"), None)
    if every is None:
        return failed("no audit configuration for allServices")
    logs = every.get("auditLogConfigs") or []
    missing = [t for t in AUDIT_LOG_TYPES if t not in {c.get("logType") for c in logs}]
    if missing:
        return failed("allServices does not log " + ", ".join(missing))
    exempted = sorted({m for c in configs for log in c.get("auditLogConfigs") or []
                       for m in log.get("exemptedMembers") or []})
    if exempted:
        return failed("members exempted from audit logs: " + ", ".join(exempted[:5]))
    return PASS


@account_rule(
    id="gcp.logging.audit_logs_all_services", title="Cloud Audit Logs record admin reads "
    "and data access for all services and users", severity=Severity.HIGH,
    resource_types=(PROJECT,),
    rationale="Data Access logs are off by default; without them nobody can tell who read "
    "or changed data, and an exempted member is invisible.",
    remediation="In the project's IAM policy set an auditConfig for allServices with "
    "ADMIN_READ, DATA_READ and DATA_WRITE and no exempted members (IAM & Admin > Audit Logs).")
def audit_logs(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _audit)


# --- 2.2 / 2.3 sinks -----------------------------------------------------------------------------

def _active_sinks(projects: Projects, project: str) -> list[InventoryItem]:
    return [s for s in projects.of(LOG_SINK, project) if not s.data.get("disabled")]


def _sink_all(project: InventoryItem, projects: Projects) -> Verdict:
    full = [s for s in _active_sinks(projects, project_of(project))
            if not str(s.data.get("filter") or "").strip()]
    if full:
        return passed(f"sink {full[0].name or full[0].native_id} exports every entry")
    return failed("no enabled sink without a filter")


@account_rule(
    id="gcp.logging.sink_all_entries", title="A sink exports all log entries",
    severity=Severity.MEDIUM, resource_types=(PROJECT, LOG_SINK),
    rationale="Logs in the project's own buckets expire and can be deleted with the "
    "project; a copy of every entry elsewhere survives both.",
    remediation="Create a sink with an empty filter to a Cloud Storage bucket, BigQuery "
    "dataset, Pub/Sub topic or log bucket outside the project (gcloud logging sinks create).")
def sink_all_entries(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _sink_all)


def _bucket_of(destination: str) -> str | None:
    prefix = "storage.googleapis.com/"
    return destination[len(prefix):].strip("/") if destination.startswith(prefix) else None


def _locked(project: InventoryItem, projects: Projects) -> Verdict:
    targets = sorted({b for s in _active_sinks(projects, project_of(project))
                      if (b := _bucket_of(str(s.data.get("destination", ""))))})
    if not targets:
        return not_applicable("no sink exports to Cloud Storage")
    buckets = projects.lookup(BUCKET, "name")
    unlocked, unknown = [], []
    for target in targets:
        bucket = buckets.get(target)
        if bucket is None:
            unknown.append(target)
        elif not (bucket.data.get("retentionPolicy") or {}).get("isLocked"):
            unlocked.append(target)
    if unlocked:
        return failed("retention policy not locked on " + ", ".join(unlocked))
    if unknown:
        return manual("sink bucket not in the inventory (another project?): "
                      + ", ".join(unknown))
    return passed("locked: " + ", ".join(targets))


@account_rule(
    id="gcp.logging.sink_bucket_retention_locked", title="Buckets that receive log sinks "
    "have a locked retention policy", severity=Severity.MEDIUM,
    resource_types=(PROJECT, LOG_SINK, BUCKET),
    rationale="A locked retention policy stops anyone, owners included, from deleting the "
    "exported logs before the period ends.",
    remediation="Set a retention policy on the sink's bucket and lock it (gcloud storage "
    "buckets update gs://BUCKET --retention-period=... then --lock-retention-period).")
def sink_bucket_locked(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _locked)


# --- 2.4 - 2.11 log metrics with alert policies ------------------------------------------------

@dataclass(frozen=True)
class MetricControl:
    slug: str
    title: str
    terms: tuple[str, ...]
    rationale: str


def _methods(resource: str | None, *methods: str) -> tuple[str, ...]:
    head = (f"resource.type={resource}",) if resource else ()
    return head + methods


CONTROLS: tuple[MetricControl, ...] = (
    MetricControl("project_ownership_changes", "project ownership assignments and changes", (
        "protoPayload.serviceName=cloudresourcemanager.googleapis.com", "ProjectOwnership",
        "projectOwnerInvitee", "protoPayload.serviceData.policyDelta.bindingDeltas.action=REMOVE",
        "protoPayload.serviceData.policyDelta.bindingDeltas.role=roles/owner",
        "protoPayload.serviceData.policyDelta.bindingDeltas.action=ADD"),
        "A new owner can do anything in the project, including hide what it did."),
    MetricControl("audit_config_changes", "audit configuration changes", (
        "protoPayload.methodName=SetIamPolicy",
        "protoPayload.serviceData.policyDelta.auditConfigDeltas=*"),
        "Turning audit logs down is how an intruder stops being seen."),
    MetricControl("custom_role_changes", "custom role changes", _methods(
        "iam_role", "google.iam.admin.v1.CreateRole", "google.iam.admin.v1.DeleteRole",
        "google.iam.admin.v1.UpdateRole", "google.iam.admin.v1.UndeleteRole"),
        "A changed custom role silently widens what every holder may do."),
    MetricControl("firewall_rule_changes", "VPC firewall rule changes", _methods(
        "gce_firewall_rule", "compute.firewalls.patch", "compute.firewalls.insert",
        "compute.firewalls.delete"), "An opened firewall rule is the quickest way in."),
    MetricControl("route_changes", "VPC network route changes", _methods(
        "gce_route", "compute.routes.delete", "compute.routes.insert"),
        "Routes can send traffic around inspection points or out of the network."),
    MetricControl("network_changes", "VPC network changes", _methods(
        "gce_network", "compute.networks.insert", "compute.networks.patch",
        "compute.networks.delete", "compute.networks.removePeering",
        "compute.networks.addPeering"),
        "New networks and peerings connect what was kept apart."),
    MetricControl("bucket_iam_changes", "Cloud Storage IAM permission changes", _methods(
        "gcs_bucket", "protoPayload.methodName=storage.setIamPermissions"),
        "One IAM change can make a bucket public."),
    MetricControl("sql_instance_changes", "Cloud SQL instance configuration changes", (
        "protoPayload.methodName=cloudsql.instances.update",),
        "Configuration changes can open a database to the internet or turn off its "
        "backups."),
)


def _flat(text: str) -> str:
    return _SPACE.sub(" ", _OPERATOR.sub("=", _NOISE.sub(" ", text))).strip()


def filter_has_terms(log_filter: str, terms: tuple[str, ...]) -> bool:
    """True when every term appears in the filter, ending at a word boundary."""
    flat = _flat(log_filter)
    return all(re.search(r"(?<![\w.])" + re.escape(_flat(t)) + r"(?![\w])", flat)
               for t in terms)


def _alerted_metrics(projects: Projects, project: str) -> dict[str, str]:
    """Metric name -> the enabled alert policy whose condition reads it."""
    found: dict[str, str] = {}
    marker = "logging.googleapis.com/user/"
    for policy in projects.of(ALERT_POLICY, project):
        if policy.data.get("enabled") is False:
            continue
        for condition in policy.data.get("conditions") or []:
            for kind in ("conditionThreshold", "conditionAbsent"):
                text = str((condition.get(kind) or {}).get("filter", ""))
                for part in text.split(marker)[1:]:
                    metric = re.split(r"[\"'\s)]", part, maxsplit=1)[0]
                    found.setdefault(metric, str(policy.data.get("displayName")
                                                 or policy.name or policy.native_id))
    return found


def check_metric_alert(control: MetricControl, project: InventoryItem,
                       projects: Projects) -> Verdict:
    pid = project_of(project)
    metrics = [m for m in projects.of(LOG_METRIC, pid)
               if filter_has_terms(str(m.data.get("filter", "")), control.terms)]
    if not metrics:
        return failed(f"no log metric filters {control.title}")
    alerted = _alerted_metrics(projects, pid)
    for metric in metrics:
        name = str(metric.data.get("name", metric.native_id)).rsplit("/", 1)[-1]
        if name in alerted:
            return passed(f"metric {name} is alerted by {alerted[name]}")
    return failed(f"no enabled alert policy on metric {names(metrics)}")


def _metric_rule(control: MetricControl) -> AccountRule:
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        return per_project(view, partial(check_metric_alert, control))

    return account_rule(
        id=f"gcp.logging.metric_alert_{control.slug}",
        title=f"A log metric and an alert policy exist for {control.title}",
        severity=Severity.MEDIUM, resource_types=(PROJECT, LOG_METRIC, ALERT_POLICY),
        rationale=control.rationale + " A log-based metric with an alert policy turns the "
        "audit log entry into a notification.",
        remediation="Create a log-based metric with a filter matching "
        f"{' AND '.join(control.terms)}, and an enabled alert policy on "
        "logging.googleapis.com/user/<metric> with a notification channel.",
    )(check)


# --- 2.12 DNS logging ----------------------------------------------------------------------------

def network_path(url: object) -> str:
    """``projects/p/global/networks/n`` from a full or partial network URL."""
    text = str(url or "")
    return "projects/" + text.split("projects/", 1)[1] if "projects/" in text else text


@account_rule(
    id="gcp.dns.logging_all_networks", title="Cloud DNS logging is on for every VPC network",
    severity=Severity.MEDIUM, resource_types=(NETWORK, DNS_POLICY),
    rationale="DNS query logs show which names workloads resolve: malware callbacks, data "
    "exfiltration over DNS and lookups of internal names.",
    remediation="Attach a DNS server policy with logging enabled to each network (gcloud dns "
    "policies create --enable-logging --networks=...).")
def dns_logging(view: SnapshotView) -> Iterator[AccountVerdict]:
    logged: set[str] = set()
    for policy in view.of(DNS_POLICY):
        if policy.data.get("enableLogging"):
            logged.update(network_path(n.get("networkUrl"))
                          for n in policy.data.get("networks") or [])
    for network in view.of(NETWORK):
        path = network_path(network.data.get("selfLink"))
        if path in logged:
            yield on(network, Status.PASS)
        else:
            yield on(network, Status.FAIL, "no DNS policy with logging covers this network")


# --- 2.13 Cloud Asset Inventory ------------------------------------------------------------------

def _service_name(item: InventoryItem) -> str:
    config = item.data.get("config") or {}
    return str(config.get("name") or item.data.get("name", "")).rsplit("/", 1)[-1]


def _asset_inventory(project: InventoryItem, projects: Projects) -> Verdict:
    wanted = "cloudasset.googleapis.com"
    listed = project.data.get("enabledServices")
    if isinstance(listed, list):
        return PASS if wanted in listed else failed(f"{wanted} is not enabled")
    records = [s for s in projects.of(SERVICE, project_of(project)) if _service_name(s) == wanted]
    if not records:
        return manual(f"the state of {wanted} was not read (needs serviceusage.services.get)")
    if any(s.data.get("state") == "ENABLED" for s in records):
        return PASS
    return failed(f"{wanted} is {records[0].data.get('state', 'not enabled')}")


@account_rule(
    id="gcp.serviceusage.cloud_asset_inventory_enabled", title="Cloud Asset Inventory is "
    "enabled", severity=Severity.LOW, resource_types=(PROJECT, SERVICE),
    rationale="Asset Inventory keeps a five-week history of resources and IAM policies, "
    "which is what an investigation needs first.",
    remediation="Enable the API: gcloud services enable cloudasset.googleapis.com.")
def asset_inventory(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _asset_inventory)


# --- 2.15 Access Approval ------------------------------------------------------------------------

def _access_approval(project: InventoryItem, projects: Projects) -> Verdict:
    settings = projects.of(ACCESS_APPROVAL, project_of(project))
    enrolled = [s for item in settings for s in item.data.get("enrolledServices") or []]
    if enrolled:
        return passed("enrolled: " + ", ".join(str(s.get("cloudProduct", "?"))
                                              for s in enrolled))
    return failed("Access Approval has no enrolled service")


@account_rule(
    id="gcp.accessapproval.enabled", title="Access Approval is enabled",
    severity=Severity.LOW, resource_types=(PROJECT, ACCESS_APPROVAL),
    rationale="With Access Approval, Google staff need the customer's explicit approval "
    "before they can open the project's content.",
    remediation="Enable Access Approval for all supported services (Security > Access "
    "Approval, or gcloud access-approval settings update --enrolled_services=all).")
def access_approval(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _access_approval)


# --- 2.16 load balancer logging ------------------------------------------------------------------

@resource_rule(
    id="gcp.compute.https_load_balancer_logging", title="Logging is on for HTTP(S) load "
    "balancer backend services", severity=Severity.LOW, resource_type=BACKEND_SERVICE,
    needs=("loadBalancingScheme",),
    rationale="Request logs of the load balancer are the record of who called the "
    "application from the internet, and when.",
    remediation="Enable logging on the backend service (gcloud compute backend-services "
    "update NAME --enable-logging --logging-sample-rate=1).")
def lb_logging(data: Data, ctx: Context) -> Verdict:
    protocol = str(data.get("protocol") or "HTTP")
    if data["loadBalancingScheme"] not in EXTERNAL_SCHEMES or protocol not in HTTP_PROTOCOLS:
        return not_applicable(f"{data['loadBalancingScheme']} {protocol} backend service")
    if (data.get("logConfig") or {}).get("enable"):
        return PASS
    return failed("request logging is off")


RULES: tuple[Rule, ...] = (
    audit_logs, sink_all_entries, sink_bucket_locked, *(_metric_rule(c) for c in CONTROLS),
    dns_logging, asset_inventory, access_approval, lb_logging,
)
