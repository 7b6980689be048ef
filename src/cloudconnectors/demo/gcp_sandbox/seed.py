"""Seed a :class:`World` from a small data description: projects with counts per type.

Every collection is created at its documented path (empty when its count is 0), so a
project answers every list call the way Google does. Records carry the fields the CIS
rules read (the data keys listed in ``docs/gcp.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudconnectors.demo.gcp_sandbox.world import ORGANIZATION, Project, World

ALL_SERVICES = (
    "compute.googleapis.com", "cloudresourcemanager.googleapis.com",
    "container.googleapis.com", "sqladmin.googleapis.com", "bigquery.googleapis.com",
    "cloudfunctions.googleapis.com", "dns.googleapis.com", "cloudkms.googleapis.com",
    "logging.googleapis.com", "monitoring.googleapis.com", "iam.googleapis.com",
    "storage.googleapis.com", "apikeys.googleapis.com", "essentialcontacts.googleapis.com",
    "accessapproval.googleapis.com", "dataproc.googleapis.com", "serviceusage.googleapis.com",
)
CE = "compute.googleapis.com"


@dataclass
class ProjectSpec:
    """One project of the organization: how many of each thing it holds."""

    project_id: str
    zones: Sequence[str] = ("us-central1-a", "europe-west1-b")
    vms: int = 2
    each: int = 1  # of every other type
    disabled: Sequence[str] = ()  # service names turned off
    counts: dict[str, int] = field(default_factory=dict)  # per-type overrides, by short name
    parent: str = ORGANIZATION  # the folder or organization holding it
    labels: dict[str, str] = field(default_factory=dict)
    state: str = "ACTIVE"  # DELETE_REQUESTED: pending deletion


def _zone_url(project: str, zone: str) -> str:
    return f"https://www.googleapis.com/compute/v1/projects/{project}/zones/{zone}"


def _region_url(project: str, region: str) -> str:
    return f"https://www.googleapis.com/compute/v1/projects/{project}/regions/{region}"


def _region(zone: str) -> str:
    return zone.rsplit("-", 1)[0]


def seed_project(world: World, spec: ProjectSpec, number: str) -> Project:
    p = spec.project_id
    zones = list(spec.zones)
    regions = sorted({_region(z) for z in zones})
    project = Project(p, number, set(ALL_SERVICES) - set(spec.disabled), zones=zones,
                      parent=spec.parent, labels=dict(spec.labels), state=spec.state)
    world.projects[p] = project

    def n(name: str) -> int:
        return spec.counts.get(name, spec.each)

    cr = "cloudresourcemanager.googleapis.com"
    world.record(f"cloudresourcemanager/v3/projects/{p}", p, cr, "resourcemanager.projects.get",
                 {"name": f"projects/{number}", "projectId": p, "state": spec.state,
                  "displayName": p, "parent": spec.parent,
                  **({"labels": dict(spec.labels)} if spec.labels else {})})
    world.record(f"cloudresourcemanager/v3/projects/{p}:getIamPolicy", p, cr,
                 "resourcemanager.projects.getIamPolicy",
                 {"version": 3, "etag": "BwX1", "bindings": [
                     {"role": "roles/owner", "members": [f"user:owner@{p}.example"]},
                     {"role": "roles/viewer",
                      "members": [f"serviceAccount:reader@{p}.iam.gserviceaccount.com"]}],
                  "auditConfigs": [{"service": "allServices", "auditLogConfigs": [
                      {"logType": "ADMIN_READ"}, {"logType": "DATA_READ"}]}]})

    # Compute Engine
    c = f"compute/compute/v1/projects/{p}"
    world.record(c, p, CE, "compute.projects.get", {
        "kind": "compute#project", "id": number, "name": p,
        "commonInstanceMetadata": {"items": [{"key": "enable-oslogin", "value": "TRUE"}]},
        "defaultServiceAccount": f"{number}-compute@developer.gserviceaccount.com"})
    world.collection(f"{c}/regions", p, CE, "compute.regions.list").extend(
        {"kind": "compute#region", "name": r, "status": "UP",
         "zones": [_zone_url(p, z) for z in zones if _region(z) == r]} for r in regions)
    world.collection(f"{c}/zones", p, CE, "compute.zones.list").extend(
        {"kind": "compute#zone", "name": z, "status": "UP", "region": _region_url(p, _region(z))}
        for z in zones)
    vms = world.collection(f"{c}/aggregated/instances", p, CE, "compute.instances.list",
                           "aggregated", "instances")
    for i in range(spec.vms):
        zone = zones[i % len(zones)]
        vms.append({
            "kind": "compute#instance", "id": f"{number}{i:06d}", "name": f"vm-{i}",
            "zone": _zone_url(p, zone), "status": "RUNNING", "machineType": "e2-small",
            "canIpForward": False, "shieldedInstanceConfig": {"enableSecureBoot": i % 2 == 0},
            "networkInterfaces": [{"network": "global/networks/default",
                                   "accessConfigs": [{"natIP": f"203.0.113.{i % 250}"}]}],
            "serviceAccounts": [{"email": f"{number}-compute@developer.gserviceaccount.com",
                                 "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}],
            "metadata": {"items": []}})
    for kind, key, perm in (("disks", "disks", "compute.disks.list"),
                            ("subnetworks", "subnetworks", "compute.subnetworks.list"),
                            ("routers", "routers", "compute.routers.list"),
                            ("targetHttpsProxies", "targetHttpsProxies",
                             "compute.targetHttpsProxies.list"),
                            ("backendServices", "backendServices",
                             "compute.backendServices.list")):
        items = world.collection(f"{c}/aggregated/{kind}", p, CE, perm, "aggregated", key)
        for i in range(n(kind)):
            zone = zones[i % len(zones)]
            where = ({"zone": _zone_url(p, zone)} if kind == "disks"
                     else {"region": _region_url(p, _region(zone))})
            items.append({"id": f"{number}{kind[:3]}{i}", "name": f"{kind.lower()}-{i}",
                          **where, **_compute_extra(kind, i)})
    for kind, perm in (("snapshots", "compute.snapshots.list"),
                       ("images", "compute.images.list"),
                       ("networks", "compute.networks.list"),
                       ("firewalls", "compute.firewalls.list"),
                       ("sslPolicies", "compute.sslPolicies.list"),
                       ("targetSslProxies", "compute.targetSslProxies.list")):
        items = world.collection(f"{c}/global/{kind}", p, CE, perm)
        items.extend({"id": f"{number}{kind[:3]}{i}", "name": f"{kind.lower()}-{i}",
                      **_compute_extra(kind, i)} for i in range(n(kind)))

    _seed_services(world, p, number, regions, n)
    return project


def _compute_extra(kind: str, i: int) -> dict[str, Any]:
    if kind == "firewalls":
        return {"direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"] if i == 0 else
                ["10.0.0.0/8"], "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}],
                "network": "global/networks/default"}
    if kind == "networks":
        return {"autoCreateSubnetworks": i == 0}
    if kind == "subnetworks":
        return {"privateIpGoogleAccess": False, "logConfig": {"enable": i % 2 == 1}}
    return {}


def _seed_services(world: World, p: str, number: str, regions: list[str],
                   n: Any) -> None:
    # Kubernetes Engine, Cloud SQL
    world.collection(f"container/v1/projects/{p}/locations/-/clusters", p,
                     "container.googleapis.com", "container.clusters.list", key="clusters"
                     ).extend({"id": f"gke{i}", "name": f"cluster-{i}", "location": regions[0],
                               "nodePools": [{"name": "default-pool",
                                              "config": {"imageType": "COS_CONTAINERD"}}],
                               "legacyAbac": {"enabled": False}} for i in range(n("clusters")))
    world.collection(f"sqladmin/v1/projects/{p}/instances", p, "sqladmin.googleapis.com",
                     "cloudsql.instances.list").extend(
        {"kind": "sql#instance", "name": f"sql-{i}", "region": regions[0],
         "databaseVersion": "POSTGRES_15",
         "settings": {"databaseFlags": [{"name": "log_connections", "value": "on"}],
                      "ipConfiguration": {"ipv4Enabled": i == 0, "requireSsl": False,
                                          "authorizedNetworks": []},
                      "backupConfiguration": {"enabled": True}},
         "ipAddresses": [{"type": "PRIMARY", "ipAddress": "198.51.100.7"}]}
        for i in range(n("sql")))
    # BigQuery: datasets, their full records, tables and their full records
    bq = f"bigquery/bigquery/v2/projects/{p}/datasets"
    bqs = "bigquery.googleapis.com"
    datasets = world.collection(bq, p, bqs, "bigquery.datasets.get", key="datasets")
    for i in range(n("datasets")):
        ds = f"dataset_{i}"
        ref = {"projectId": p, "datasetId": ds}
        datasets.append({"kind": "bigquery#dataset", "id": f"{p}:{ds}",
                         "datasetReference": ref, "location": "US"})
        world.record(f"{bq}/{ds}", p, bqs, "bigquery.datasets.get", {
            "kind": "bigquery#dataset", "id": f"{p}:{ds}", "datasetReference": ref,
            "location": "US", "access": [{"role": "OWNER", "specialGroup": "projectOwners"}]})
        tables = world.collection(f"{bq}/{ds}/tables", p, bqs, "bigquery.tables.list",
                                  key="tables")
        for t in range(n("tables")):
            tref = {**ref, "tableId": f"table_{t}"}
            tables.append({"kind": "bigquery#table", "id": f"{p}:{ds}.table_{t}",
                           "tableReference": tref, "type": "TABLE"})
            world.record(f"{bq}/{ds}/tables/table_{t}", p, bqs, "bigquery.tables.get", {
                "kind": "bigquery#table", "id": f"{p}:{ds}.table_{t}", "tableReference": tref,
                "type": "TABLE", "location": "US"})
    # Cloud Functions v1 and v2
    for version in ("v1", "v2"):
        world.collection(f"cloudfunctions/{version}/projects/{p}/locations/-/functions", p,
                         "cloudfunctions.googleapis.com", "cloudfunctions.functions.list",
                         key="functions").extend(
            {"name": f"projects/{p}/locations/{regions[0]}/functions/fn-{version}-{i}",
             "state": "ACTIVE"} for i in range(n("functions")))
    # Cloud DNS
    world.collection(f"dns/dns/v1/projects/{p}/managedZones", p, "dns.googleapis.com",
                     "dns.managedZones.list", key="managedZones").extend(
        {"kind": "dns#managedZone", "id": f"{number}{i}", "name": f"zone-{i}",
         "dnsName": f"z{i}.example.", "visibility": "public",
         "dnssecConfig": {"state": "on" if i == 0 else "off"}} for i in range(n("dns")))
    world.collection(f"dns/dns/v1/projects/{p}/policies", p, "dns.googleapis.com",
                     "dns.policies.list", key="policies").extend(
        {"kind": "dns#policy", "id": f"pol{i}", "name": f"policy-{i}", "enableLogging": False,
         "networks": [{"networkUrl": "global/networks/default"}]} for i in range(n("dns")))
    _seed_kms_logging_iam(world, p, number, regions, n)


def _seed_kms_logging_iam(world: World, p: str, number: str, regions: list[str],
                          n: Any) -> None:
    kms = "cloudkms.googleapis.com"
    locations = world.collection(f"cloudkms/v1/projects/{p}/locations", p, kms,
                                 "cloudkms.locations.list", key="locations")
    for location in ("global", regions[0]):
        locations.append({"name": f"projects/{p}/locations/{location}",
                          "locationId": location})
        rings = world.collection(f"cloudkms/v1/projects/{p}/locations/{location}/keyRings", p,
                                 kms, "cloudkms.keyRings.list", key="keyRings")
        if location != "global":
            continue
        for r in range(n("keyrings")):
            ring = f"projects/{p}/locations/{location}/keyRings/ring-{r}"
            rings.append({"name": ring, "createTime": "2026-01-01T00:00:00Z"})
            keys = world.collection(f"cloudkms/v1/{ring}/cryptoKeys", p, kms,
                                    "cloudkms.cryptoKeys.list", key="cryptoKeys")
            for k in range(n("keys")):
                name = f"{ring}/cryptoKeys/key-{k}"
                keys.append({"name": name, "purpose": "ENCRYPT_DECRYPT",
                             "rotationPeriod": "7776000s" if k == 0 else "31536000s"})
                world.record(f"cloudkms/v1/{name}:getIamPolicy", p, kms,
                             "cloudkms.cryptoKeys.getIamPolicy",
                             {"version": 1, "etag": "BwX2", "bindings": []})
    lg = "logging.googleapis.com"
    for kind, key, perm in (("sinks", "sinks", "logging.sinks.list"),
                            ("metrics", "metrics", "logging.logMetrics.list")):
        world.collection(f"logging/v2/projects/{p}/{kind}", p, lg, perm, key=key).extend(
            {"name": f"{kind}-{i}", "filter": "" if kind == "sinks" else
             'protoPayload.methodName="SetIamPolicy"',
             **({"destination": f"storage.googleapis.com/logs-{p}"} if kind == "sinks" else {})}
            for i in range(n(kind)))
    world.collection(f"logging/v2/projects/{p}/locations/-/buckets", p, lg,
                     "logging.buckets.list", key="buckets").extend(
        {"name": f"projects/{p}/locations/global/buckets/_Default", "retentionDays": 30,
         "locked": False} for _ in range(min(1, n("buckets"))))
    world.collection(f"monitoring/v3/projects/{p}/alertPolicies", p, "monitoring.googleapis.com",
                     "monitoring.alertPolicies.list", key="alertPolicies").extend(
        {"name": f"projects/{p}/alertPolicies/{i}", "displayName": f"alert {i}",
         "enabled": True, "conditions": []} for i in range(n("alerts")))
    # IAM
    accounts = world.collection(f"iam/v1/projects/{p}/serviceAccounts", p, "iam.googleapis.com",
                                "iam.serviceAccounts.list", key="accounts")
    for i in range(n("serviceaccounts")):
        email = f"sa-{i}@{p}.iam.gserviceaccount.com"
        name = f"projects/{p}/serviceAccounts/{email}"
        accounts.append({"name": name, "email": email, "uniqueId": f"1{number}{i}",
                         "disabled": False})
        world.collection(f"iam/v1/{name}/keys", p, "iam.googleapis.com",
                         "iam.serviceAccountKeys.list", key="keys").extend(
            {"name": f"{name}/keys/k{k}", "keyType": "USER_MANAGED",
             "validAfterTime": "2025-01-01T00:00:00Z", "disabled": False}
            for k in range(n("sakeys")))
    # Cloud Storage (listed by project query), with IAM policies
    st = "storage.googleapis.com"
    buckets = world.collection(f"storage/storage/v1/b?project={p}", p, st,
                               "storage.buckets.list")
    for i in range(n("buckets")):
        bucket = f"{p}-bucket-{i}"
        buckets.append({"kind": "storage#bucket", "id": bucket, "name": bucket,
                        "location": "US", "iamConfiguration": {
                            "uniformBucketLevelAccess": {"enabled": i == 0}}})
        world.record(f"storage/storage/v1/b/{bucket}/iam", p, st,
                     "storage.buckets.getIamPolicy",
                     {"kind": "storage#policy", "bindings": [
                         {"role": "roles/storage.objectViewer",
                          "members": ["allUsers"] if i == 1 else [f"projectViewer:{p}"]}]})
    world.collection(f"apikeys/v2/projects/{p}/locations/global/keys", p,
                     "apikeys.googleapis.com", "apikeys.keys.list", key="keys").extend(
        {"name": f"projects/{number}/locations/global/keys/key{i}", "displayName": f"key {i}",
         "createTime": "2025-01-01T00:00:00Z", "restrictions": {}} for i in range(n("apikeys")))
    world.collection(f"essentialcontacts/v1/projects/{p}/contacts", p,
                     "essentialcontacts.googleapis.com", "essentialcontacts.contacts.list",
                     key="contacts").extend(
        {"name": f"projects/{number}/contacts/{i}", "email": f"security{i}@example.com",
         "notificationCategorySubscriptions": ["SECURITY"]} for i in range(n("contacts")))
    world.record(f"accessapproval/v1/projects/{p}/accessApprovalSettings", p,
                 "accessapproval.googleapis.com", "accessapproval.settings.get",
                 {"name": f"projects/{p}/accessApprovalSettings", "enrolledServices": []})
    for region in regions:
        world.collection(f"dataproc/v1/projects/{p}/regions/{region}/clusters", p,
                         "dataproc.googleapis.com", "dataproc.clusters.list", key="clusters"
                         ).extend({"clusterName": f"dp-{i}", "clusterUuid": f"{p}-{region}-{i}",
                                   "config": {"encryptionConfig": {}}}
                                  for i in range(n("dataproc") if region == regions[0] else 0))


def seed_organization(world: World, specs: Sequence[ProjectSpec]) -> None:
    for index, spec in enumerate(specs):
        seed_project(world, spec, str(100000000000 + index))
